"""Public pages: calendar (list and month), event page with registration, registration page
with the cancel button, clubs and schools, iCalendar files."""

import calendar as month_calendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from branches.models import Branch
from core.forms import public_form_handle
from core.pagination import page_of, query_without_page
from core.secret_links import secret_get_or_404, secret_link_page
from events import ical, services
from events.forms import CalendarFilterForm, ClubJoinForm, ClubSearchForm, RegistrationForm
from events.models import (
    Audience,
    Club,
    ClubException,
    ClubMembership,
    Event,
    Registration,
    attach_closures,
)
from events.presentation import (
    club_schedule,
    google_calendar_url,
    json_ld,
    map_url,
    share_links,
)

# Accepted sign-ups per address and hour: mistakes corrected on the way do not count.
SIGNUP_RATE = "10/h"
REGISTER_GROUP = "events.register"
JOIN_GROUP = "events.club_join"
FEED_EVENTS = 500


def _filtered_events(filters):
    events = Event.objects.public().select_related("branch")
    if "q" in filters:
        events = events.matching(filters["q"])
    if "branch" in filters:
        events = events.filter(branch=filters["branch"])
    if "kind" in filters:
        events = events.filter(kind=filters["kind"])
    if "audience" in filters:
        events = events.filter(audiences__contains=[filters["audience"]])
    if filters.get("free_only"):
        events = events.with_free_seats()
    return events


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time()))


def event_list(request):
    """The calendar as a list grouped by day: upcoming events first, or the chosen date range,
    with the clubs' and schools' regular meetings of the same days."""
    form = CalendarFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    events = _filtered_events(filters)
    if "date_from" in filters:
        start = _day_start(filters["date_from"])
        events = events.filter(ends_at__gte=start)
    else:
        start = timezone.now()
        events = events.upcoming(now=start)
    if "date_to" in filters:
        events = events.filter(starts_at__lt=_day_start(filters["date_to"] + timedelta(days=1)))
    events = events.order_by("starts_at", "pk")
    page = page_of(request, events)
    rows = list(page.object_list)
    meetings, meetings_until = [], None
    if _meetings_wanted(filters):
        window_start, window_end = _page_window(page, rows, events, start, filters)
        if window_end > window_start:
            clubs = attach_closures(
                _clubs_for(filters), since=timezone.localtime(window_start).date()
            )
            meetings = _club_meetings(clubs, window_start, window_end)
            meetings_until = timezone.localtime(window_end - timedelta(microseconds=1)).date()
    today = timezone.localdate()
    return render(
        request,
        "events/event_list.html",
        {
            "form": form,
            "page": page,
            "events": rows,
            "days": _group_by_day(rows, meetings, first_day=timezone.localtime(start).date()),
            "meetings_until": meetings_until,
            "today": today,
            "quick_ranges": _quick_ranges(request, today),
            "filtered": bool(filters),
            "query": query_without_page(request),
            "this_month": reverse(
                "events:month", kwargs={"year": today.year, "month": today.month}
            ),
        },
    )


def _quick_ranges(request, today):
    """One-click date ranges a reader asks for most, keeping the other filters."""
    if today.weekday() == 6:  # On a Sunday "this weekend" is what is left of it: today.
        weekend = (today, today)
    else:
        saturday = today + timedelta(days=5 - today.weekday())
        weekend = (saturday, saturday + timedelta(days=1))
    ranges = [
        (_("Сьогодні"), today, today),
        (_("Завтра"), today + timedelta(days=1), today + timedelta(days=1)),
        (_("Ці вихідні"), *weekend),
        (_("Наступні 7 днів"), today, today + timedelta(days=6)),
    ]
    links = []
    for label, start, end in ranges:
        query = request.GET.copy()
        for key in ("page", "date_from", "date_to"):
            query.pop(key, None)
        query["date_from"], query["date_to"] = start.isoformat(), end.isoformat()
        current = (
            request.GET.get("date_from") == query["date_from"]
            and request.GET.get("date_to") == query["date_to"]
        )
        links.append({"label": label, "query": query.urlencode(), "current": current})
    return links


# How far ahead the list shows regular meetings when the events do not bound it: enough for a
# reader planning the next weeks, short enough that a few weekly clubs do not bury the events.
MEETINGS_AHEAD = timedelta(days=28)
MEETINGS_AT_MOST = timedelta(days=62)


def _meetings_wanted(filters):
    if filters.get("free_only") or filters.get("no_meetings"):
        return False
    return filters.get("kind") in (
        None,
        Event.Kind.CLUB_MEETING,
        Event.Kind.SCHOOL_LESSON,
    )


def _page_window(page, rows, events, start, filters):
    """The stretch of time this page covers, so that each meeting is on exactly one page:
    from the first event of this page (the range start on page one) to the first event of
    the next page, or on the last page to the end of the range."""
    window_start = start if page.number == 1 or not rows else rows[0].starts_at
    if page.has_next():
        window_end = events[page.end_index() : page.end_index() + 1][0].starts_at
    elif "date_to" in filters:
        window_end = _day_start(filters["date_to"] + timedelta(days=1))
    else:
        last = timezone.localtime(rows[-1].starts_at).date() if rows else start.date()
        window_end = max(_day_start(last + timedelta(days=1)), start + MEETINGS_AHEAD)
    return window_start, min(window_end, window_start + MEETINGS_AT_MOST)


def _club_meetings(clubs, start, end):
    return sorted(
        (
            {"club": club, "time": timezone.localtime(moment)}
            for club in clubs
            for moment in club.meetings_between(start, end)
        ),
        key=lambda meeting: (meeting["time"], meeting["club"].name),
    )


def _group_by_day(events, meetings, *, first_day):
    """[{date, events, meetings}] in date order. An event that began before the listed range
    (a running exhibition) is shown on the range's first day."""
    days = {}
    for event in events:
        day = max(timezone.localtime(event.starts_at).date(), first_day)
        days.setdefault(day, {"date": day, "events": [], "meetings": []})["events"].append(event)
    for meeting in meetings:
        day = meeting["time"].date()
        days.setdefault(day, {"date": day, "events": [], "meetings": []})["meetings"].append(
            meeting
        )
    return [days[day] for day in sorted(days)]


def event_month(request, year, month):
    """The calendar as a month grid, with club and school meetings on their days."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    form = CalendarFilterForm(request.GET)
    form.is_valid()
    filters = {key: value for key, value in form.filters().items() if not key.startswith("date")}
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = _day_start(weeks[0][0]), _day_start(weeks[-1][-1] + timedelta(days=1))
    by_day = {}
    for event in _filtered_events(filters).filter(starts_at__gte=start, starts_at__lt=end):
        by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(
            {
                "title": event.title,
                "url": event.get_absolute_url(),
                "time": timezone.localtime(event.starts_at),
                "cancelled": event.status == Event.Status.CANCELLED,
                "club": False,
            }
        )
    if _meetings_wanted(filters):
        for club in attach_closures(_clubs_for(filters), since=weeks[0][0]):
            for moment in club.meetings_between(start, end):
                local = timezone.localtime(moment)
                by_day.setdefault(local.date(), []).append(
                    {
                        "title": club.name,
                        "url": club.get_absolute_url(),
                        "time": local,
                        "club": True,
                    }
                )
    for entries in by_day.values():
        entries.sort(key=lambda entry: entry["time"])
    first = date(year, month, 1)
    previous_month = first - timedelta(days=1)
    next_month = first + timedelta(days=32)
    return render(
        request,
        "events/event_month.html",
        {
            "form": form,
            "month": first,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "has_entries": any(
                by_day.get(day) for week in weeks for day in week if day.month == month
            ),
            "today": timezone.localdate(),
            "previous": previous_month.replace(day=1),
            "next": next_month.replace(day=1),
            "query": query_without_page(request),
        },
    )


def _clubs_for(filters):
    clubs = (
        Club.objects.public()
        .select_related("branch")
        .prefetch_related(
            Prefetch("exceptions", queryset=ClubException.objects.only("club_id", "date"))
        )
    )
    if "q" in filters:
        clubs = clubs.matching(filters["q"])
    if "branch" in filters:
        clubs = clubs.filter(branch=filters["branch"])
    if "audience" in filters:
        clubs = clubs.filter(audiences__contains=[filters["audience"]])
    if filters.get("kind") == Event.Kind.SCHOOL_LESSON:
        clubs = clubs.filter(kind=Club.Kind.SCHOOL)
    elif filters.get("kind") == Event.Kind.CLUB_MEETING:
        clubs = clubs.filter(kind=Club.Kind.CLUB)
    return clubs


def _public_event(pk):
    return get_object_or_404(
        Event.objects.public().select_related("branch").prefetch_related("topics", "partners"),
        pk=pk,
    )


def event_detail(request, pk, *, form=None, limited=False, error=None, status=200):
    event = _public_event(pk)
    url = request.build_absolute_uri(event.get_absolute_url())
    refusal = event.registration_refusal()
    if form is None and refusal is None:
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
        form = RegistrationForm(event=event, initial=initial)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "form": form,
            "refusal": refusal,
            "seats_open": event.seats_open,
            "is_over": event.is_over(),
            "library_closed": event.library_closed(),
            # A cancelled or past event says so at the top; a registration box would repeat it.
            "show_registration": event.status != Event.Status.CANCELLED and not event.is_over(),
            "limited": limited,
            "error": error,
            "json_ld": json_ld(
                event,
                url=url,
                branch_url=request.build_absolute_uri(event.branch.get_absolute_url()),
                # Search engines' event results want an image: the event's, or the portal's mark.
                image_url=request.build_absolute_uri(
                    event.image.url if event.image else static("favicon.svg")
                ),
            ),
            "map_url": map_url(event),
            "share_links": share_links(event, url=url),
            "google_calendar_url": google_calendar_url(event, url=url),
            "audiences": [Audience(code).label for code in event.audiences],
        },
        status=status,
    )


def event_register(request, pk):
    if request.method != "POST":
        # Reloading or switching language after a form error asks for this address: show the
        # event instead of a blank "method not allowed".
        return redirect("events:detail", pk=pk)
    event = _public_event(pk)
    form = RegistrationForm(request.POST, event=event)

    def register(form):
        data = form.cleaned_data
        return services.registration_create(
            event=event,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            seats=data["seats"],
            user=request.user,
            language=get_language(),
        )

    sent = public_form_handle(
        request,
        form,
        limit_key=REGISTER_GROUP,
        rate=SIGNUP_RATE,
        on_valid=register,
        refusals=(services.RegistrationError,),
    )
    if sent.spam:
        # Look like success to the bot; store nothing.
        return render(request, "events/registration_received.html", {"event": event})
    if sent.accepted:
        # With its own fragment, the browser does not carry the form's #register-title over.
        return redirect(sent.result.get_absolute_url() + "#main")
    return event_detail(
        request, pk, form=form, limited=sent.limited, error=sent.error, status=sent.status
    )


def _registration(token):
    return secret_get_or_404(
        Registration.objects.select_related("event", "event__branch"), token=token
    )


@secret_link_page
def registration_detail(request, token):
    registration = _registration(token)
    if request.method == "POST":
        # The cancel button used to post here; it now asks first, like every cancellation.
        return redirect("events:registration_cancel", token=token)
    event = registration.event
    return render(
        request,
        "events/registration_detail.html",
        {
            "registration": registration,
            "event": event,
            "can_cancel": registration.can_be_cancelled(timezone.now()),
            "position": registration.waitlist_position(),
        },
    )


@secret_link_page
def registration_cancel(request, token):
    """Asks before cancelling (GET shows the question, POST cancels), so that a link opened
    by a mail scanner or a stray tap never gives a seat away."""
    registration = _registration(token)
    can_cancel = registration.can_be_cancelled(timezone.now())
    if request.method == "POST" and can_cancel:
        services.registration_cancel(registration=registration)
        messages.success(request, _("Реєстрацію скасовано. Дякуємо, що попередили!"))
        return redirect("events:registration", token=token)
    return render(
        request,
        "events/registration_cancel.html",
        {"registration": registration, "event": registration.event, "can_cancel": can_cancel},
    )


def event_ics(request, pk):
    event = _public_event(pk)
    cal = ical.calendar(event.title)
    cal.add_component(ical.event_component(event))
    return ical.response(cal, f"event-{event.pk}")


def _feed_events(branch=None):
    events = (
        Event.objects.public()
        .select_related("branch")
        .filter(ends_at__gte=timezone.now() - timedelta(days=90))
    )
    if branch is not None:
        events = events.filter(branch=branch)
    return events.order_by("starts_at")[:FEED_EVENTS]


def calendar_all(request):
    cal = ical.calendar(_("Події бібліотек Луцька"))
    for event in _feed_events():
        cal.add_component(ical.event_component(event))
    for club in attach_closures(_clubs_for({})):
        cal.add_component(ical.club_component(club))
    return ical.response(cal, "lutsk-library-events")


def calendar_branch(request, slug):
    branch = get_object_or_404(Branch.objects.public(), slug=slug)
    cal = ical.calendar(_("Події: %(library)s") % {"library": branch.name})
    for event in _feed_events(branch):
        cal.add_component(ical.event_component(event))
    for club in attach_closures(_clubs_for({"branch": branch})):
        cal.add_component(ical.club_component(club))
    return ical.response(cal, f"events-{branch.slug}")


def calendar_club(request, slug):
    club = get_object_or_404(_clubs_for({}), slug=slug)
    cal = ical.calendar(club.name)
    cal.add_component(ical.club_component(club))
    return ical.response(cal, f"club-{club.slug}")


# --- Clubs and schools ------------------------------------------------------------------------


def club_list(request):
    kind = request.GET.get("kind", "")
    clubs = (
        Club.objects.public()
        .select_related("branch")
        .prefetch_related(
            Prefetch("exceptions", queryset=ClubException.objects.only("club_id", "date"))
        )
        .order_by("kind", "name")
    )
    if kind in Club.Kind.values:
        clubs = clubs.filter(kind=kind)
    search_form = ClubSearchForm(request.GET)
    if search_form.query():
        clubs = clubs.matching(search_form.query())
    page = page_of(request, clubs)
    today = timezone.localdate()
    page.object_list = attach_closures(page.object_list, since=today)
    return render(
        request,
        "events/club_list.html",
        {
            "page": page,
            "clubs": [
                {
                    "club": club,
                    "schedule": club_schedule(club),
                    "next": next(iter(club.next_meetings(count=1)), None),
                    "finished": club.ends_on is not None and club.ends_on < today,
                }
                for club in page.object_list
            ],
            "kind": kind,
            "kinds": Club.Kind.choices,
            "search_form": search_form,
            "query": query_without_page(request),
        },
    )


def club_detail(request, slug, *, form=None, limited=False, error=None, status=200):
    club = get_object_or_404(
        Club.objects.public().select_related("branch").prefetch_related("exceptions"), slug=slug
    )
    today = timezone.localdate()
    return render(
        request,
        "events/club_detail.html",
        {
            "club": club,
            "form": form or ClubJoinForm(),
            "limited": limited,
            "error": error,
            "meetings": club.next_meetings(count=6),
            "skipped": [e for e in club.exceptions.all() if e.date >= today],
            "schedule": club_schedule(club),
            "audiences": [Audience(code).label for code in club.audiences],
            "finished": club.ends_on is not None and club.ends_on < today,
        },
        status=status,
    )


def club_join(request, slug):
    if request.method != "POST":
        return redirect("events:club", slug=slug)
    club = get_object_or_404(Club.objects.public(), slug=slug)
    form = ClubJoinForm(request.POST)

    def join(form):
        data = form.cleaned_data
        return services.club_join(
            club=club,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            user=request.user,
        )

    sent = public_form_handle(
        request,
        form,
        limit_key=JOIN_GROUP,
        rate=SIGNUP_RATE,
        on_valid=join,
        refusals=(services.MembershipError,),
    )
    if sent.spam:
        return render(request, "events/club_joined.html", {"club": club, "membership": None})
    if sent.accepted:
        return redirect(reverse("events:membership", kwargs={"token": sent.result.token}) + "#main")
    return club_detail(
        request, slug, form=form, limited=sent.limited, error=sent.error, status=sent.status
    )


def _membership(token):
    return secret_get_or_404(
        ClubMembership.objects.select_related("club", "club__branch"), token=token
    )


@secret_link_page
def membership_detail(request, token):
    """The member's own page (a secret address): what they joined, and a way to leave."""
    membership = _membership(token)
    if request.method == "POST":
        return redirect("events:membership_leave", token=token)
    return render(
        request, "events/club_joined.html", {"club": membership.club, "membership": membership}
    )


@secret_link_page
def membership_leave(request, token):
    """Asks before taking the member off the list (GET asks, POST does it)."""
    membership = _membership(token)
    if request.method == "POST" and membership.left_on is None:
        services.club_leave(membership=membership)
        return redirect("events:membership", token=token)
    return render(
        request, "events/club_leave.html", {"club": membership.club, "membership": membership}
    )
