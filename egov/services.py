"""Actions of the help desk that change data: requests and their workflow, walk-in cases,
slots and bookings, the guides' search documents and the retention of personal data."""

from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from branches.models import Branch
from core import text
from core.audit import audit_log, audit_status_message
from core.mail import mail_send
from core.phones import phone_normalize
from core.retention import audit_forget
from core.secret_links import new_token
from core.tz import KYIV
from egov.models import (
    Booking,
    Guide,
    HelpRequest,
    Slot,
    Topic,
    WalkIn,
)

Status = HelpRequest.Status


# --- guides ------------------------------------------------------------------------------------

_GUIDE_SQL = """
UPDATE egov_guide SET search_document =
    setweight(to_tsvector('simple', %s), 'A') ||
    setweight(to_tsvector('simple', %s), 'B') ||
    setweight(to_tsvector('simple', %s), 'C')
WHERE id = %s
"""


def _texts(*parts):
    return " ".join(part for part in parts if part)


def guide_reindex(*, guide: Guide) -> None:
    """Recompute the guide's search document: lemmas of title and topic, summary, the rest."""
    links = " ".join(link.title for link in guide.links.all())
    # Both languages: a reader on the English site may type either.
    topic = guide.topic
    parts = [
        _texts(guide.title_uk, guide.title_en, topic.name_uk, topic.name_en),
        _texts(guide.summary_uk, guide.summary_en),
        _texts(guide.steps_uk, guide.steps_en, guide.what_to_bring_uk, links),
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
    language: str = "uk",
) -> HelpRequest:
    """A citizen's request from the public form; mail to them is in `language`, the language
    of the page they filled it in on."""
    request = HelpRequest.objects.create(
        topic=topic,
        branch=branch,
        name=name,
        contact=contact,
        preferred_time=preferred_time,
        description=description,
        consent_at=timezone.now(),
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
    )
    # No audit entry: the citizen is no staff member; `created_at` says when it came.
    return request


def help_request_transition_problem(
    *, request: HelpRequest, to_status: str, scheduled_for=None, minutes_spent=None
) -> str | None:
    """Why the request cannot move to `to_status` (in Ukrainian), or None when it can."""
    try:
        request.transition_check(to_status)
    except ValidationError as refusal:
        return refusal.message
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
    """Move a request along the workflow (TRANSITIONS) and log who did it and when (the
    admin history of the request)."""
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
    audit_log(
        user=acting_user,
        obj=request,
        message=audit_status_message(request, from_status, to_status),
        note=note[:300],
    )
    if to_status == Status.SCHEDULED and "@" in request.contact:
        # Whoever left a phone number is called; an e-mail address gets the time in writing.
        mail_send(
            to=request.contact,
            template="egov/email/help_scheduled",
            context={"request": request},
            language=request.language,
        )
    return request


# The same topic logged again by the same person this soon is more likely a second click than a
# second visitor: the form asks before saving it.
WALK_IN_TWIN_MINUTES = 5


@transaction.atomic
def walk_in_twin(*, topic: Topic, branch: Branch, acting_user, now=None) -> WalkIn | None:
    """The case this librarian logged on the same topic at the same library in the last few
    minutes, if any. The librarian's row is locked until the caller's transaction ends, so of
    two submissions of one form (a double click) the second waits and then sees the first."""
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=acting_user.pk).exists()
    return (
        WalkIn.objects.filter(
            topic=topic,
            branch=branch,
            logged_by=acting_user,
            logged_at__gte=now - timedelta(minutes=WALK_IN_TWIN_MINUTES),
        )
        .order_by("-logged_at")
        .first()
    )


@transaction.atomic
def walk_in_log(
    *,
    topic: Topic,
    branch: Branch,
    minutes: int,
    resolved: bool,
    acting_user,
    date=None,
    confirmed_twin: bool = False,
):
    """Log a desk case. A twin of a case logged minutes ago is refused unless the librarian
    confirmed it is another person (`confirmed_twin`)."""
    if not confirmed_twin and walk_in_twin(topic=topic, branch=branch, acting_user=acting_user):
        raise ValidationError(
            _("Таке саме звернення ви щойно записали. Якщо це інша людина, підтвердьте."),
            code="twin",
        )
    walk_in = WalkIn(
        topic=topic,
        branch=branch,
        minutes=minutes,
        resolved=resolved,
        logged_by=acting_user,
        logged_at=timezone.now(),
        date=date or timezone.localdate(timezone=KYIV),
    )
    walk_in.full_clean()
    walk_in.save()
    audit_log(user=acting_user, obj=walk_in, action="added", message=_("Звернення записано"))
    return walk_in


def _walk_in_check_correctable(walk_in: WalkIn, acting_user) -> None:
    if not walk_in.is_correctable_by(acting_user):
        raise PermissionDenied(
            _("Виправити чи видалити звернення може лише той, хто його записав, і лише того ж дня.")
        )


@transaction.atomic
def walk_in_correct(
    *, walk_in: WalkIn, acting_user, topic: Topic, minutes: int, resolved: bool, date
) -> WalkIn:
    """Its author corrects a case logged today (a wrong topic or time chosen in a hurry)."""
    walk_in = WalkIn.objects.select_for_update().get(pk=walk_in.pk)
    _walk_in_check_correctable(walk_in, acting_user)
    changed = [
        str(WalkIn._meta.get_field(name).verbose_name)
        for name, value in [
            ("topic", topic),
            ("minutes", minutes),
            ("resolved", resolved),
            ("date", date),
        ]
        if getattr(walk_in, name) != value
    ]
    walk_in.topic, walk_in.minutes, walk_in.resolved, walk_in.date = topic, minutes, resolved, date
    walk_in.full_clean()
    walk_in.save(update_fields=["topic", "minutes", "resolved", "date"])
    if changed:
        audit_log(
            user=acting_user,
            obj=walk_in,
            message=_("Виправлено: %(fields)s") % {"fields": ", ".join(changed)},
        )
    return walk_in


@transaction.atomic
def walk_in_delete(*, walk_in: WalkIn, acting_user) -> None:
    """Its author deletes a case logged today by mistake (a duplicate, a test click)."""
    walk_in = WalkIn.objects.select_for_update().get(pk=walk_in.pk)
    _walk_in_check_correctable(walk_in, acting_user)
    audit_log(user=acting_user, obj=walk_in, action="deleted", message=_("Звернення видалено"))
    walk_in.delete()


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
    if slot is None:
        raise SlotTaken
    if not slot.is_bookable(timezone.now()):
        raise SlotClosed if slot.closure() is not None else SlotTaken
    phone = phone_normalize(phone)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, name=name, email=email, phone=phone, note=note, language=language
            )
    except IntegrityError as exc:
        raise SlotTaken from exc
    if email:
        _booking_mail(booking, "confirmation")
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
    old = booking.status
    booking.status = status
    fields = ["status"]
    # The citizen came: once, a link to a short feedback form (reference.Feedback).
    ask_feedback = (
        status == Booking.Status.ATTENDED
        and booking.email
        and booking.feedback_token is None
        and booking.anonymised_at is None
    )
    if ask_feedback:
        booking.feedback_token = new_token()
        fields.append("feedback_token")
    booking.save(update_fields=fields)
    audit_log(
        user=acting_user,
        obj=booking,
        message=audit_status_message(booking, old, booking.status),
    )
    if ask_feedback:
        _booking_mail(booking, "feedback")
    return booking


class FeedbackUnavailable(Exception):
    """The feedback link is not (or no longer) valid: its message is for the citizen."""


@transaction.atomic
def booking_feedback_claim(*, token: str) -> Booking:
    """Take the one feedback of a consultation the citizen came to, by the mailed link's
    token; call it in the transaction that saves the feedback. The booking row is locked, so
    two posts of the same link give one feedback."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__branch")
        .filter(feedback_token=token, status=Booking.Status.ATTENDED, anonymised_at__isnull=True)
        .first()
    )
    if booking is None:
        raise FeedbackUnavailable(_("Це посилання для відгуку вже не діє."))
    if booking.feedback_given:
        raise FeedbackUnavailable(_("Відгук про цю консультацію вже надіслано. Дякуємо!"))
    booking.feedback_given = True
    booking.save(update_fields=["feedback_given"])
    return booking


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
        audit_log(user=acting_user, obj=booking, message=_("Скасовано працівником бібліотеки"))
        if booking.email:
            _booking_mail(booking, "cancelled")
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
    for booking in due:
        # Claim and queue together, so that two workers never remind the same person twice
        # and a reminder is never claimed without its mail.
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            )
            if claimed:
                _booking_mail(booking, "reminder")
                sent += 1
    return sent


def _booking_mail(booking: Booking, kind: str) -> None:
    """kind: confirmation, reminder, cancelled (by the library) or feedback (after it)."""
    mail_send(
        to=booking.email,
        template="egov/email/booking",
        context={"booking": booking, "kind": kind},
        language=booking.language,
    )


# --- retention ---------------------------------------------------------------------------------


def help_requests_anonymise(*, before) -> int:
    """Erase names, contacts and what staff wrote about them from requests closed before
    `before`, here and in the audit log. Topic, minutes, status and dates stay for the
    statistics."""
    requests = list(
        HelpRequest.objects.closed()
        .filter(closed_at__lt=before, anonymised_at__isnull=True)
        .select_for_update()
    )
    audit_forget(requests, words=[w for r in requests for w in (r.name, r.contact)])
    return HelpRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        name="",
        contact="",
        description="",
        preferred_time="",
        outcome="",
        anonymised_at=timezone.now(),
    )


def bookings_anonymise(*, before) -> int:
    """Erase names and contacts from consultation bookings of slots that ended before `before`."""
    bookings = list(
        Booking.objects.filter(
            slot__ends_at__lt=before, anonymised_at__isnull=True
        ).select_for_update(of=("self",))
    )
    audit_forget(bookings, words=[w for b in bookings for w in (b.name, b.email, b.phone)])
    return Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        name="", email="", phone="", note="", feedback_token=None, anonymised_at=timezone.now()
    )


def bookings_forget_person(*, user, emails) -> int:
    """A reader closed their account: bookings made with one of their verified addresses are
    cancelled if still to come (the slot frees) and lose names and contacts."""
    if not emails:
        return 0
    match = Q()
    for email in emails:
        match |= Q(email__iexact=email)
    bookings = list(
        Booking.objects.filter(match, anonymised_at__isnull=True).select_related("slot")
    )
    now = timezone.now()
    for booking in bookings:
        if booking.status == Booking.Status.BOOKED and booking.slot.starts_at > now:
            booking_cancel(booking=booking)
    audit_forget(bookings, words=[w for b in bookings for w in (b.name, b.email, b.phone)])
    return Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        name="", email="", phone="", note="", feedback_token=None, anonymised_at=timezone.now()
    )
