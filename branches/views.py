from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from branches.filters import BranchFilter
from branches.models import Branch, Closure
from branches.presentation import branch_json_ld, map_markers

PAGE_SIZE = 20


def branch_list(request):
    now = timezone.now()
    base = Branch.objects.public().with_schedule(around=now).prefetch_related("services")
    branch_filter = BranchFilter(request.GET or None, queryset=base)
    branches = branch_filter.qs if branch_filter.is_bound else base
    page = Paginator(branches, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(branch, branch.status_at(now)) for branch in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "branches/branch_list.html",
        {
            "filter": branch_filter,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "markers": map_markers([branch for branch, _status in rows]),
        },
    )


def branch_detail(request, slug):
    now = timezone.now()
    branch = get_object_or_404(
        Branch.objects.public()
        .with_schedule(around=now)
        .prefetch_related("services", "specializations", "zones", "photos"),
        slug=slug,
    )
    today = timezone.localdate(now)
    closures = (
        Closure.objects.filter(Q(branch=branch) | Q(branch__isnull=True))
        .filter(end_date__gte=today, start_date__lte=today + timedelta(days=60))
        .order_by("start_date")
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
            "closures": closures,
            "json_ld": branch_json_ld(branch, request),
            "markers": map_markers([branch]),
            "specializations": _group_by_axis(branch.specializations.all()),
        },
    )


def _group_by_axis(specializations):
    groups = {}
    for specialization in specializations:
        groups.setdefault(specialization.get_axis_display(), []).append(specialization)
    return list(groups.items())
