from celery import shared_task


@shared_task(acks_late=True)
def holds_expire_task() -> int:
    """Nightly: ready holds not picked up expire, their copies go to the next reader in the
    queue (or home); suspensions that are over end. Safe to run again."""
    from circulation.services import holds_expire

    return holds_expire()
