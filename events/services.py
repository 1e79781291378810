"""Actions on events, registrations and clubs. Capacity is counted and locked only here.

Every change of seats takes the event's row lock (`select_for_update`) first, so concurrent
sign-ups queue up on the database; `Event.seats_confirmed <= capacity` is also a CHECK
constraint, the backstop should a future change forget the lock. The waitlist is strictly
first come, first served: when seats free up the head of the queue is promoted while it fits,
and a large family at the head is not jumped by a smaller party behind it.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, audit_status_message
from core.mail import mail_send
from core.phones import INVALID_MESSAGE as INVALID_PHONE
from core.phones import phone_normalize
from core.retention import audit_forget
from events.models import Club, ClubMembership, Event, Partner, Registration

logger = logging.getLogger(__name__)

# A change to any of these is news for everyone registered.
NOTIFY_FIELDS = ("starts_at", "ends_at", "branch_id", "venue", "is_online", "online_url")


class RegistrationError(Exception):
    """A sign-up that cannot be made; the message is for the person signing up."""


# --- Events -----------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    title,
    kind,
    branch,
    starts_at,
    ends_at=None,
    status=Event.Status.DRAFT,
    topics=(),
    partners=(),
    acting_user=None,
    **fields,
) -> Event:
    """Create an event; `fields` are any other Event fields (description, capacity, …)."""
    event = Event(
        title=title,
        kind=kind,
        branch=branch,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(hours=2),
        status=status,
        published_at=timezone.now() if status == Event.Status.PUBLISHED else None,
        **fields,
    )
    event.full_clean(exclude=["topics", "partners"])
    event.save()
    if topics:
        event.topics.set(topics)
    if partners:
        event.partners.set(partners)
    if acting_user is not None:
        audit_log(user=acting_user, obj=event, action="added", message=_("Захід створено"))
    return event


@transaction.atomic
def event_set_status(*, event, status, acting_user=None) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if status == locked.status:
        return locked
    locked.transition_check(status)
    if status == Event.Status.PUBLISHED:
        _closed_library_check(locked)
    old = locked.status
    locked.status = status
    if status == Event.Status.PUBLISHED and locked.published_at is None:
        locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    if acting_user is not None:
        audit_log(
            user=acting_user,
            obj=locked,
            message=audit_status_message(locked, old, locked.status),
        )
    if status == Event.Status.CANCELLED:
        _notify_registrants(locked, "cancelled")
    event.status, event.published_at = locked.status, locked.published_at
    event.registrants_to_phone = getattr(locked, "registrants_to_phone", 0)
    return locked


def _closed_library_check(event):
    """Refuse to announce an event for a time its library is closed unless staff have said
    why it goes ahead (Event.closed_day_reason); the model's clean() says the same in forms."""
    closed = event.library_closed()
    if closed and not event.closed_day_reason:
        raise ValidationError(
            _(
                "«%(event)s»: бібліотека в цей час зачинена (%(reason)s). Перенесіть захід або "
                "поясніть, чому він відбудеться попри це."
            )
            % {"event": event.title, "reason": closed}
        )


@transaction.atomic
def event_save(*, event, acting_user=None) -> Event:
    """Save an edited event (from the admin): registrants hear about a new time or place,
    and added seats go to the waitlist."""
    if event.status == Event.Status.PUBLISHED and event.published_at is None:
        event.published_at = timezone.now()
    if event.pk is None:
        # The admin logs the addition itself.
        event.save()
        return event
    before = Event.objects.select_for_update().get(pk=event.pk)
    if before.status != event.status:
        before.transition_check(event.status)
    if event.capacity is not None and event.capacity < before.seats_confirmed:
        raise ValidationError(
            _("Уже підтверджено %(count)s місць: місткість не може бути меншою.")
            % {"count": before.seats_confirmed}
        )
    event.seats_confirmed = before.seats_confirmed
    event.save()
    changed = [name for name in NOTIFY_FIELDS if getattr(before, name) != getattr(event, name)]
    if changed and event.status == Event.Status.PUBLISHED:
        _notify_registrants(event, "changed")
    if before.status != event.status:
        if acting_user is not None:
            audit_log(
                user=acting_user,
                obj=event,
                message=audit_status_message(event, before.status, event.status),
            )
        if event.status == Event.Status.CANCELLED:
            _notify_registrants(event, "cancelled")
    if event.status == Event.Status.PUBLISHED:
        _promote_waitlist(event)
    return event


@transaction.atomic
def event_copy(*, event, acting_user=None) -> Event:
    """A draft with the same description, place, audience, topics and partners, a week later
    by default; staff set the new date before publishing."""
    copy = Event.objects.get(pk=event.pk)
    topics, partners = list(event.topics.all()), list(event.partners.all())
    copy.pk = None
    copy.title = (_("%(title)s (копія)") % {"title": event.title})[:200]
    copy.status = Event.Status.DRAFT
    copy.seats_confirmed = 0
    copy.published_at = None
    copy.is_demo = False
    shift = timedelta(days=7)
    copy.starts_at += shift
    copy.ends_at += shift
    if copy.registration_closes_at:
        copy.registration_closes_at += shift
    copy.save()
    copy.topics.set(topics)
    copy.partners.set(partners)
    if acting_user is not None:
        audit_log(
            user=acting_user,
            obj=copy,
            action="added",
            message=_("Скопійовано із заходу № %(pk)s") % {"pk": event.pk},
        )
    return copy


# --- Registrations ----------------------------------------------------------------------------


def registration_create(
    *, event, name, email="", phone="", seats=1, user=None, now=None, language="uk"
) -> Registration:
    """Sign `name` up for `seats` seats: confirmed while seats last, else waitlisted.
    Raises RegistrationError with a message for the person. Mail to them is in `language`,
    the language of the page they signed up on."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    try:
        phone = phone_normalize(phone)
    except ValueError:
        raise RegistrationError(INVALID_PHONE) from None
    if not email and not phone:
        raise RegistrationError(_("Залиште е-пошту або телефон, щоб ми могли з вами звʼязатися."))
    try:
        with transaction.atomic():
            registration = _registration_create_locked(
                event=event,
                name=name,
                email=email,
                phone=phone,
                seats=seats,
                user=user,
                now=now,
                language=language,
            )
            if registration.email:
                confirmed = registration.status == Registration.Status.CONFIRMED
                _registration_mail(registration, "confirmed" if confirmed else "waitlisted")
    except IntegrityError as error:
        # Two sign-ups with one contact can race past the check below; the constraint wins.
        if "registration_unique" in str(error):
            raise RegistrationError(_already_registered()) from error
        raise
    return registration


def _already_registered():
    return _("З цією е-поштою або телефоном уже є реєстрація на цей захід.")


def _registration_create_locked(*, event, name, email, phone, seats, user, now, language):
    locked = Event.objects.select_for_update().get(pk=event.pk)
    refusal = locked.registration_refusal(now=now)
    if refusal:
        raise RegistrationError(refusal)
    if not 1 <= seats <= locked.max_seats_per_registration:
        raise RegistrationError(
            _("Можна зареєструвати від 1 до %(max)s місць.")
            % {"max": locked.max_seats_per_registration}
        )
    active = locked.registrations.exclude(status=Registration.Status.CANCELLED)
    if (email and active.filter(email=email).exists()) or (
        phone and active.filter(phone=phone).exists()
    ):
        raise RegistrationError(_already_registered())
    queue_empty = not active.filter(status=Registration.Status.WAITLISTED).exists()
    fits = locked.capacity is None or locked.seats_confirmed + seats <= locked.capacity
    confirmed = fits and queue_empty
    registration = Registration.objects.create(
        event=locked,
        name=name.strip(),
        email=email,
        phone=phone,
        seats=seats,
        user=user if user is not None and user.is_authenticated else None,
        status=Registration.Status.CONFIRMED if confirmed else Registration.Status.WAITLISTED,
        created_at=now,
        confirmed_at=now if confirmed else None,
        consent_at=now,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
    )
    if confirmed:
        Event.objects.filter(pk=locked.pk).update(seats_confirmed=F("seats_confirmed") + seats)
    return registration


@transaction.atomic
def registration_cancel(*, registration, acting_user=None) -> Registration:
    """Cancel a sign-up (by its secret link or by staff); freed seats go to the waitlist."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if acting_user is not None:
        # The event's history names the registration by number: the person's name would
        # outlive the registration's own anonymisation there.
        audit_log(
            user=acting_user,
            obj=event,
            message=_("Скасовано реєстрацію № %(number)s") % {"number": registration.pk},
        )
    if was_confirmed:
        Event.objects.filter(pk=event.pk).update(
            seats_confirmed=F("seats_confirmed") - registration.seats
        )
        _promote_waitlist(event)
    return registration


@transaction.atomic
def registration_check_in(*, registration, acting_user, undo=False) -> Registration:
    """Mark a confirmed registrant as come in at the door (or take the mark back, for a
    wrong click). Seats checked in count as the event's attendance when staff record no
    head count of their own (events.stats.attendance)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Відмітити прихід можна лише за підтвердженою реєстрацією."))
    if undo == (registration.checked_in_at is None):
        return registration
    registration.checked_in_at = None if undo else timezone.now()
    registration.save(update_fields=["checked_in_at"])
    if undo:
        message = _("Скасовано відмітку про прихід: реєстрація № %(number)s")
    else:
        message = _("Відмічено прихід: реєстрація № %(number)s")
    # Logged on the event, by number: the person's name would outlive anonymisation there.
    message %= {"number": registration.pk}
    audit_log(user=acting_user, obj=registration.event, message=message)
    return registration


def _promote_waitlist(event):
    """Call with the event row locked. Promotes the head of the queue while it fits."""
    event.refresh_from_db(fields=["seats_confirmed", "capacity", "status"])
    if event.status != Event.Status.PUBLISHED:
        return []
    promoted = []
    now = timezone.now()
    seats = event.seats_confirmed
    for registration in event.registrations.filter(
        status=Registration.Status.WAITLISTED
    ).select_for_update():
        if event.capacity is not None and seats + registration.seats > event.capacity:
            break
        seats += registration.seats
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        promoted.append(registration)
    if promoted:
        Event.objects.filter(pk=event.pk).update(seats_confirmed=seats)
        event.seats_confirmed = seats
        for registration in promoted:
            if registration.email:
                _registration_mail(registration, "promoted")
    return promoted


def reminders_send(*, now=None) -> int:
    """Mail everyone confirmed for tomorrow's events (Europe/Kyiv) who has not been reminded.
    Safe to run twice: each registration is reminded once."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(tomorrow, time()), tz)
    end = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time()), tz)
    sent = 0
    pending = (
        Registration.objects.filter(
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
        )
        .exclude(email="")
        .select_related("event", "event__branch")
    )
    for registration in pending.iterator():
        # The mark and the outbox row commit together: each reminder is queued exactly once.
        with transaction.atomic():
            if Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                _registration_mail(registration, "reminder")
                sent += 1
    return sent


def _notify_registrants(event, kind):
    """Queue the notice to everyone registered, in the change's transaction (sent once it
    commits). Returns how many of them left only a phone: there is no SMS gateway, so staff
    must call them."""
    active = Registration.objects.filter(event=event).active()
    for registration in active.exclude(email=""):
        _registration_mail(registration, kind)
    count = active.phone_only().count()
    event.registrants_to_phone = count
    return count


def _registration_mail(registration, kind):
    """kind: confirmed, waitlisted, promoted, reminder, changed or cancelled. The event and the
    registration are read when the mail is sent; the place in the queue is the one now."""
    mail_send(
        to=registration.email,
        template="events/email/registration",
        context={
            "registration": registration,
            "kind": kind,
            "position": registration.waitlist_position(),
        },
        language=registration.language,
    )


# --- Clubs ------------------------------------------------------------------------------------


class MembershipError(RegistrationError):
    pass


@transaction.atomic
def club_join(*, club, name, email="", phone="", user=None) -> ClubMembership:
    locked = Club.objects.select_for_update().get(pk=club.pk)
    email = (email or "").strip().lower()
    try:
        phone = phone_normalize(phone)
    except ValueError:
        raise MembershipError(INVALID_PHONE) from None
    if not email and not phone:
        raise MembershipError(_("Залиште е-пошту або телефон, щоб ми могли з вами звʼязатися."))
    members = locked.memberships.filter(left_on__isnull=True)
    if (email and members.filter(email=email).exists()) or (
        phone and members.filter(phone=phone).exists()
    ):
        raise MembershipError(_("З цією е-поштою або телефоном ви вже записані."))
    if locked.capacity is not None and members.count() >= locked.capacity:
        raise MembershipError(
            _("На жаль, усі місця зайняті. Запитайте в бібліотеці про наступний набір.")
        )
    return ClubMembership.objects.create(
        club=locked,
        name=name.strip(),
        email=email,
        phone=phone,
        user=user if user is not None and user.is_authenticated else None,
        consent_at=timezone.now(),
    )


@transaction.atomic
def club_leave(*, membership) -> ClubMembership:
    if membership.left_on is None:
        membership.left_on = timezone.localdate()
        membership.save(update_fields=["left_on"])
    return membership


# --- Personal data ----------------------------------------------------------------------------


def registrations_anonymise(*, before) -> int:
    """Strip names and contacts from registrations of events that ended before `before`,
    here and in the events' audit log. Seats and statuses stay for the statistics."""
    registrations = list(
        Registration.objects.filter(event__ends_at__lt=before, anonymised_at__isnull=True)
        .select_related("event")
        .select_for_update(of=("self",))
    )
    audit_forget(
        registrations,
        words=[w for r in registrations for w in (r.name, r.email, r.phone)],
        also_about={r.event for r in registrations},
    )
    return Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
        **_blank_contacts()
    )


def club_members_anonymise(*, before) -> int:
    """Strip names and contacts from club members who left before `before`."""
    members = list(
        ClubMembership.objects.filter(
            left_on__lt=timezone.localdate(before), anonymised_at__isnull=True
        ).select_for_update()
    )
    audit_forget(members, words=[w for m in members for w in (m.name, m.email, m.phone)])
    return ClubMembership.objects.filter(pk__in=[m.pk for m in members]).update(**_blank_contacts())


def _person_match(*, user, emails):
    match = Q(user=user)
    for email in emails:
        match |= Q(email__iexact=email)
    return match


def registrations_forget_person(*, user, emails) -> int:
    """A reader closed their account: their registrations for events still to come are
    cancelled (freed seats go to the waitlist), and all of them lose names and contacts."""
    registrations = list(
        Registration.objects.filter(_person_match(user=user, emails=emails))
        .filter(anonymised_at__isnull=True)
        .select_related("event")
    )
    now = timezone.now()
    for registration in registrations:
        if (
            registration.status != Registration.Status.CANCELLED
            and registration.event.ends_at > now
        ):
            registration_cancel(registration=registration)
    audit_forget(
        registrations,
        words=[w for r in registrations for w in (r.name, r.email, r.phone)],
        also_about={r.event for r in registrations},
    )
    return Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
        **_blank_contacts()
    )


def club_members_forget_person(*, user, emails) -> int:
    """A reader closed their account: they leave their clubs today, anonymised."""
    members = list(
        ClubMembership.objects.filter(_person_match(user=user, emails=emails)).filter(
            anonymised_at__isnull=True
        )
    )
    for member in members:
        club_leave(membership=member)
    audit_forget(members, words=[w for m in members for w in (m.name, m.email, m.phone)])
    return ClubMembership.objects.filter(pk__in=[m.pk for m in members]).update(**_blank_contacts())


def _blank_contacts():
    return {"name": "", "email": "", "phone": "", "user": None, "anonymised_at": timezone.now()}


# --- Partners (plan direction 9) ---------------------------------------------------------------

PARTNER_CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


@transaction.atomic
def partner_save(*, partner, acting_user, branches=None, own_branch_id=None) -> Partner:
    """Save a partner from the admin and log it. `branches` (libraries working with it) is
    the whole new set for network-wide staff; a librarian (`own_branch_id`) only ever adds
    their own library and never unlinks the others, whom they do not see."""
    created = partner.pk is None
    if acting_user is None:
        raise ValueError("partner_save needs the acting user")
    partner.full_clean(exclude=["branches"])
    partner.save()
    if own_branch_id is not None:
        partner.branches.add(own_branch_id)
    elif branches is not None:
        old = set(partner.branches.values_list("pk", flat=True))
        new = {branch.pk for branch in branches}
        partner.branches.set(branches)
        if not created and old != new:
            audit_log(
                user=acting_user,
                obj=partner,
                message=_("Бібліотек, що співпрацюють: %(old)d → %(new)d")
                % {"old": len(old), "new": len(new)},
            )
    return partner


def partner_contacts_anonymise(*, before) -> int:
    """Forget the contact person of partners the libraries stopped working with before
    `before`: no agreement in force since then, no joint event since then, and the card not
    edited since then. The organisation, its agreement and joint events stay."""
    day = timezone.localdate(before)
    in_force_since = Q(agreement_date__isnull=False) & (
        Q(agreement_valid_until__isnull=True) | Q(agreement_valid_until__gte=day)
    )
    recent_events = Event.objects.filter(partners=OuterRef("pk"), ends_at__gte=before)
    partners = list(
        Partner.objects.filter(contacts_forgotten_at__isnull=True, updated_at__lt=before)
        .exclude(contact_name="", contact_phone="", contact_email="")
        .exclude(in_force_since)
        .exclude(Exists(recent_events))
        .select_for_update()
    )
    words = [getattr(p, name) for p in partners for name in PARTNER_CONTACT_FIELDS]
    audit_forget(partners, words=words)
    return Partner.objects.filter(pk__in=[p.pk for p in partners]).update(
        contact_name="", contact_phone="", contact_email="", contacts_forgotten_at=timezone.now()
    )
