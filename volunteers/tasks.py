"""Mail to volunteers: the personal link on activation, reminders the day before, and a note
when staff assign them a home delivery."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation


def _send(volunteer, template, context):
    with translation.override(volunteer.language or settings.LANGUAGE_CODE):
        context = {
            "volunteer": volunteer,
            "personal_url": settings.SITE_URL + volunteer.get_personal_url(),
            **context,
        }
        subject = render_to_string(f"volunteers/mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"volunteers/mail/{template}.txt", context)
    send_mail(subject, body, None, [volunteer.email])


@shared_task(acks_late=True)
def send_personal_link_task(application_id: int) -> bool:
    from volunteers.models import Application

    volunteer = Application.objects.filter(pk=application_id).first()
    if volunteer is None or not volunteer.email or not volunteer.access_token:
        return False
    _send(volunteer, "personal_link", {})
    return True


@shared_task(acks_late=True)
def send_reminders_task() -> int:
    """Remind volunteers of tomorrow's opportunities; each sign-up is reminded once."""
    from volunteers.services import signups_to_remind

    sent = 0
    for signup in signups_to_remind().select_related("opportunity__branch", "volunteer"):
        _send(signup.volunteer, "reminder", {"opportunity": signup.opportunity})
        type(signup).objects.filter(pk=signup.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent


@shared_task(acks_late=True)
def send_delivery_assigned_task(delivery_id: int) -> bool:
    """Tell the volunteer a delivery is theirs. The reader's address and phone stay on the
    personal page: mail is forwarded and kept for years."""
    from volunteers.models import Application, DeliveryRequest

    delivery = (
        DeliveryRequest.objects.filter(
            pk=delivery_id,
            status=DeliveryRequest.Status.ASSIGNED,
            volunteer__status=Application.Status.ACTIVE,
        )
        .select_related("volunteer", "branch")
        .first()
    )
    if delivery is None or not delivery.volunteer.email or not delivery.volunteer.access_token:
        return False
    _send(delivery.volunteer, "delivery_assigned", {"delivery": delivery})
    return True
