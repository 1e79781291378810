"""Actions on spaces and their bookings: the day's slots, booking (one resource row locked
while we look, the exclusion constraint behind it), staff approval, cancelling, the computers
made from the library's card, and forgetting bookers' names and contacts."""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from branches.models import Branch
from core.audit import audit_log, audit_status_message
from core.mail import mail_send
from core.phones import phone_normalize
from core.retention import audit_forget
from core.tz import KYIV
from spaces.models import BOOKING_HORIZON_DAYS, Booking, Resource, Slot


class BookingRefused(Exception):
    """The booking cannot be made; the message says why, for the visitor."""


class SlotTaken(BookingRefused):
    pass


def day_window(day: date) -> tuple[datetime, datetime]:
    """The Kyiv day as an aware [start, end) — and a little past midnight for late hours."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=KYIV)
    return start, start + timedelta(days=2)


def day_slots(*, resources, day: date, now=None) -> dict[int, list[Slot]]:
    """{resource id: its slots of `day`, each free or taken}, in one query for the bookings.

    The resources must share one library loaded `with_schedule` (closures and hours come with
    it), so the whole day view costs the same number of queries whatever it shows."""
    now = now or timezone.now()
    resources = list(resources)
    start, end = day_window(day)
    taken: dict[int, list[tuple[datetime, datetime]]] = {}
    rows = (
        Booking.objects.holding()
        .filter(resource__in=[r.pk for r in resources])
        .overlapping(start, end)
        .values_list("resource_id", "starts_at", "ends_at")
    )
    for resource_id, starts_at, ends_at in rows:
        taken.setdefault(resource_id, []).append((starts_at, ends_at))
    result = {}
    for resource in resources:
        busy = taken.get(resource.pk, [])
        result[resource.pk] = [
            Slot(
                starts_at=s,
                ends_at=e,
                free=s > now and not any(b0 < e and b1 > s for b0, b1 in busy),
            )
            for s, e in resource.slot_starts_on(day)
        ]
    return result


def date_problem(day: date, *, today=None) -> str:
    """Why `day` cannot be booked at all (past, too far ahead), in words; "" when it can."""
    today = today or timezone.localdate(timezone.now(), KYIV)
    if day < today:
        return _("Ця дата вже минула: оберіть сьогоднішню або пізнішу.")
    if day > today + timedelta(days=BOOKING_HORIZON_DAYS):
        last = formats.date_format(today + timedelta(days=BOOKING_HORIZON_DAYS), "j E Y")
        return _("Бронювати можна не далі ніж до %(date)s.") % {"date": last}
    return ""


def closed_message(resource: Resource, day: date) -> str:
    closure = resource.branch.closure_on(day)
    if closure is not None:
        return _("Цього дня бібліотека зачинена: %(reason)s.") % {
            "reason": closure.label.rstrip(".")
        }
    return _("Цей час не збігається з годинами роботи бібліотеки: оберіть вільний час зі списку.")


@transaction.atomic
def booking_create(
    *,
    resource_id: int,
    starts_at: datetime,
    name: str,
    email: str,
    phone: str = "",
    organisation: str = "",
    people: int = 1,
    purpose: str = "",
    user=None,
    language: str = "uk",
    now=None,
) -> Booking:
    """Book one slot of a resource. The resource row is locked while we check, so two people
    pressing «Забронювати» at once are served one after the other; the exclusion constraint
    on bookings backs this up should any other path forget the lock. A resource that needs
    staff approval gets a pending booking; otherwise it is confirmed at once. Either way the
    booker gets a letter with the cancel link."""
    now = now or timezone.now()
    resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
    if resource is None or not resource.is_active:
        raise BookingRefused(_("Цей простір зараз не можна забронювати."))
    resource.branch = Branch.objects.with_schedule(around=starts_at).get(pk=resource.branch_id)
    if not resource.branch.is_active:
        raise BookingRefused(_("Цей простір зараз не можна забронювати."))
    day = timezone.localtime(starts_at, KYIV).date()
    problem = date_problem(day, today=timezone.localdate(now, KYIV))
    if problem:
        raise BookingRefused(problem)
    slot = next((s for s in resource.slot_starts_on(day) if s[0] == starts_at), None)
    if slot is None:
        raise BookingRefused(closed_message(resource, day))
    if slot[0] <= now:
        raise BookingRefused(_("Цей час уже минув: оберіть пізніший."))
    if people > resource.capacity:
        raise BookingRefused(
            _("Найбільше людей у просторі «%(name)s»: %(capacity)s.")
            % {"name": resource, "capacity": resource.capacity}
        )
    if Booking.objects.holding().filter(resource=resource).overlapping(*slot).exists():
        raise SlotTaken(_("На жаль, цей час уже забронювали. Оберіть, будь ласка, інший."))
    status = Booking.Status.PENDING if resource.needs_approval else Booking.Status.CONFIRMED
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                resource=resource,
                starts_at=slot[0],
                ends_at=slot[1],
                user=user if user is not None and user.is_authenticated else None,
                organisation=organisation.strip(),
                name=name.strip(),
                email=email,
                phone=phone_normalize(phone),
                people=people,
                purpose=purpose.strip(),
                language=language,
                status=status,
                created_at=now,
            )
    except IntegrityError as exc:
        raise SlotTaken(_("На жаль, цей час уже забронювали. Оберіть, будь ласка, інший.")) from exc
    _mail(booking, "received" if status == Booking.Status.PENDING else "confirmed")
    return booking


def _move(booking: Booking, to, *, acting_user, note: str = "") -> Booking:
    booking = (
        Booking.objects.select_for_update().select_related("resource__branch").get(pk=booking.pk)
    )
    old = booking.status
    booking.transition_check(to)
    booking.status = to
    now = timezone.now()
    if to == Booking.Status.CANCELLED:
        booking.cancelled_at = now
    else:
        booking.decided_at = now
    booking.save(update_fields=["status", "cancelled_at", "decided_at"])
    if acting_user is not None:
        audit_log(
            user=acting_user,
            obj=booking,
            message=audit_status_message(booking, old, to),
            note=note,
        )
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, acting_user) -> Booking:
    """Staff confirm a pending booking; the booker is told."""
    booking = _move(booking, Booking.Status.CONFIRMED, acting_user=acting_user)
    _mail(booking, "approved")
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, acting_user, note: str = "") -> Booking:
    """Staff decline a pending booking (the time frees); the booker is told."""
    booking = _move(booking, Booking.Status.DECLINED, acting_user=acting_user, note=note)
    _mail(booking, "declined")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, acting_user=None) -> Booking:
    """Cancel a booking: by the booker through the link (no acting user), or by staff (logged,
    and the booker is told)."""
    if acting_user is None and not booking.can_be_cancelled():
        raise BookingRefused(_("Це бронювання вже не можна скасувати."))
    booking = _move(booking, Booking.Status.CANCELLED, acting_user=acting_user)
    if acting_user is not None:
        _mail(booking, "cancelled")
    return booking


def _mail(booking: Booking, kind: str) -> None:
    """kind: received (waits for approval), confirmed, approved, declined, cancelled (by staff)."""
    if not booking.email:
        return
    mail_send(
        to=booking.email,
        template="spaces/email/booking",
        context={"booking": booking, "kind": kind},
        language=booking.language,
    )


@transaction.atomic
def computers_sync(*, branch: Branch, acting_user) -> list[Resource]:
    """Make the library's public computers bookable: one resource per computer on its card
    (`Branch.public_pcs`), named «Компʼютер N», those missing added. Returns the new ones."""
    existing = set(
        Resource.objects.filter(branch=branch, kind=Resource.Kind.COMPUTER).values_list(
            "name", flat=True
        )
    )
    made = []
    for number in range(1, branch.public_pcs + 1):
        name = f"Компʼютер {number}"
        if name in existing:
            continue
        resource = Resource.objects.create(
            branch=branch,
            kind=Resource.Kind.COMPUTER,
            name=name,
            name_en=f"Computer {number}",
            capacity=1,
            slot_minutes=60,
            position=200 + number,
        )
        audit_log(user=acting_user, obj=resource, action="added")
        made.append(resource)
    return made


# --- retention ---------------------------------------------------------------------------------

_ERASED = {"name": "", "email": "", "phone": "", "organisation": "", "purpose": "", "user": None}


def bookings_anonymise(*, before) -> int:
    """Erase names, contacts and purposes of bookings that ended before `before`; the resource,
    times, number of people and status stay for the statistics."""
    bookings = list(
        Booking.objects.filter(ends_at__lt=before, anonymised_at__isnull=True).select_for_update()
    )
    audit_forget(
        bookings, words=[w for b in bookings for w in (b.name, b.email, b.phone, b.organisation)]
    )
    return Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        **_ERASED, anonymised_at=timezone.now()
    )


def bookings_forget_person(*, user, emails) -> int:
    """A reader closed their account: their bookings (by account or by one of their verified
    addresses) to come are cancelled, freeing the time, and all lose names and contacts."""
    match = Booking.objects.filter(user=user)
    for email in emails or ():
        match = match | Booking.objects.filter(email__iexact=email)
    bookings = list(match.filter(anonymised_at__isnull=True).distinct())
    now = timezone.now()
    for booking in bookings:
        if booking.status in Booking.HOLDING_STATUSES and booking.starts_at > now:
            _move(booking, Booking.Status.CANCELLED, acting_user=None)
    audit_forget(
        bookings, words=[w for b in bookings for w in (b.name, b.email, b.phone, b.organisation)]
    )
    return Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        **_ERASED, anonymised_at=timezone.now()
    )
