from celery import shared_task


@shared_task(acks_late=True)
def holds_expire_task() -> int:
    """Nightly: ready holds not picked up expire, their copies go to the next reader in the
    queue (or home); suspensions that are over end. Safe to run again."""
    from circulation.services import holds_expire

    return holds_expire()


@shared_task(acks_late=True)
def notices_send_task() -> dict:
    """Daily: due soon, overdue, hold ready and hold expiring notices, one message per reader
    per day at most (safe to run again the same day)."""
    from circulation.notices import notices_send

    run = notices_send()
    return {"sent": run.sent, "already": run.already, "to_call": run.to_call}
