from celery import shared_task


@shared_task(acks_late=True)
def personal_data_anonymise_task() -> dict:
    """Nightly retention run over every registered shredder (core.retention): cases closed
    longer than PERSONAL_DATA_RETENTION_DAYS lose their personal data; the counts stay.
    Fails (so the worker logs it) when any shredder failed, after running all the others."""
    from core.retention import personal_data_anonymise

    results = personal_data_anonymise()
    failed = {r.shredder.name: repr(r.error) for r in results if r.error is not None}
    if failed:
        raise RuntimeError(f"retention failed for {failed}")
    return {r.shredder.name: r.count for r in results}
