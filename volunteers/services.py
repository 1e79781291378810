"""Actions that change volunteers' data. Views, admin, tasks and commands call these."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_log, audit_status_message
from core.mail import mail_send
from core.retention import audit_forget
from core.secret_links import new_token
from volunteers.models import (
    Application,
    DeliveryRequest,
    HoursEntry,
    Opportunity,
    SignUp,
)


class SignUpError(Exception):
    """A sign-up that cannot happen; the message is for the volunteer."""


@transaction.atomic
def application_create(
    *,
    data: dict,
    branches=(),
    now=None,
    recorded_by=None,
    guardian_signed_on_paper: bool = False,
) -> Application:
    """A new application; the applicant's consent is stamped with the time given. `recorded_by`
    is the staff member who typed in a paper application and saw the signed consent; with
    `guardian_signed_on_paper` they also saw a minor's guardian's signature, recorded as the
    guardian's consent. A website application of a minor waits for staff to record it."""
    now = now or timezone.now()
    application = Application(**data, consent_at=now, consent_recorded_by=recorded_by)
    if not application.is_minor:
        application.guardian_name = application.guardian_contact = ""
    application.save()
    application.other_branches.set([b for b in branches if b.pk != application.branch_id])
    if application.is_minor and recorded_by is not None and guardian_signed_on_paper:
        application_guardian_consent_record(
            application=application, acting_user=recorded_by, how=PAPER_CONSENT
        )
    return application


# What the paper application's «signed by the guardian» box records as the way consent was given.
PAPER_CONSENT = gettext_lazy(
    "Підпис батьків або опікуна на паперовій анкеті, прийнятій у бібліотеці"
)


def guardian_consent_missing(application: Application, *, today=None) -> bool:
    """Under 18 now, and no guardian's consent recorded by staff yet: not to be activated."""
    today = today or timezone.localdate()
    return application.is_minor_on(today) and application.guardian_consent_at is None


GUARDIAN_CONSENT_MISSING = gettext_lazy(
    "Волонтерові менше 18 років: активувати можна лише після того, як працівник внесе згоду "
    "батьків або опікуна — як її отримано (наприклад, номер паперової згоди)."
)


@transaction.atomic
def application_guardian_consent_record(
    *, application: Application, acting_user, how: str
) -> Application:
    """Staff record a minor's guardian's consent: who (the acting user), when (now) and how.
    The guardian is told by mail when their contact is an e-mail address."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    how = " ".join(str(how).split())[:200]
    if not how:
        raise ValidationError(
            _("Напишіть, як отримано згоду: наприклад, «паперова згода № 17 від 05.12.2026».")
        )
    if not application.guardian_name or not application.guardian_contact:
        raise ValidationError(
            _("Спершу внесіть імʼя й контакт одного з батьків або опікуна."), code="no_guardian"
        )
    if application.guardian_consent_at is not None:
        raise ValidationError(_("Згоду батьків або опікуна вже внесено."), code="recorded")
    application.guardian_consent_at = timezone.now()
    application.guardian_consent_recorded_by = acting_user
    application.guardian_consent_how = how
    application.save(
        update_fields=[
            "guardian_consent_at",
            "guardian_consent_recorded_by",
            "guardian_consent_how",
        ]
    )
    audit_log(
        user=acting_user,
        obj=application,
        message=_("Внесено згоду батьків або опікуна"),
        note=how,
    )
    if application.guardian_email:
        guardian_mail(volunteer=application, template="guardian_consent")
    return application


@transaction.atomic
def application_change_status(
    *, application: Application, to: str, acting_user, note: str = ""
) -> Application:
    """Move an application along the workflow and log who did it; activation issues the
    volunteer's personal link and sends it."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    current = Application.Status(application.status)
    to = Application.Status(to)
    application.transition_check(to)
    if to == Application.Status.ACTIVE and guardian_consent_missing(application):
        raise ValidationError(GUARDIAN_CONSENT_MISSING, code="guardian_consent")
    now = timezone.now()
    application.status = to
    application.status_changed_at = now
    send_link = False
    if to == Application.Status.ACTIVE and not application.access_token:
        application.access_token = new_token()
        send_link = True
    application.save(update_fields=["status", "status_changed_at", "access_token"])
    audit_log(
        user=acting_user,
        obj=application,
        message=audit_status_message(application, current, to),
        note=note,
    )
    if send_link:
        personal_link_send(application=application)
    return application


def personal_link_send(*, application: Application) -> None:
    """The personal link to the volunteer, and for a minor to the guardian too: they consented
    and should see what their child signs up for."""
    if application.email:
        volunteer_mail(volunteer=application, template="personal_link")
    if application.is_minor_on(timezone.localdate()) and application.guardian_email:
        guardian_mail(volunteer=application, template="guardian_personal_link")


@transaction.atomic
def application_reissue_link(*, application: Application, acting_user) -> Application:
    """A new personal link for an active volunteer who lost theirs; the old one stops working.
    Logged, so that it is known who issued it."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.ACTIVE:
        raise ValidationError(_("Особисте посилання видають лише активним волонтерам."))
    application.access_token = new_token()
    application.save(update_fields=["access_token"])
    audit_log(user=acting_user, obj=application, message=_("Видано нове особисте посилання"))
    personal_link_send(application=application)
    return application


@transaction.atomic
def opportunity_sign_up(*, opportunity: Opportunity, volunteer: Application) -> SignUp:
    """Sign an active volunteer up; never more sign-ups than places. The opportunity row is
    locked while counting, and the `taken <= places` constraint backs the count."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if volunteer.status != Application.Status.ACTIVE:
        raise SignUpError(_("Записуватися можуть лише активні волонтери."))
    if not Opportunity.objects.open().filter(pk=opportunity.pk).exists():
        raise SignUpError(_("На цю потребу вже не можна записатися."))
    if SignUp.objects.filter(opportunity=opportunity, volunteer=volunteer).exists():
        raise SignUpError(_("Ви вже записані."))
    if opportunity.taken >= opportunity.places:
        raise SignUpError(_("Усі місця вже зайняті."))
    Opportunity.objects.filter(pk=opportunity.pk).update(taken=F("taken") + 1)
    return SignUp.objects.create(opportunity=opportunity, volunteer=volunteer)


@transaction.atomic
def signup_cancel(*, signup: SignUp) -> None:
    opportunity = Opportunity.objects.select_for_update().get(pk=signup.opportunity_id)
    deleted, _rows = SignUp.objects.filter(pk=signup.pk).delete()
    if deleted:
        Opportunity.objects.filter(pk=opportunity.pk).update(taken=F("taken") - 1)


@transaction.atomic
def hours_log(
    *,
    volunteer: Application,
    branch,
    activity: str,
    date,
    hours: Decimal,
    description: str = "",
    opportunity=None,
    approved_by=None,
) -> HoursEntry:
    """Hours as the volunteer reports them (waiting for approval) or as staff enter them
    (`approved_by` given: approved at once)."""
    if volunteer.status != Application.Status.ACTIVE and approved_by is None:
        raise ValidationError(_("Години вносять лише активні волонтери."))
    return HoursEntry.objects.create(
        volunteer=volunteer,
        branch=branch,
        opportunity=opportunity,
        activity=activity,
        date=date,
        hours=hours,
        description=description,
        approved_by=approved_by,
        approved_at=timezone.now() if approved_by else None,
    )


@transaction.atomic
def hours_log_for_opportunity(*, opportunity: Opportunity, acting_user, now=None) -> int:
    """After a dated activity: approved hours for everyone who signed up, as long as it lasted
    (rounded to half an hour). Volunteers who already have hours for it are skipped, so running
    it twice adds nothing. Returns how many entries were made."""
    now = now or timezone.now()
    # Two librarians pressing the button at once must not log everyone twice.
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.starts_at is not None and opportunity.starts_at > now:
        raise ValidationError(_("«%(title)s» ще не завершилася.") % {"title": opportunity.title})
    if opportunity.starts_at is None or opportunity.ends_at is None:
        raise ValidationError(
            _("«%(title)s»: постійна потреба або без часу завершення — години вносять окремо.")
            % {"title": opportunity.title}
        )
    if opportunity.ends_at > now:
        raise ValidationError(_("«%(title)s» ще не завершилася.") % {"title": opportunity.title})
    duration = (opportunity.ends_at - opportunity.starts_at).total_seconds() / 3600
    hours = min(Decimal(round(duration * 2)) / 2, Decimal("24")) or Decimal("0.5")
    logged = HoursEntry.objects.filter(opportunity=opportunity).values("volunteer_id")
    signups = opportunity.signups.exclude(volunteer_id__in=logged).select_related("volunteer")
    entries = [
        HoursEntry(
            volunteer=signup.volunteer,
            branch_id=opportunity.branch_id,
            opportunity=opportunity,
            activity=opportunity.activity,
            date=timezone.localdate(opportunity.starts_at),
            hours=hours,
            approved_at=now,
            approved_by=acting_user,
        )
        for signup in signups
    ]
    HoursEntry.objects.bulk_create(entries)
    return len(entries)


@transaction.atomic
def hours_approve(*, entries, acting_user) -> int:
    """Approve the entries not yet approved; returns how many were."""
    ids = [entry.pk for entry in entries]
    return HoursEntry.objects.filter(pk__in=ids, approved_at__isnull=True).update(
        approved_at=timezone.now(), approved_by=acting_user
    )


@transaction.atomic
def delivery_create(*, data: dict, now=None) -> DeliveryRequest:
    return DeliveryRequest.objects.create(**data, consent_at=now or timezone.now())


@transaction.atomic
def delivery_change_status(
    *, delivery: DeliveryRequest, to: str, acting_user, volunteer=None, note: str = ""
) -> DeliveryRequest:
    """Move a delivery request along its workflow; assigning names an active volunteer."""
    delivery = DeliveryRequest.objects.select_for_update().get(pk=delivery.pk)
    current = DeliveryRequest.Status(delivery.status)
    to = DeliveryRequest.Status(to)
    delivery.transition_check(to)
    now = timezone.now()
    if to == DeliveryRequest.Status.ASSIGNED:
        if volunteer is None or volunteer.status != Application.Status.ACTIVE:
            raise ValidationError(_("Оберіть активного волонтера."), code="no_volunteer")
        delivery.volunteer = volunteer
    elif to == DeliveryRequest.Status.NEW:
        delivery.volunteer = None
    if to == DeliveryRequest.Status.DELIVERED:
        delivery.delivered_at = now
    delivery.status = to
    delivery.status_changed_at = now
    delivery.save()
    audit_log(
        user=acting_user,
        obj=delivery,
        message=audit_status_message(delivery, current, to),
        note=note,
    )
    if to == DeliveryRequest.Status.ASSIGNED and delivery.volunteer.email:
        # The reader's address and phone stay on the personal page: mail is forwarded and kept.
        volunteer_mail(
            volunteer=delivery.volunteer,
            template="delivery_assigned",
            context={"delivery": delivery},
        )
    return delivery


def signups_to_remind(*, now=None):
    """Sign-ups for opportunities starting tomorrow (Kyiv date) not reminded yet."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return SignUp.objects.filter(
        reminded_at__isnull=True,
        opportunity__starts_at__date=tomorrow,
        volunteer__status=Application.Status.ACTIVE,
    ).exclude(volunteer__email="")


def signups_remind(*, now=None) -> int:
    """Queue a reminder to each volunteer signed up for tomorrow; each sign-up once."""
    sent = 0
    for signup in signups_to_remind(now=now).select_related("volunteer"):
        # The mark and the outbox row commit together: never twice, never marked but unsent.
        with transaction.atomic():
            if SignUp.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            ):
                volunteer_mail(
                    volunteer=signup.volunteer,
                    template="reminder",
                    context={"opportunity": signup.opportunity},
                )
                sent += 1
    return sent


def volunteer_mail(*, volunteer: Application, template: str, context=None) -> None:
    """Mail `volunteers/mail/<template>` to the volunteer in the language of their form; every
    such mail carries their personal link (`volunteer.get_personal_url`)."""
    mail_send(
        to=volunteer.email,
        template=f"volunteers/mail/{template}",
        context={"volunteer": volunteer, **(context or {})},
        language=volunteer.language or settings.LANGUAGE_CODE,
    )


def guardian_mail(*, volunteer: Application, template: str) -> None:
    """Mail `volunteers/mail/<template>` to a minor volunteer's guardian, in the form's language."""
    mail_send(
        to=volunteer.guardian_email,
        template=f"volunteers/mail/{template}",
        context={"volunteer": volunteer},
        language=volunteer.language or settings.LANGUAGE_CODE,
    )


ANONYMOUS = "—"


def applications_anonymise(*, before) -> int:
    """Strip personal data from declined or inactive applications whose state has not changed
    since before `before`, here and in the audit log. Counts and years stay for statistics."""
    applications = list(
        Application.objects.filter(
            status__in=Application.CLOSED, status_changed_at__lt=before, anonymised_at__isnull=True
        ).select_for_update()
    )
    audit_forget(
        applications,
        words=[
            w
            for a in applications
            for w in (a.name, a.email, a.phone, a.guardian_name, a.guardian_contact)
        ],
    )
    return Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        name=ANONYMOUS,
        email="",
        phone="",
        availability="",
        skills="",
        notes="",
        guardian_name="",
        guardian_contact="",
        # Typed by staff («згода № 17»), but it might name the guardian.
        guardian_consent_how="",
        access_token=None,
        anonymised_at=timezone.now(),
    )


def deliveries_anonymise(*, before) -> int:
    """Strip personal data from finished home-delivery requests closed before `before`."""
    deliveries = list(
        DeliveryRequest.objects.filter(
            status__in=DeliveryRequest.CLOSED,
            status_changed_at__lt=before,
            anonymised_at__isnull=True,
        ).select_for_update()
    )
    audit_forget(deliveries, words=[w for d in deliveries for w in (d.name, d.phone, d.address)])
    return DeliveryRequest.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        name=ANONYMOUS,
        phone="",
        address=ANONYMOUS,
        wishes="",
        preferred_time="",
        notes="",
        anonymised_at=timezone.now(),
    )


def volunteer_totals(volunteer: Application) -> dict:
    """Approved and pending hours of one volunteer, in one query."""
    from django.db.models import Sum

    totals = volunteer.hours.aggregate(
        approved=Sum("hours", filter=Q(approved_at__isnull=False)),
        pending=Sum("hours", filter=Q(approved_at__isnull=True)),
    )
    return {key: value or Decimal("0") for key, value in totals.items()}
