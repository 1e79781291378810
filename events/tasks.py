"""Celery tasks of the events app. They take ids and call a service, so that a retry or a
late run reads the registrations as they are then."""

from celery import shared_task


@shared_task(acks_late=True)
def send_event_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind people registered for tomorrow's events."""
    from events.services import reminders_send

    return reminders_send()
