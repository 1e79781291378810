"""The one retention registry: what personal data each app keeps and how it forgets it.

Each app that stores names, contacts or free text about people has a `retention.py` that
registers one or more shredders (the idea of pretix's data shredders):

    retention.register(
        name="events.registrations",
        label=gettext_lazy("реєстрації на заходи"),
        anonymise=registrations_anonymise,   # (*, before: datetime) -> int
    )

A shredder may also take `forget_person=…` (`(*, user, emails) -> int`): what the app keeps
about one person who closes their account (accounts.services.reader_close) — the rows linked
to the account or to one of its verified e-mail addresses — is ended and anonymised at once,
through `person_forget`, in the caller's transaction: all of it or nothing.

`anonymise(before=…)` strips the personal data of the cases closed before that moment —
the rows themselves, their free-text notes and their entries in the audit log (see
`audit_forget`) — and returns how many cases it anonymised. The numbers that statistics need
(counts, dates, states) stay. `personal_data_anonymise` runs every shredder, each in its own
transaction, so one failing app does not keep the others from forgetting.

The nightly Celery task and `manage.py anonymise_personal_data` are the only callers.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Left, StrIndex
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from core.audit import NOTE_SEPARATOR, audit_label

# What replaces a name in free text that cannot simply be emptied.
REDACTED = "—"


@dataclass(frozen=True)
class Shredder:
    name: str
    label: str
    anonymise: Callable[..., int]
    forget_person: Callable[..., int] | None = None


@dataclass
class ShredderResult:
    shredder: Shredder
    count: int = 0
    error: Exception | None = None


_registry: dict[str, Shredder] = {}
_discovered = False


def register(
    *,
    name: str,
    label,
    anonymise: Callable[..., int],
    forget_person: Callable[..., int] | None = None,
) -> None:
    """Add a shredder; registering the same name again replaces it (module reloads)."""
    _registry[name] = Shredder(
        name=name, label=label, anonymise=anonymise, forget_person=forget_person
    )


def shredders() -> list[Shredder]:
    """Every registered shredder, after importing each installed app's `retention` module."""
    global _discovered
    if not _discovered:
        autodiscover_modules("retention")
        _discovered = True
    return [_registry[name] for name in sorted(_registry)]


def personal_data_anonymise(
    *, days: int | None = None, dry_run: bool = False, now: datetime | None = None
) -> list[ShredderResult]:
    """Run every shredder over the cases closed more than `days` (default
    PERSONAL_DATA_RETENTION_DAYS) ago. A dry run does the same work and rolls it back, so
    its counts are exactly what a real run would change."""
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    if days < 0:
        raise ValueError("days cannot be negative")
    before = (now or timezone.now()) - timedelta(days=days)
    results = []
    for shredder in shredders():
        result = ShredderResult(shredder=shredder)
        try:
            with transaction.atomic():
                result.count = shredder.anonymise(before=before)
                if dry_run:
                    transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 — reported; the other apps still run
            result.error = error
        results.append(result)
    return results


def person_forget(*, user, emails=()) -> dict[str, int]:
    """Every app forgets one person now (they closed their account): `user` and the
    addresses they proved are theirs (`emails`). Runs in the caller's transaction, so a
    failing app undoes the others and the account stays open. Returns counts by shredder."""
    emails = sorted({email.strip().lower() for email in emails if email and email.strip()})
    return {
        shredder.name: shredder.forget_person(user=user, emails=emails)
        for shredder in shredders()
        if shredder.forget_person is not None
    }


def audit_forget(objects, *, words=(), also_about=()) -> int:
    """Make the audit log forget the people behind `objects` (model instances about to be
    anonymised, or just anonymised).

    Their entries get the object's `audit_label` as description (the admin wrote `str(obj)`,
    often a name, for its own bulk changes) and lose their staff notes. Any of `words` (the
    names and contacts the objects held) left in the messages of their entries or of the
    entries about `also_about` (e.g. the event a registration was for) becomes «—».
    Returns how many entries changed.
    """
    changed = set()
    for content_type, group in _by_content_type(objects).items():
        labels = {str(obj.pk): audit_label(obj) for obj in group}
        entries = LogEntry.objects.filter(content_type=content_type, object_id__in=labels)
        # Staff notes may name the person; the fixed part of the message stays.
        noted = entries.filter(change_message__contains=NOTE_SEPARATOR)
        changed.update(noted.values_list("pk", flat=True))
        noted.update(
            change_message=Left(
                "change_message", StrIndex("change_message", Value(NOTE_SEPARATOR)) - 1
            )
        )
        stale = [
            entry
            for entry in entries.only("pk", "object_id", "object_repr")
            if entry.object_repr != labels[entry.object_id]
        ]
        for entry in stale:
            entry.object_repr = labels[entry.object_id]
        LogEntry.objects.bulk_update(stale, ["object_repr"], batch_size=500)
        changed.update(entry.pk for entry in stale)
    words = sorted({w.strip() for w in words if w and len(w.strip()) >= 3}, key=len, reverse=True)
    if not words:
        return len(changed)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    for content_type, group in _by_content_type([*objects, *also_about]).items():
        ids = sorted({str(obj.pk) for obj in group})
        for start in range(0, len(ids), 1000):
            about = LogEntry.objects.filter(
                content_type=content_type, object_id__in=ids[start : start + 1000]
            )
            for entry in about.only("pk", "change_message", "object_repr"):
                message = pattern.sub(REDACTED, entry.change_message)
                label = pattern.sub(REDACTED, entry.object_repr)
                if (message, label) != (entry.change_message, entry.object_repr):
                    entry.change_message, entry.object_repr = message, label
                    entry.save(update_fields=["change_message", "object_repr"])
                    changed.add(entry.pk)
    return len(changed)


def _by_content_type(objects) -> dict:
    groups: dict = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        groups.setdefault(content_type, []).append(obj)
    return groups


def deleted_objects_anonymise(*, before) -> int:
    """The admin's «видалено» entries keep `str()` of the deleted row, often a person's name,
    and no row is left for its app's shredder to find. Entries older than `before` about
    models that hold personal data (those with an `audit_label`) are renamed «<model> № <id>»."""
    changed = 0
    for model in django_apps.get_models():
        if not isinstance(getattr(model, "audit_label", None), property):
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        label = capfirst(str(model._meta.verbose_name))
        entries = LogEntry.objects.filter(
            content_type=content_type, action_flag=DELETION, action_time__lt=before
        ).exclude(object_repr__startswith=f"{label} № ")
        changed += entries.update(
            object_repr=Concat(Value(f"{label} № "), "object_id", output_field=CharField())
        )
    return changed


register(
    name="core.deleted_objects",
    label=gettext_lazy("видалені записи в журналі дій"),
    anonymise=deleted_objects_anonymise,
)

# Sent mail needs its address only until it is out; a month covers a reader's questions.
MAIL_ADDRESSES_KEPT = timedelta(days=30)


def mail_outbox_forget(*, before) -> int:
    from core.mail import mail_outbox_anonymise

    return mail_outbox_anonymise(older_than=min(timezone.now() - before, MAIL_ADDRESSES_KEPT))


register(
    name="core.mail_outbox",
    label=gettext_lazy("вихідна пошта"),
    anonymise=mail_outbox_forget,
)
