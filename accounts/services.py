"""Readers: registration (online pre-registration and at the desk), the desk's confirmation,
the data a reader may download, and closing an account.

Online sign-up goes through django-allauth (accounts/forms.py `ReaderSignupForm`), which
creates the `User` and hands it to `reader_register`; at the desk staff fill one admin form and
`reader_register` creates both. Either way the card number comes from a database sequence.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ReaderProfile, User
from branches.models import Branch
from branches.scoping import staff_scope
from core.audit import audit_log

# Bump when the consent text (accounts/templates/accounts/_consent_text.html) changes; each
# reader keeps the version they agreed to.
CONSENT_VERSION = "2026-12"


def _validate_guardian(*, birth_year, guardian_name, guardian_contact):
    if ReaderProfile.needs_guardian(birth_year) and not (
        guardian_name.strip() and guardian_contact.strip()
    ):
        raise ValidationError(
            _("Дітей до 14 років записують з одним із батьків або опікуном."),
            code="guardian_required",
        )


@transaction.atomic
def reader_register(
    *,
    home_branch: Branch,
    birth_year: int | None,
    consent_version: str = CONSENT_VERSION,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    guardian_name: str = "",
    guardian_contact: str = "",
    category: str | None = None,
    acting_user: User | None = None,
) -> ReaderProfile:
    """Write a reader's card. Online (`acting_user` None, `user` made by allauth) the reader
    is pre-registered until the desk sees a document; at the desk (`acting_user` the
    librarian) the document is checked there and then, and the user is created here."""
    _validate_guardian(
        birth_year=birth_year, guardian_name=guardian_name, guardian_contact=guardian_contact
    )
    if acting_user is not None:
        _check_scope(acting_user=acting_user, branch_id=home_branch.pk)
    card_number = ReaderProfile.card_number_next()
    if user is None:
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Читач з такою е-поштою вже записаний."), code="duplicate_email"
            )
        user = User(
            username=card_number,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
        )
        user.set_unusable_password()
        user.save()
    now = timezone.now()
    profile = ReaderProfile.objects.create(
        user=user,
        card_number=card_number,
        home_branch=home_branch,
        birth_year=birth_year,
        category=category or ReaderProfile.category_for_birth_year(birth_year) or "adult",
        guardian_name=guardian_name.strip(),
        guardian_contact=guardian_contact.strip(),
        consent_given_at=now,
        consent_version=consent_version,
        status=(
            ReaderProfile.Status.PRE_REGISTERED
            if acting_user is None
            else ReaderProfile.Status.ACTIVE
        ),
        document_checked_by=acting_user,
        document_checked_on=timezone.localdate(now) if acting_user else None,
        reregistered_on=timezone.localdate(now) if acting_user else None,
    )
    if acting_user is not None:
        audit_log(
            user=acting_user,
            obj=profile,
            action="added",
            message=_("Записано в бібліотеці, документ перевірено"),
        )
    return profile


def _check_scope(*, acting_user, branch_id):
    scope = staff_scope(acting_user)
    if scope is not None and scope != branch_id:
        raise PermissionDenied(_("Це читач іншої бібліотеки."))


@transaction.atomic
def reader_confirm(*, reader: ReaderProfile, acting_user: User) -> ReaderProfile:
    """«Документ перевірено <staff> <date>»: the desk of the home library saw a document of a
    pre-registered reader (nothing of the document is stored) and the card becomes active."""
    reader = ReaderProfile.objects.select_for_update().get(pk=reader.pk)
    _check_scope(acting_user=acting_user, branch_id=reader.home_branch_id)
    if reader.status == ReaderProfile.Status.LEFT:
        raise ValidationError(_("Читач вибув: картку не можна підтвердити."), code="left")
    today = timezone.localdate()
    reader.status = ReaderProfile.Status.ACTIVE
    reader.document_checked_by = acting_user
    reader.document_checked_on = today
    reader.reregistered_on = today
    reader.save(
        update_fields=["status", "document_checked_by", "document_checked_on", "reregistered_on"]
    )
    audit_log(user=acting_user, obj=reader, message=_("Документ перевірено, запис підтверджено"))
    return reader


@transaction.atomic
def reader_reregister(*, reader: ReaderProfile, acting_user: User) -> ReaderProfile:
    """The yearly re-registration (for 6-НК), recorded by the home library's desk."""
    reader = ReaderProfile.objects.select_for_update().get(pk=reader.pk)
    _check_scope(acting_user=acting_user, branch_id=reader.home_branch_id)
    reader.reregistered_on = timezone.localdate()
    reader.save(update_fields=["reregistered_on"])
    audit_log(user=acting_user, obj=reader, message=_("Перереєстрація"))
    return reader


def reader_data_export(*, user: User, sections=()) -> dict:
    """Everything the portal keeps about `user`, for /me/data.json: the account, the card, and
    each «Мій формуляр» section's own part (`sections` from accounts.me)."""
    profile = ReaderProfile.objects.filter(user=user).select_related("home_branch").first()
    data = {
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified}
                for address in user.emailaddress_set.all()
            ],
        },
        "reader": None,
    }
    if profile is not None:
        data["reader"] = {
            "card_number": profile.card_number,
            "home_library": profile.home_branch.name,
            "category": profile.category,
            "status": profile.status,
            "birth_year": profile.birth_year,
            "guardian_name": profile.guardian_name,
            "guardian_contact": profile.guardian_contact,
            "document_checked_on": _iso(profile.document_checked_on),
            "reregistered_on": _iso(profile.reregistered_on),
            "left_on": _iso(profile.left_on),
            "consent_given_at": profile.consent_given_at.isoformat(),
            "consent_version": profile.consent_version,
            "registered_at": profile.created_at.isoformat(),
        }
    for section in sections:
        if section.export is not None:
            data[section.key] = section.export(user)
    return data


def _iso(value: date | None):
    return value.isoformat() if value else None


@transaction.atomic
def reader_close(*, user: User) -> dict[str, int]:
    """The reader closes their account: the card is marked «вибув» today, and every app
    forgets the person at once through the retention registry (`core.retention.person_forget`:
    upcoming event registrations and consultation bookings are cancelled, clubs left, names
    and contacts erased; here name, contacts, guardian, e-mail addresses and password).
    Category, library and dates stay for 6-НК. The account can no longer sign in.
    Staff accounts are closed by an administrator, not here."""
    from allauth.account.models import EmailAddress

    from core import retention

    if user.is_staff or user.is_superuser:
        raise PermissionDenied(_("Обліковий запис працівника закриває адміністратор."))
    profile = ReaderProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None and profile.status != ReaderProfile.Status.LEFT:
        profile.status = ReaderProfile.Status.LEFT
        profile.left_on = timezone.localdate()
        profile.save(update_fields=["status", "left_on"])
    emails = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    return retention.person_forget(user=user, emails=emails)


def user_forget_person(*, user, emails) -> int:
    """accounts' part of `core.retention.person_forget`."""
    return users_anonymise(User.objects.filter(pk=user.pk))


def users_anonymise(users) -> int:
    """Erase the people behind `users` (a User queryset): names, contacts, guardian, e-mail
    addresses known to allauth, password and sessions; the rows stay (statistics and the staff
    log point at them). Returns how many were anonymised."""
    from allauth.account.models import EmailAddress

    from core.retention import audit_forget

    people = list(users.filter(is_active=True).select_related("reader_profile"))
    if not people:
        return 0
    profiles = [p.reader_profile for p in people if hasattr(p, "reader_profile")]
    words = [
        word
        for person in people
        for word in (person.first_name, person.last_name, person.email, person.phone)
    ] + [w for p in profiles for w in (p.guardian_name, p.guardian_contact)]
    audit_forget([*people, *profiles], words=words)
    ids = [person.pk for person in people]
    EmailAddress.objects.filter(user_id__in=ids).delete()
    for person in people:
        person.username = f"closed-{person.pk}"
        person.first_name = person.last_name = person.email = person.phone = ""
        person.is_active = False
        person.set_unusable_password()
        person.save()
    ReaderProfile.objects.filter(user_id__in=ids).update(guardian_name="", guardian_contact="")
    # Other sessions end by themselves: an inactive user with a new password hash no longer
    # matches the hash a session was signed in with.
    return len(people)


def readers_anonymise(*, before) -> int:
    """Retention shredder: readers who left before `before` and still carry personal data."""
    left = ReaderProfile.objects.filter(
        status=ReaderProfile.Status.LEFT, left_on__lt=timezone.localdate(before)
    ).values("user_id")
    return users_anonymise(User.objects.filter(pk__in=left, is_active=True))
