"""Public pages of the help desk: landing, guides and their search, «Попросити допомогу»,
free consultation slots, booking and its confirmation and cancel pages."""

from datetime import UTC

from django.conf import settings
from django.core.validators import slug_re
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from core.calendars import organizer
from core.forms import Outcome, public_form_handle
from core.pagination import page_of, query_without_page
from core.secret_links import secret_get_or_404, secret_link_page
from egov import services
from egov.forms import BookingForm, GuideSearchForm, HelpRequestForm, SlotFilterForm, egov_branches
from egov.models import Booking, Guide, Slot, Topic
from egov.search import corrected_query, search_guides
from events.models import Event

LANDING_SLOTS = 6
LANDING_MEETINGS = 3
ALTERNATIVES = 5
# Public forms: at most this many accepted submissions per address.
FORM_RATE = "10/h"


def _where_to_go(now):
    branches = egov_branches().with_schedule(around=now)
    return [(branch, branch.status_at(now)) for branch in branches]


def index(request):
    now = timezone.now()
    # Meta.ordering is not applied to grouped queries, hence the explicit order.
    topics = (
        Topic.objects.annotate(guide_count=Count("guides", filter=Q(guides__is_published=True)))
        .filter(guide_count__gt=0)
        .order_by("position", "name")
    )
    slots = Slot.objects.free(now=now).select_related("branch")[:LANDING_SLOTS]
    # Community meetings on e-services are ordinary events of the events app.
    meetings = (
        Event.objects.public()
        .upcoming(now=now)
        .filter(kind=Event.Kind.COMMUNITY_MEETING, status=Event.Status.PUBLISHED)
        .select_related("branch")
        .order_by("starts_at")[:LANDING_MEETINGS]
    )
    return render(
        request,
        "egov/index.html",
        {
            "topics": topics,
            "rows": _where_to_go(now),
            "slots": slots,
            "meetings": meetings,
            "meetings_kind": Event.Kind.COMMUNITY_MEETING,
            "search_form": GuideSearchForm(),
        },
    )


def guide_list(request):
    form = GuideSearchForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    query = data.get("q", "")
    topic = data.get("topic")
    page = page_of(request, search_guides(query, topic))
    corrected = None
    if query and not page.paginator.count:
        # Nothing for what was typed: try again with typos put right, and say so on the page.
        corrected = corrected_query(query)
        if corrected:
            guides = search_guides(corrected, topic)
            page = page_of(request, guides)
    return render(
        request,
        "egov/guide_list.html",
        {
            "form": form,
            "page": page,
            "guides": page.object_list,
            "searched": bool(query or topic),
            "query": query_without_page(request),
            "search_query": query,
            "corrected": corrected,
            "topic": topic,
        },
    )


def guide_detail(request, slug):
    guide = get_object_or_404(
        Guide.objects.published().select_related("topic").prefetch_related("links"), slug=slug
    )
    return render(request, "egov/guide_detail.html", {"guide": guide})


def help_request(request):
    if request.method == "POST":
        form = HelpRequestForm(request.POST)
    else:
        # A link from a guide carries ?topic=<slug>; anything else (a NUL byte would be a
        # database error) simply preselects nothing.
        slug = request.GET.get("topic", "")
        topic = Topic.objects.filter(slug=slug).first() if slug_re.match(slug) else None
        form = HelpRequestForm(initial={"topic": topic} if topic else {})

    def create(form):
        data = form.cleaned_data
        return services.help_request_create(
            topic=data["topic"],
            branch=data["branch"],
            name=data["name"],
            contact=data["contact"],
            preferred_time=data["preferred_time"],
            description=data["description"],
            language=get_language() or "uk",
        )

    sent = public_form_handle(request, form, limit_key="egov.help", rate=FORM_RATE, on_valid=create)
    if sent.accepted:
        return redirect("egov:help_thanks")
    return render(
        request,
        "egov/help_request_form.html",
        {"form": form, "limited": sent.limited},
        status=sent.status,
    )


def help_thanks(request):
    return render(request, "egov/help_request_thanks.html")


def slot_list(request):
    form = SlotFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    slots = Slot.objects.free().select_related("branch")
    if data.get("branch"):
        slots = slots.filter(branch=data["branch"])
    if data.get("kind"):
        slots = slots.filter(kind=data["kind"])
    page = page_of(request, slots)
    return render(
        request,
        "egov/slot_list.html",
        {
            "form": form,
            "page": page,
            "slots": page.object_list,
            "query": query_without_page(request),
        },
    )


def slot_book(request, pk):
    slot = get_object_or_404(Slot.objects.select_related("branch"), pk=pk, is_published=True)
    # A closure entered after the slot was published: say so rather than «already taken».
    closure = slot.closure()
    taken = not slot.is_bookable(timezone.now())
    form = BookingForm(request.POST if request.method == "POST" else None)

    def book(form):
        data = form.cleaned_data
        return services.slot_book(
            slot_id=slot.pk,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            note=data["note"],
            language=get_language() or "uk",
        )

    sent = Outcome()
    if not taken:
        sent = public_form_handle(
            request,
            form,
            limit_key="egov.booking",
            rate=FORM_RATE,
            on_valid=book,
            refusals=(services.SlotTaken,),
        )
    if sent.spam:
        return redirect("egov:slots")
    if sent.accepted:
        return redirect(sent.result.get_absolute_url())
    taken = taken or sent.refusal is not None
    alternatives = []
    if taken:
        alternatives = list(
            Slot.objects.free()
            .filter(branch=slot.branch, kind=slot.kind)
            .select_related("branch")[:ALTERNATIVES]
        )
        if not alternatives:
            alternatives = list(
                Slot.objects.free()
                .filter(branch=slot.branch)
                .select_related("branch")[:ALTERNATIVES]
            )
    status = 409 if taken and request.method == "POST" else sent.status
    return render(
        request,
        "egov/slot_book.html",
        {
            "slot": slot,
            "form": form,
            "taken": taken,
            "closure": closure,
            "limited": sent.limited,
            "alternatives": alternatives,
        },
        status=status,
    )


def _booking(token):
    return secret_get_or_404(
        Booking.objects.select_related("slot__branch").filter(anonymised_at__isnull=True),
        token=token,
    )


@secret_link_page
def booking_detail(request, token):
    booking = _booking(token)
    closure = booking.slot.closure() if booking.status == Booking.Status.BOOKED else None
    return render(request, "egov/booking_detail.html", {"booking": booking, "closure": closure})


@secret_link_page
def booking_calendar(request, token):
    """The booking as an iCalendar file, so that the phone reminds the citizen too."""
    booking = _booking(token)
    slot = booking.slot
    cal = Calendar()
    cal.add("prodid", "-//CBS Lutsk//E-services//UK")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    vevent = ICalEvent()
    vevent.add("uid", f"egov-booking-{booking.pk}@lutsk-cbs")
    vevent.add("dtstamp", booking.created_at.astimezone(UTC).replace(microsecond=0))
    vevent.add("dtstart", slot.starts_at.astimezone(UTC))
    vevent.add("dtend", slot.ends_at.astimezone(UTC))
    branch = slot.branch
    place = ", ".join(part for part in (branch.name, branch.address, "Луцьк") if part)
    vevent.add("summary", f"{slot.get_kind_display()} — {branch.name}")
    vevent.add("location", place)
    vevent.add("organizer", organizer(name=branch.name, email=branch.email))
    vevent.add("url", settings.SITE_URL + booking.get_absolute_url())
    vevent.add("description", _booking_description(booking, place))
    cancelled = booking.status == Booking.Status.CANCELLED
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(vevent)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="konsultatsiia.ics"'
    return response


def _booking_description(booking, place):
    """What the citizen's calendar shows: what, with whom, where, what to bring, how to cancel."""
    slot = booking.slot
    when = f"{date_format(timezone.localtime(slot.starts_at), 'j E Y, H:i')}–" + time_format(
        timezone.localtime(slot.ends_at), "H:i"
    )
    lines = [
        _("Консультація: %(kind)s") % {"kind": slot.get_kind_display()},
        _("Коли: %(when)s") % {"when": when},
        _("Де: %(place)s") % {"place": place},
    ]
    if slot.consultant:
        lines.append(_("Консультант: %(name)s") % {"name": slot.consultant})
    if slot.branch.phone:
        lines.append(_("Телефон бібліотеки: %(phone)s") % {"phone": slot.branch.phone})
    lines += [
        _(
            "Візьміть із собою паспорт або ID-картку, ідентифікаційний код і телефон, "
            "якщо він у вас є."
        ),
        _("Не зможете прийти? Скасуйте запис: %(url)s")
        % {"url": settings.SITE_URL + booking.get_cancel_url()},
    ]
    return "\n".join(lines)


@secret_link_page
def booking_cancel(request, token):
    booking = _booking(token)
    can_cancel = booking.can_be_cancelled(timezone.now())
    if request.method == "POST" and can_cancel:
        booking = services.booking_cancel(booking=booking)
        return render(request, "egov/booking_cancel.html", {"booking": booking, "done": True})
    return render(
        request,
        "egov/booking_cancel.html",
        {"booking": booking, "can_cancel": can_cancel, "done": False},
    )
