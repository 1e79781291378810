from celery import shared_task


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def mail_deliver_task(self, mail_id: int) -> str:
    """Send one outbox row (core.mail). Acknowledged only when done, and put back in the queue
    when its worker dies, so a killed worker's mail is sent by another; the row's sent marker
    keeps that from sending it twice."""
    from core.mail import mail_deliver, retry_delay

    outcome = mail_deliver(mail_id=mail_id)
    # The first retries come from here, while the mail server may be back in a minute or two;
    # later ones from the flush task. In place (no broker) nobody would wait for a retry.
    if outcome == "failed" and not self.request.is_eager and self.request.retries < 3:
        raise self.retry(countdown=retry_delay(self.request.retries + 1).total_seconds())
    return outcome


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def mail_deliver_many_task(self, mail_ids: list[int]) -> dict:
    """Send a batch of outbox rows queued together (core.mail.mail_queue_many), each as
    `mail_deliver_task` sends one: a redelivered batch skips what was already sent. Only the
    messages that failed are tried again from here."""
    from core.mail import mail_deliver, retry_delay

    outcomes: dict[str, int] = {}
    failed = []
    for mail_id in mail_ids:
        outcome = mail_deliver(mail_id=mail_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == "failed":
            failed.append(mail_id)
    if failed and not self.request.is_eager and self.request.retries < 3:
        raise self.retry(
            args=(failed,), countdown=retry_delay(self.request.retries + 1).total_seconds()
        )
    return outcomes


@shared_task(acks_late=True)
def mail_outbox_flush_task() -> dict:
    """Every minute (CELERY_BEAT_SCHEDULE): send mail that waits in the outbox — its task never
    reached the broker, or its last try failed and is due again."""
    from core.mail import mail_outbox_flush

    return mail_outbox_flush()


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
