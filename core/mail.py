"""The one way to send mail: an outbox row in the caller's transaction, delivered after commit.

    mail_send(to=registration.email, template="events/email/registration",
              context={"registration": registration, "kind": "confirmed"}, language="en")

- The row (`core.OutgoingMail`) commits or rolls back with the change that caused it: no mail
  about a sign-up that did not happen, and no sign-up without its mail.
- After commit a Celery task is queued: one per row for a single message, one per
  `MAIL_TASK_BATCH` rows for many (`mail_queue_many`, e.g. the nightly lending notices: one
  INSERT and a few hundred publishes instead of 50,000 of each). If the broker cannot be
  reached the request still succeeds: the rows wait and `mail_outbox_flush_task` (beat, every
  minute) sends them.
- The task locks the row, sends only if it still waits and marks it sent in the same
  transaction, so a task delivered twice (a retry, a worker killed mid-task) mails once.
- Subject and body are rendered when sent, in the recipient's language, from the templates
  `<template>_subject.txt` and `<template>.txt`; model instances in `context` are stored as
  references and read fresh then. Every template also gets `site_url` for absolute links.
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from core.models import OutgoingMail

logger = logging.getLogger(__name__)

# After this many failed tries a message is given up (status «не вдалося»): about 2 hours.
MAIL_MAX_ATTEMPTS = 8
# The flush task leaves younger rows to the task queued at commit.
FLUSH_GRACE = timedelta(seconds=60)
# When publishing to the broker failed, the next mails of this process skip the broker for a
# while instead of each waiting for it (a cancelled event mails everyone registered).
BROKER_PAUSE_SECONDS = 30
# Rows per INSERT and per delivery task of `mail_queue_many`. A task of 100 messages takes
# seconds to send, far below the broker's visibility timeout (redelivery while still sending).
MAIL_TASK_BATCH = 100

_MODEL_KEY = "$model"
_broker_down_until = 0.0


class _Gone(Exception):
    """An object the message was about no longer exists."""


@dataclass(frozen=True)
class MailMessage:
    """One message for `mail_queue_many`: the same arguments as `mail_send`."""

    to: str
    template: str
    language: str
    context: dict = field(default_factory=dict)


def mail_send(*, to: str, template: str, context: dict | None = None, language: str):
    """Queue one message to `to` in `language`; it is sent once the transaction commits."""
    message = MailMessage(to=to, template=template, language=language, context=context or {})
    return mail_queue_many([message])[0]


def mail_queue_many(messages: Iterable[MailMessage]) -> list[OutgoingMail]:
    """Queue many messages at once: outbox rows written in batches in the caller's
    transaction, and after commit one delivery task per batch. Each row is still sent once
    (the task locks it and checks its sent marker) in its own recipient's language."""
    rows = [
        OutgoingMail(
            to=message.to,
            language=message.language or settings.LANGUAGE_CODE,
            template=message.template,
            context=_pack(message.context or {}),
        )
        for message in messages
    ]
    # One INSERT per batch; a list of ids per task, the ids known only after the INSERT.
    for start in range(0, len(rows), MAIL_TASK_BATCH):
        batch = OutgoingMail.objects.bulk_create(rows[start : start + MAIL_TASK_BATCH])
        ids = [mail.pk for mail in batch]
        transaction.on_commit(lambda ids=ids: _enqueue(ids))
    return rows


def _enqueue(mail_ids: list[int]) -> None:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return
    from core.tasks import mail_deliver_many_task, mail_deliver_task

    try:
        # No publish retries: the outbox is the retry, and the person waits for the page.
        if len(mail_ids) == 1:
            mail_deliver_task.apply_async((mail_ids[0],), retry=False)
        else:
            mail_deliver_many_task.apply_async((mail_ids,), retry=False)
    except (OperationalError, OSError):
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("Mail %s waits in the outbox: the broker is unreachable", mail_ids)
    except Exception:  # noqa: BLE001 — the change is committed; the row waits for the flush
        # E.g. the result store (Redis) timing out before the broker is even asked: pause too,
        # or a cancelled event would wait that long once per registrant.
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.exception("Mail %s waits in the outbox: queueing it failed", mail_ids)


def mail_deliver(*, mail_id: int) -> str:
    """Send one waiting message; returns "sent", "failed" (will be retried or given up),
    "dropped" or "skipped" (already sent, given up, or another worker is sending it now)."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=OutgoingMail.Status.QUEUED)
            .first()
        )
        if mail is None:
            return "skipped"
        mail.attempts += 1
        try:
            message = _render(mail)
            message.send()
        except _Gone:
            mail.status = OutgoingMail.Status.DROPPED
            mail.save(update_fields=["status", "attempts"])
            return "dropped"
        except Exception as error:  # noqa: BLE001 — a mail server down or a template error
            logger.warning("Mail %s not sent (try %s): %s", mail.pk, mail.attempts, error)
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
            if mail.attempts >= MAIL_MAX_ATTEMPTS:
                mail.status = OutgoingMail.Status.FAILED
            mail.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
            return "failed"
        mail.status = OutgoingMail.Status.SENT
        mail.sent_at = timezone.now()
        mail.save(update_fields=["status", "attempts", "sent_at"])
        return "sent"


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, … minutes after each failed try, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def mail_outbox_flush(*, now=None, limit: int = 500) -> dict:
    """Send what waits longer than FLUSH_GRACE: rows whose task never reached the broker and
    failed tries that are due again. Returns counts by outcome."""
    now = now or timezone.now()
    due = OutgoingMail.objects.due(before=now - FLUSH_GRACE).order_by("next_attempt_at")
    outcomes: dict[str, int] = {}
    for mail_id in list(due.values_list("pk", flat=True)[:limit]):
        outcome = mail_deliver(mail_id=mail_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def mail_outbox_anonymise(*, older_than: timedelta, now=None) -> int:
    """Erase the addresses (and anything personal in the data or the error text) of messages
    that were dealt with — sent, given up or dropped — more than `older_than` ago. The rows
    stay, without personal data, as a count of mail sent. Returns how many were erased."""
    cutoff = (now or timezone.now()) - older_than
    return (
        OutgoingMail.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True)
        .exclude(status=OutgoingMail.Status.QUEUED)
        .update(to="", context={}, last_error="", anonymised_at=now or timezone.now())
    )


# --- rendering ---------------------------------------------------------------------------------


def _render(mail: OutgoingMail) -> EmailMessage:
    context = {"site_url": settings.SITE_URL, **_unpack(mail.context)}
    with translation.override(mail.language):
        subject = render_to_string(f"{mail.template}_subject.txt", context)
        body = render_to_string(f"{mail.template}.txt", context)
    # A subject is one line: a line break in it would be refused as a header injection.
    return EmailMessage(" ".join(subject.split()), body, to=[mail.to])


def _pack(value):
    """Ids and strings only: a model instance becomes a reference that is read when sent."""
    if isinstance(value, models.Model):
        return {_MODEL_KEY: value._meta.label_lower, "pk": value.pk}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_pack(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _pack(item) for key, item in value.items()}
    raise TypeError(f"Mail context takes model instances, ids and strings, not {type(value)}")


def _unpack(value):
    if isinstance(value, dict):
        if _MODEL_KEY in value:
            model = apps.get_model(value[_MODEL_KEY])
            instance = model._default_manager.filter(pk=value["pk"]).first()
            if instance is None:
                raise _Gone(value)
            return instance
        return {key: _unpack(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unpack(item) for item in value]
    return value
