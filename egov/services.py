"""Actions of the help desk that change data: requests and their workflow, walk-in cases,
slots and bookings, the guides' search documents and the retention of personal data."""

import logging
from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import Branch
from core import text
from core.phones import phone_normalize
from core.tz import KYIV
from egov.models import (
    Booking,
    Guide,
    HelpRequest,
    HelpRequestEvent,
    Slot,
    Topic,
    WalkIn,
)

logger = logging.getLogger(__name__)
Status = HelpRequest.Status

# The help request workflow: from each state, where staff may move it.
TRANSITIONS = {
    Status.NEW: {Status.SCHEDULED, Status.DONE, Status.CANCELLED},
    Status.SCHEDULED: {Status.SCHEDULED, Status.DONE, Status.CANCELLED, Status.NO_SHOW},
    Status.DONE: set(),
    Status.CANCELLED: set(),
    Status.NO_SHOW: set(),
}


# --- guides ------------------------------------------------------------------------------------

_GUIDE_SQL = """
UPDATE egov_guide SET search_document =
    setweight(to_tsvector('simple', %s), 'A') ||
    setweight(to_tsvector('simple', %s), 'B') ||
    setweight(to_tsvector('simple', %s), 'C')
WHERE id = %s
"""


def guide_reindex(*, guide: Guide) -> None:
    """Recompute the guide's search document: lemmas of title and topic, summary, the rest."""
    links = " ".join(link.title for link in guide.links.all())
    parts = [
        f"{guide.title} {guide.topic.name} {guide.topic.name_en}",
        guide.summary,
        f"{guide.steps} {guide.what_to_bring} {links}",
    ]
    with connection.cursor() as cursor:
        cursor.execute(_GUIDE_SQL, [" ".join(text.lemmas(part)) for part in parts] + [guide.pk])


# --- help requests -----------------------------------------------------------------------------


@transaction.atomic
def help_request_create(
    *,
    topic: Topic,
    branch: Branch,
    name: str,
    contact: str,
    preferred_time: str = "",
    description: str = "",
) -> HelpRequest:
    request = HelpRequest.objects.create(
        topic=topic,
        branch=branch,
        name=name,
        contact=contact,
        preferred_time=preferred_time,
        description=description,
        consent_at=timezone.now(),
    )
    HelpRequestEvent.objects.create(request=request, from_status="", to_status=Status.NEW)
    return request


def help_request_transition_problem(
    *, request: HelpRequest, to_status: str, scheduled_for=None, minutes_spent=None
) -> str | None:
    """Why the request cannot move to `to_status` (in Ukrainian), or None when it can."""
    if to_status not in TRANSITIONS[request.status]:
        return _("Запит у стані «%(from)s» не можна перевести в стан «%(to)s».") % {
            "from": Status(request.status).label,
            "to": Status(to_status).label,
        }
    if to_status == Status.SCHEDULED and scheduled_for is None:
        return _("Вкажіть, на коли призначено зустріч.")
    if to_status == Status.DONE and not minutes_spent and not request.minutes_spent:
        return _("Вкажіть, скільки хвилин зайняла допомога.")
    return None


@transaction.atomic
def help_request_transition(
    *,
    request: HelpRequest,
    to_status: str,
    acting_user,
    scheduled_for: datetime | None = None,
    outcome: str | None = None,
    minutes_spent: int | None = None,
    note: str = "",
) -> HelpRequest:
    """Move a request along the workflow (TRANSITIONS) and log who did it and when."""
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    from_status = request.status
    problem = help_request_transition_problem(
        request=request,
        to_status=to_status,
        scheduled_for=scheduled_for,
        minutes_spent=minutes_spent,
    )
    if problem:
        raise ValidationError(problem)
    if to_status == Status.SCHEDULED:
        request.scheduled_for = scheduled_for
    if outcome is not None:
        request.outcome = outcome
    if minutes_spent:
        request.minutes_spent = minutes_spent
    if request.assignee_id is None and acting_user is not None and acting_user.is_staff:
        request.assignee = acting_user
    request.status = to_status
    if to_status in HelpRequest.CLOSED:
        request.closed_at = timezone.now()
    request.save()
    HelpRequestEvent.objects.create(
        request=request,
        from_status=from_status,
        to_status=to_status,
        acting_user=acting_user,
        note=note[:300],
    )
    if to_status == Status.SCHEDULED and "@" in request.contact:
        # Whoever left a phone number is called; an e-mail address gets the time in writing.
        transaction.on_commit(lambda: _send_meeting_mail(request.pk))
    return request


def _send_meeting_mail(request_id: int) -> bool:
    request = HelpRequest.objects.select_related("branch", "topic").get(pk=request_id)
    body = render_to_string("egov/email/help_scheduled.txt", {"request": request})
    try:
        send_mail(_("Вам призначено зустріч у бібліотеці"), body, None, [request.contact])
    except Exception:
        logger.exception("Help request %s: the meeting mail was not sent", request_id)
        return False
    return True


def walk_in_log(
    *, topic: Topic, branch: Branch, minutes: int, resolved: bool, acting_user, date=None
):
    walk_in = WalkIn(
        topic=topic,
        branch=branch,
        minutes=minutes,
        resolved=resolved,
        logged_by=acting_user,
        date=date or timezone.localdate(),
    )
    walk_in.full_clean()
    walk_in.save()
    return walk_in


# --- slots and bookings ------------------------------------------------------------------------


class SlotTaken(Exception):
    """Someone else booked the slot first (or it is gone or in the past)."""


class SlotClosed(SlotTaken):
    """The library turned out to be closed that day (a closure entered after publishing)."""


@transaction.atomic
def slot_book(
    *, slot_id: int, name: str, email: str = "", phone: str = "", note: str = "", language="uk"
) -> Booking:
    """Book a slot for one citizen. The slot row is locked while we look, so two people
    pressing «Записатися» at once are served one after the other; the partial unique index
    on bookings backs this up should any other code path forget the lock."""
    slot = Slot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None or not slot.is_published or slot.starts_at <= timezone.now():
        raise SlotTaken
    if slot.bookings.filter(status__in=Booking.HOLDING_STATUSES).exists():
        raise SlotTaken
    if slot.closure() is not None:
        raise SlotClosed
    phone = phone_normalize(phone)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, name=name, email=email, phone=phone, note=note, language=language
            )
    except IntegrityError as exc:
        raise SlotTaken from exc
    if email:
        transaction.on_commit(lambda: _send_booking_mail(booking.pk, "confirmation"))
    return booking


class SeriesPublished(NamedTuple):
    created: list[Slot]
    # (slot, why) for the times the library is closed; nothing is published for them.
    skipped: list[tuple[Slot, str]]


@transaction.atomic
def slots_publish(
    *,
    branch: Branch,
    kind: str,
    weekday: int,
    start: time,
    end: time,
    minutes: int,
    first_day,
    weeks: int,
    consultant: str = "",
    acting_user=None,
    is_demo: bool = False,
) -> SeriesPublished:
    """Publish a weekly series: e.g. Diia help on Tuesdays 10:00–13:00 in 30-minute slots.

    Slots that already exist (same library, kind and start) are left alone, so publishing the
    same series again only adds what is missing. Times when the library is closed (lunch
    break, a holiday, a sanitary day) are skipped and returned with the reason.
    """
    if end <= start or minutes <= 0:
        raise ValidationError(_("Кінець має бути пізніше за початок, а тривалість — додатною."))
    # Locking the library serialises two librarians publishing at once (the second sees the
    # first one's slots as existing); the fresh instance reads the weekly hours and the dated
    # closures once for the whole series.
    branch = Branch.objects.select_for_update().prefetch_related("hours").get(pk=branch.pk)
    day = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
    wanted = []
    for _week in range(weeks):
        moment = datetime.combine(day, start, tzinfo=KYIV)
        last = datetime.combine(day, end, tzinfo=KYIV)
        while moment + timedelta(minutes=minutes) <= last:
            wanted.append(moment)
            moment += timedelta(minutes=minutes)
        day += timedelta(days=7)
    existing = set(
        Slot.objects.filter(branch=branch, kind=kind, starts_at__in=wanted).values_list(
            "starts_at", flat=True
        )
    )
    fresh, skipped = [], []
    for moment in wanted:
        if moment in existing:
            continue
        slot = Slot(
            branch=branch,
            kind=kind,
            starts_at=moment,
            ends_at=moment + timedelta(minutes=minutes),
            consultant=consultant,
            is_demo=is_demo,
        )
        reason = slot.closed_reason()
        if reason:
            skipped.append((slot, reason))
        else:
            fresh.append(slot)
    return SeriesPublished(created=Slot.objects.bulk_create(fresh), skipped=skipped)


@transaction.atomic
def booking_mark(*, booking: Booking, status: str, acting_user) -> Booking:
    """Staff record whether the citizen came; logged in the admin history."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise ValidationError(_("Можна позначити лише «прийшли» або «не прийшли»."))
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError(_("Скасоване бронювання не можна позначити."))
    old = booking.get_status_display()
    booking.status = status
    booking.save(update_fields=["status"])
    _log(acting_user, booking, f"{old} → {booking.get_status_display()}")
    return booking


def _log(user, obj, message):
    if user is None or not user.pk:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, acting_user=None) -> Booking:
    """Cancel a booking: by the citizen through the link, or by staff (logged, and the citizen
    is told by mail — e.g. when the library turned out to be closed that day)."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(_("Це бронювання вже не можна скасувати."))
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    if acting_user is not None:
        _log(acting_user, booking, _("Скасовано працівником бібліотеки"))
        if booking.email:
            transaction.on_commit(lambda: _send_booking_mail(booking.pk, "cancelled"))
    return booking


def booking_reminders_send(*, now=None) -> int:
    """Remind everyone booked for tomorrow (Kyiv date), once each; returns how many."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now, KYIV) + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, tzinfo=KYIV)
    # No «see you tomorrow» for a day the library turned out to be closed: staff cancel those
    # bookings from the admin, which tells the citizen why.
    open_slots = Slot.objects.on_open_days().filter(
        starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
    )
    due = Booking.objects.filter(
        status=Booking.Status.BOOKED,
        reminder_sent_at__isnull=True,
        slot__in=open_slots.values("pk"),
    ).exclude(email="")
    sent = 0
    for booking_id in due.values_list("pk", flat=True):
        # Claim before sending, so that two workers never remind the same person twice.
        claimed = Booking.objects.filter(pk=booking_id, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
        if not claimed:
            continue
        if _send_booking_mail(booking_id, "reminder"):
            sent += 1
        else:
            # Let the next hourly run try again.
            Booking.objects.filter(pk=booking_id).update(reminder_sent_at=None)
    return sent


def _send_booking_mail(booking_id: int, kind: str) -> bool:
    """Send the confirmation or the reminder; False when the mail server refused it.

    A refused mail must not undo the booking: the confirmation page shows the cancel link too.
    """
    booking = Booking.objects.select_related("slot__branch").get(pk=booking_id)
    base = settings.SITE_URL
    with translation.override(booking.language):
        context = {
            "booking": booking,
            "slot": booking.slot,
            "detail_url": base + booking.get_absolute_url(),
            "cancel_url": base + booking.get_cancel_url(),
        }
        subjects = {
            "confirmation": _("Ви записалися на консультацію"),
            "reminder": _("Нагадування: завтра консультація в бібліотеці"),
            "cancelled": _("Бібліотека скасувала ваш запис на консультацію"),
        }
        closure = booking.slot.closure() if kind == "cancelled" else None
        context["closure"] = closure
        context["slots_url"] = base + reverse("egov:slots")
        body = render_to_string("egov/email/booking.txt", {**context, "kind": kind})
        subject = subjects[kind]
    try:
        send_mail(subject, body, None, [booking.email])
    except Exception:
        logger.exception("Booking %s: the %s mail was not sent", booking_id, kind)
        return False
    return True


# --- retention ---------------------------------------------------------------------------------


@transaction.atomic
def personal_data_anonymise(*, days: int | None = None, dry_run: bool = False, now=None) -> dict:
    """Erase names and contacts from closed requests and past bookings older than `days`."""
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    requests = HelpRequest.objects.closed().filter(closed_at__lt=cutoff, anonymised_at__isnull=True)
    bookings = Booking.objects.filter(slot__ends_at__lt=cutoff, anonymised_at__isnull=True)
    counts = {"requests": requests.count(), "bookings": bookings.count()}
    if not dry_run:
        stamp = timezone.now()
        # Staff notes and outcomes may name the person too; the numbers (topic, minutes,
        # status, dates) stay for the statistics.
        HelpRequestEvent.objects.filter(request__in=requests).update(note="")
        requests.update(
            name="",
            contact="",
            description="",
            preferred_time="",
            outcome="",
            anonymised_at=stamp,
        )
        bookings.update(name="", email="", phone="", note="", anonymised_at=stamp)
    return counts
