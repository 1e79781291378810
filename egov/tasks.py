from celery import shared_task


@shared_task(acks_late=True)
def booking_reminders_send_task() -> int:
    """Remind the citizens booked for tomorrow; safe to run often (each is reminded once)."""
    from egov.services import booking_reminders_send

    return booking_reminders_send()
