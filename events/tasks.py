"""Celery tasks of the events app. They take ids and call a service, so that a retry or a
late run reads the registrations as they are then."""

from celery import shared_task


@shared_task(acks_late=True)
def send_event_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind people registered for tomorrow's events."""
    from events.services import reminders_send

    return reminders_send()


@shared_task(acks_late=True)
def send_registration_mail(registration_id: int, kind: str) -> bool:
    """One person's confirmation, waitlist or promotion mail."""
    from events.models import Registration
    from events.services import registration_mail_send

    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        return False
    registration_mail_send(registration=registration, kind=kind)
    return True


@shared_task(acks_late=True)
def notify_event_registrants(event_id: int, kind: str) -> int:
    """A new time or place, or a cancellation: mail everyone still registered."""
    from events.services import event_registrants_notify

    return event_registrants_notify(event_id=event_id, kind=kind)
