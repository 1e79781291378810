from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from branches import services
from branches.filters import BranchFilter
from branches.forms import NearForm, TourRequestForm
from branches.models import Branch, Closure, PaidService, TourRequest
from branches.presentation import branch_json_ld, map_markers
from core.forms import public_form_handle
from core.pagination import page_of, query_without_page
from core.secret_links import secret_get_or_404, secret_link_page

NEAR_KEYS = {"place", "lat", "lon"}
# Tour requests: at most this many accepted per address.
TOUR_RATE = "5/h"


def branch_list(request):
    now = timezone.now()
    base = Branch.objects.public().with_schedule(around=now).prefetch_related("services")
    # «Біля мене»: sorted by distance from where the reader is; the place is not stored.
    near = NearForm(request.GET if NEAR_KEYS & set(request.GET) else None)
    point = near.point()
    if point is not None:
        base = base.by_distance(*point)
    branch_filter = BranchFilter(request.GET or None, queryset=base)
    branches = branch_filter.qs if branch_filter.is_bound else base
    page = page_of(request, branches)
    rows = [(branch, branch.status_at(now)) for branch in page.object_list]
    next_open = None
    other_filters = any(
        value
        for key, value in request.GET.items()
        if key not in ("open_now", "page") and key not in NEAR_KEYS
    )
    if not rows and branch_filter.is_bound and branch_filter.form.cleaned_data.get("open_now"):
        # Nothing is open: say which library opens first instead of a bare «none match».
        unfiltered = BranchFilter(
            {key: value for key, value in request.GET.items() if key not in ("open_now", "page")},
            queryset=base,
        ).qs
        candidates = [(branch, branch.status_at(now)) for branch in unfiltered]
        upcoming = sorted(
            (row for row in candidates if row[1].opens_at), key=lambda row: row[1].opens_at
        )
        next_open = upcoming[0] if upcoming else None
    return render(
        request,
        "branches/branch_list.html",
        {
            "filter": branch_filter,
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "next_open": next_open,
            "other_filters": other_filters,
            "markers": map_markers([branch for branch, _status in rows]),
            "near": near,
            "near_point": point,
        },
    )


def branch_detail(request, slug):
    now = timezone.now()
    branch = get_object_or_404(
        Branch.objects.public()
        .with_schedule(around=now)
        .prefetch_related("services", "specializations", "zones", "photos", "social_links"),
        slug=slug,
    )
    today = timezone.localdate(now)
    closures = (
        Closure.objects.filter(Q(branch=branch) | Q(branch__isnull=True))
        .filter(end_date__gte=today, start_date__lte=today + timedelta(days=60))
        .order_by("start_date", "end_date", "pk")
    )
    today_hours = branch._hours_by_weekday().get(today.weekday())
    return render(
        request,
        "branches/branch_detail.html",
        {
            "branch": branch,
            "status": branch.status_at(now),
            "today": today,
            "today_hours": today_hours if not branch.closure_on(today) else None,
            "today_closure": branch.closure_on(today),
            "closures": _same_dates_together(closures),
            "json_ld": branch_json_ld(branch, request),
            "markers": map_markers([branch]),
            "specializations": _group_by_axis(branch.specializations.all()),
        },
    )


def _same_dates_together(closures):
    """One row per date range: a sanitary day and a holiday on 25 December are one line."""
    rows = {}
    for closure in closures:
        row = rows.setdefault(
            (closure.start_date, closure.end_date),
            {"start_date": closure.start_date, "end_date": closure.end_date, "closures": []},
        )
        row["closures"].append(closure)
    for row in rows.values():
        row["network"] = all(closure.branch_id is None for closure in row["closures"])
    return list(rows.values())


def _group_by_axis(specializations):
    groups = {}
    for specialization in specializations:
        groups.setdefault(specialization.get_axis_display(), []).append(specialization)
    return list(groups.items())


def paid_services(request):
    """The price list: each library's paid services with their prices, libraries in their
    usual order, a page of libraries at a time. Three queries whatever the data."""
    offered = PaidService.objects.public()
    libraries = (
        Branch.objects.public()
        .filter(Exists(offered.filter(branch=OuterRef("pk"))))
        .prefetch_related(Prefetch("paid_services", queryset=offered, to_attr="price_list"))
    )
    page = page_of(request, libraries)
    return render(
        request,
        "branches/paid_services.html",
        {"page": page, "query": query_without_page(request)},
    )


def branch_history(request, slug):
    """«Історія бібліотеки та екскурсії»: the library's history, its photos and the form a
    group sends to ask for a tour."""
    branch = get_object_or_404(Branch.objects.public().prefetch_related("photos"), slug=slug)
    form = TourRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not branch.offers_tours:
        return render(request, "branches/branch_history.html", {"branch": branch}, status=409)

    def create(form):
        return services.tour_request_create(
            data={**form.service_data(), "branch": branch}, language=get_language() or "uk"
        )

    sent = public_form_handle(
        request, form, limit_key="branches.tour", rate=TOUR_RATE, on_valid=create
    )
    if sent.accepted:
        if sent.spam:
            return redirect("branches:tour_thanks")
        return redirect(sent.result.get_absolute_url())
    return render(
        request,
        "branches/branch_history.html",
        {"branch": branch, "form": form, "limited": sent.limited},
        status=sent.status,
    )


def tour_thanks(request):
    return render(request, "branches/tour_thanks.html")


def _tour(token):
    return secret_get_or_404(
        TourRequest.objects.select_related("branch").filter(anonymised_at__isnull=True),
        token=token,
    )


@secret_link_page
def tour_detail(request, token):
    tour = _tour(token)
    return render(
        request,
        "branches/tour_detail.html",
        {"tour": tour, "can_cancel": tour.can_be_cancelled()},
    )


@secret_link_page
def tour_cancel(request, token):
    tour = _tour(token)
    error = ""
    if request.method == "POST":
        try:
            tour = services.tour_request_cancel(tour=tour)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return redirect(tour.get_absolute_url())
    return render(
        request,
        "branches/tour_detail.html",
        {"tour": tour, "can_cancel": tour.can_be_cancelled(), "error": error},
        status=409 if error else 200,
    )
