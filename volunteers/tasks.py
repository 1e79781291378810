"""Celery tasks of the volunteers app. Their mail (the personal link on activation, reminders
the day before, a note when staff assign a home delivery) goes through core.mail."""

from celery import shared_task


@shared_task(acks_late=True)
def send_reminders_task() -> int:
    """Remind volunteers of tomorrow's opportunities; each sign-up is reminded once."""
    from volunteers.services import signups_remind

    return signups_remind()
