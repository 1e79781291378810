"""Public pages of spaces: the libraries that lend rooms and computers, a library's day of free
slots (a GET form for the date, each free slot a button), the booking form, and the booking's
own page and cancel page reached by its secret link. No page needs JavaScript."""

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from branches.models import Branch
from core.forms import public_form_handle
from core.secret_links import secret_get_or_404, secret_link_page
from core.tz import KYIV
from spaces import services
from spaces.forms import BookingForm, DayForm, SlotForm
from spaces.models import Booking, Resource

# Public booking form: at most this many accepted bookings per address.
FORM_RATE = "10/h"
DAYS_AHEAD = 7


def _bookable_branches():
    active = Q(space_resources__is_active=True)
    return (
        Branch.objects.public()
        .annotate(
            bookable_zones=Count(
                "space_resources", filter=active & ~Q(space_resources__kind="computer")
            ),
            bookable_computers=Count(
                "space_resources", filter=active & Q(space_resources__kind="computer")
            ),
        )
        .filter(Q(bookable_zones__gt=0) | Q(bookable_computers__gt=0))
    )


def index(request):
    return render(request, "spaces/index.html", {"branches": list(_bookable_branches())})


def _branch(slug, *, around):
    return get_object_or_404(Branch.objects.public().with_schedule(around=around), slug=slug)


def day(request, slug):
    now = timezone.now()
    today = timezone.localdate(now, KYIV)
    form = DayForm(request.GET or None, initial={"date": today})
    chosen, problem = today, ""
    if form.is_bound:
        if form.is_valid():
            chosen = form.cleaned_data["date"]
            problem = services.date_problem(chosen, today=today)
        else:
            problem = " ".join(form.errors.get("date", []))
    shown = chosen if not problem else today
    around = datetime.combine(shown, datetime.min.time(), tzinfo=KYIV)
    branch = _branch(slug, around=around)
    resources = list(Resource.objects.bookable().filter(branch=branch))
    if not resources and not branch.space_resources.exists():
        raise Http404
    for resource in resources:
        resource.branch = branch
    slots = {} if problem else services.day_slots(resources=resources, day=shown, now=now)
    groups = [
        (
            "zones",
            [(r, slots.get(r.pk, [])) for r in resources if not r.is_computer],
        ),
        ("computers", [(r, slots.get(r.pk, [])) for r in resources if r.is_computer]),
    ]
    next_days = [today + timedelta(days=n) for n in range(DAYS_AHEAD)]
    return render(
        request,
        "spaces/day.html",
        {
            "branch": branch,
            "form": form,
            "day": shown,
            "problem": problem,
            "closure": branch.closure_on(shown),
            "groups": [(key, rows) for key, rows in groups if rows],
            "next_days": next_days,
            "any_free": any(s.free for rows in slots.values() for s in rows),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def book(request, slug, resource_id):
    """The booking form for one slot (`?date=…&time=…`, the day view's button)."""
    slot_form = SlotForm(request.GET)
    if not slot_form.is_valid():
        return redirect("spaces:day", slug=slug)
    day_, at = slot_form.cleaned_data["date"], slot_form.cleaned_data["time"]
    starts_at = datetime.combine(day_, at, tzinfo=KYIV)
    branch = _branch(slug, around=starts_at)
    resource = get_object_or_404(Resource.objects.bookable(), pk=resource_id, branch=branch)
    resource.branch = branch
    slot = next((s for s in resource.slot_starts_on(day_) if s[0] == starts_at), None)
    problem = services.date_problem(day_) if slot else services.closed_message(resource, day_)
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        resource=resource,
        user=request.user,
        initial=_initial(request.user),
    )

    def create(form):
        data = form.cleaned_data
        return services.booking_create(
            resource_id=resource.pk,
            starts_at=starts_at,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            organisation=data["organisation"],
            people=data["people"] or 1,
            purpose=data["purpose"],
            user=request.user,
            language=get_language() or "uk",
        )

    sent = public_form_handle(
        request,
        form,
        limit_key="spaces.booking",
        rate=FORM_RATE,
        on_valid=create,
        refusals=(services.BookingRefused,),
    )
    if sent.spam:
        return redirect("spaces:day", slug=slug)
    if sent.accepted:
        return redirect(sent.result.get_absolute_url())
    return render(
        request,
        "spaces/book.html",
        {
            "branch": branch,
            "resource": resource,
            "starts_at": starts_at,
            "ends_at": slot[1] if slot else None,
            "form": form,
            "problem": sent.error or problem,
            "limited": sent.limited,
            "query": request.GET.urlencode(),
        },
        status=sent.status if request.method == "POST" else (409 if problem else 200),
    )


def _initial(user):
    if not user.is_authenticated:
        return {"people": 1}
    return {"name": user.get_full_name() or user.get_username(), "email": user.email, "people": 1}


def _booking(token):
    return secret_get_or_404(
        Booking.objects.select_related("resource__branch").filter(anonymised_at__isnull=True),
        token=token,
    )


@secret_link_page
def booking_detail(request, token):
    return render(request, "spaces/booking_detail.html", {"booking": _booking(token)})


@secret_link_page
def booking_cancel(request, token):
    booking = _booking(token)
    can_cancel = booking.can_be_cancelled()
    if request.method == "POST" and can_cancel:
        try:
            booking = services.booking_cancel(booking=booking)
        except services.BookingRefused:
            can_cancel = False
        else:
            return render(request, "spaces/booking_cancel.html", {"booking": booking, "done": True})
    return render(
        request,
        "spaces/booking_cancel.html",
        {"booking": booking, "can_cancel": can_cancel, "done": False},
    )
