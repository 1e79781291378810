"""Celery tasks of the strategy app: thin, each calls a service."""

from celery import shared_task


@shared_task(acks_late=True)
def grant_reminders_send_task() -> dict:
    """Daily (CELERY_BEAT_SCHEDULE): remind the responsible staff of grant deadlines and of
    reports due to funders, once each."""
    from strategy.services import grants_remind

    return grants_remind()
