"""Actions of library tourism: a group's tour request, the staff's answer (an agreed date,
the tour done or the request declined), the requester's cancellation, and forgetting the
requesters' names and contacts; saving a line of a library's price list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from branches.models import PaidService, TourRequest
from core.audit import audit_log, audit_status_message
from core.mail import mail_send
from core.phones import phone_normalize
from core.retention import audit_forget
from core.tz import KYIV

# The requester's mail: template branches/mail/tour_request with `kind`.
MAIL = "branches/mail/tour_request"
STAFF_MAIL = "branches/mail/tour_request_staff"


@transaction.atomic
def paid_service_save(*, service: PaidService, acting_user) -> PaidService:
    """Save a line of a library's public price list on behalf of `acting_user`: validated (a
    price is never negative, a name once per library) and no longer demo data. The admin logs
    the addition or change (with the fields changed, the price among them) itself."""
    if acting_user is None or not getattr(acting_user, "pk", None):
        raise ValueError("paid_service_save needs the acting user")
    service.is_demo = False
    service.full_clean()
    service.save()
    return service


def _mail_requester(tour: TourRequest, kind: str) -> None:
    if tour.email:
        mail_send(
            to=tour.email,
            template=MAIL,
            context={"tour": tour, "kind": kind},
            language=tour.language,
        )


def _mail_staff(tour: TourRequest, kind: str) -> None:
    """The library's own address hears of a new or cancelled request (in Ukrainian)."""
    if tour.branch.email:
        mail_send(
            to=tour.branch.email,
            template=STAFF_MAIL,
            context={"tour": tour, "kind": kind},
            language="uk",
        )


@transaction.atomic
def tour_request_create(*, data: dict, language: str, now=None) -> TourRequest:
    """A group's request from the public form: the requester gets a confirmation with the
    link to follow it, the library a notice."""
    now = now or timezone.now()
    data = dict(data)
    data["phone"] = phone_normalize(data.get("phone", ""))
    tour = TourRequest.objects.create(
        **data,
        language=language,
        consent_at=now,
        created_at=now,
        status_changed_at=now,
    )
    _mail_requester(tour, "received")
    _mail_staff(tour, "new")
    return tour


def _move(tour: TourRequest, to, *, acting_user, now, note: str = "", message: str = ""):
    current = TourRequest.Status(tour.status)
    tour.transition_check(to)
    tour.status = to
    tour.status_changed_at = now
    if acting_user is not None:
        tour.handled_by = acting_user
    tour.save()
    if acting_user is not None:
        audit_log(
            user=acting_user,
            obj=tour,
            message=message or audit_status_message(tour, current, to),
            note=note,
        )


@transaction.atomic
def tour_request_agree(*, tour: TourRequest, when, acting_user, note: str = "") -> TourRequest:
    """Agree the tour's date and time (or move an agreed one); the requester is told."""
    tour = TourRequest.objects.select_for_update().get(pk=tour.pk)
    if when is None:
        raise ValidationError(_("Вкажіть погоджені дату й час екскурсії."), code="no_date")
    if when <= timezone.now():
        raise ValidationError(_("Погоджена дата має бути в майбутньому."), code="past_date")
    moved = tour.status == TourRequest.Status.AGREED
    tour.agreed_at = when
    _move(
        tour,
        TourRequest.Status.AGREED,
        acting_user=acting_user,
        now=timezone.now(),
        note=note,
        message=_("Дату екскурсії змінено") if moved else "",
    )
    _mail_requester(tour, "moved" if moved else "agreed")
    return tour


@transaction.atomic
def tour_request_change_status(
    *, tour: TourRequest, to: str, acting_user, note: str = ""
) -> TourRequest:
    """Mark an agreed tour done, or decline a request (the requester is told why, if staff
    wrote a note)."""
    tour = TourRequest.objects.select_for_update().get(pk=tour.pk)
    to = TourRequest.Status(to)
    if to == TourRequest.Status.AGREED:
        raise ValidationError(_("Щоб погодити екскурсію, вкажіть дату й час."), code="no_date")
    if to == TourRequest.Status.CANCELLED:
        raise ValidationError(
            _("Скасувати заявку може лише замовник; бібліотека її відхиляє."), code="cancel"
        )
    now = timezone.now()
    if to == TourRequest.Status.DONE:
        if tour.agreed_at and tour.agreed_at > now:
            raise ValidationError(
                _("Екскурсію можна позначити проведеною лише після погодженого часу."),
                code="not_yet",
            )
        tour.done_on = timezone.localtime(tour.agreed_at or now, KYIV).date()
    _move(tour, to, acting_user=acting_user, now=now, note=note)
    if to == TourRequest.Status.DECLINED:
        _mail_requester(tour, "declined")
    return tour


@transaction.atomic
def tour_request_cancel(*, tour: TourRequest) -> TourRequest:
    """The requester cancels through their link; the library is told."""
    tour = TourRequest.objects.select_for_update().get(pk=tour.pk)
    if not tour.can_be_cancelled():
        raise ValidationError(_("Цю заявку вже не можна скасувати."), code="not_cancellable")
    _move(tour, TourRequest.Status.CANCELLED, acting_user=None, now=timezone.now())
    _mail_staff(tour, "cancelled")
    return tour


_PERSONAL = {"contact_name": "", "email": "", "phone": "", "note": ""}


def _personal_words(tours):
    return [w for t in tours for w in (t.contact_name, t.email, t.phone, t.group_name)]


def tour_requests_anonymise(*, before) -> int:
    """Forget the contacts of requests closed before `before`. The group becomes its kind
    («Шкільний клас»); the library, size, dates and state stay for the statistics."""
    tours = list(
        TourRequest.objects.closed()
        .filter(status_changed_at__lt=before, anonymised_at__isnull=True)
        .select_for_update()
    )
    return _forget(tours)


def tour_requests_forget_person(*, user, emails) -> int:
    """A reader closed their account: requests sent from one of their verified addresses are
    cancelled if still open and lose the contacts at once."""
    if not emails:
        return 0
    match = Q()
    for email in emails:
        match |= Q(email__iexact=email)
    tours = list(TourRequest.objects.filter(match, anonymised_at__isnull=True).select_for_update())
    now = timezone.now()
    for tour in tours:
        if tour.status in (TourRequest.Status.NEW, TourRequest.Status.AGREED):
            tour.status, tour.status_changed_at = TourRequest.Status.CANCELLED, now
            tour.save(update_fields=["status", "status_changed_at"])
    return _forget(tours)


def _forget(tours) -> int:
    audit_forget(tours, words=_personal_words(tours))
    now = timezone.now()
    for tour in tours:
        with translation.override("uk"):
            tour.group_name = str(TourRequest.Kind(tour.kind).label)
        for field, value in _PERSONAL.items():
            setattr(tour, field, value)
        tour.anonymised_at = now
    TourRequest.objects.bulk_update(tours, [*_PERSONAL, "group_name", "anonymised_at"])
    return len(tours)
