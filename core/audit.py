"""The one audit call: who did what to which object, written to Django's admin log.

Every service that changes data on a staff member's behalf calls `audit_log` inside its own
transaction, so the entry exists exactly when the change does. Entries land in the same table
as the admin's own «додано / змінено / видалено» records, and the object's «Історія» page in
the admin shows both: staff look in one place.

No personal data in the text: the object is described by its `audit_label` when it has one
(«Реєстрація № 12» rather than a name), and messages name numbers and states, never people.
What staff type (a note to a status change) may name someone, so it goes after NOTE_SEPARATOR,
where retention (`core.retention.audit_forget`) cuts it off once the case is closed.
"""

import re

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

__all__ = [
    "ADDITION",
    "CHANGE",
    "DELETION",
    "audit_entries_for",
    "audit_label",
    "audit_latest_for",
    "audit_log",
    "audit_message",
    "audit_note",
    "audit_status_message",
    "audit_text",
]

ACTIONS = {"added": ADDITION, "changed": CHANGE, "deleted": DELETION}
# «Стан: Нова → Звʼязалися» — and in rows written before labels were stored, the codes
# («Стан: new → contacted»).
STATUS_CHANGE = re.compile(r"^Стан: (?P<old>[^\n]*?) → (?P<new>[^\n]*)$")
# The admin history shows a line break as a space; the fixed part of a message has none.
NOTE_SEPARATOR = "\n"


def audit_label(obj) -> str:
    """How the log names `obj`: its `audit_label` (for models that hold personal data) or
    its `str()`. Django's LogEntry keeps at most 200 characters."""
    label = getattr(obj, "audit_label", None)
    return str(label if label is not None else obj)[:200]


def audit_log(*, user, obj, action: str = "changed", message: str = "", note: str = "") -> LogEntry:
    """Record that `user` did `action` ("added", "changed" or "deleted") to `obj`.

    Call it inside the transaction of the change. `message` is shown as is in the admin
    history and must not contain names, e-mail addresses or phone numbers; `note` is the
    free text staff typed, kept until the case's personal data is anonymised.
    """
    if user is None or not getattr(user, "pk", None):
        # An anonymous change has no one to answer for it; the services that citizens call
        # (sign-ups, bookings) leave the record itself as the trace instead.
        raise ValueError("audit_log needs the acting user")
    entry = LogEntry(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=audit_label(obj),
        action_flag=ACTIONS[action],
        change_message=_audit_text(message, note),
    )
    entry._audit_labelled = True
    entry.save()
    return entry


def label_admin_entry(sender, instance, **kwargs):
    """pre_save of LogEntry: the admin's own entries describe an object by `str()`, for a
    registration or an application the person's name; use its `audit_label` instead.
    (The admin's bulk deletions skip signals; retention renames those entries.)"""
    if getattr(instance, "_audit_labelled", False) or not instance.content_type_id:
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is None or not isinstance(getattr(model, "audit_label", None), property):
        return
    obj = model._default_manager.filter(pk=instance.object_id).first()
    if obj is not None:
        instance.object_repr = audit_label(obj)


def audit_status_message(obj, old, new) -> str:
    """«Стан: Нова → Звʼязалися» for a move of `obj`'s status from code `old` to code `new`.

    Stored in Ukrainian, the catalogue's source language, whatever language the staff member
    works in: `audit_text` shows it in the reader's language."""
    labels = _status_labels(type(obj))
    with translation.override("uk"):
        return _("Стан: %(old)s → %(new)s") % {
            "old": str(labels.get(str(old), old)),
            "new": str(labels.get(str(new), new)),
        }


def audit_text(entry: LogEntry) -> str:
    """An entry's message as the reader should see it: Django's own (JSON) entries as Django
    renders them; a status change with the states' labels in the reader's language, also for
    old rows that stored the codes («Стан: new → contacted» → «Стан: Нова → Звʼязалися»)."""
    message = entry.get_change_message()
    if entry.change_message.startswith("["):
        return message
    head, separator, note = message.partition(NOTE_SEPARATOR)
    match = STATUS_CHANGE.match(head)
    if match:
        model = entry.content_type.model_class() if entry.content_type_id else None
        labels = _status_labels(model) if model is not None else {}

        def shown(value):
            return str(labels[value]) if value in labels else _(value) if value else value

        head = _("Стан: %(old)s → %(new)s") % {
            "old": shown(match["old"]),
            "new": shown(match["new"]),
        }
    elif head:
        head = _(head)  # a fixed message («Захід створено») is its own msgid
    return head + separator + note


def _status_labels(model) -> dict:
    try:
        field = model._meta.get_field("status")
    except FieldDoesNotExist:
        return {}
    return {str(code): label for code, label in field.flatchoices}


def _audit_text(message, note):
    text = " ".join(str(message).split())
    note = " ".join(str(note).split())
    if note:
        text += NOTE_SEPARATOR + _("Примітка: %(note)s") % {"note": note}
    return text


def audit_message(entry: LogEntry) -> str:
    """The fixed part of an entry's message, without the staff note."""
    return entry.change_message.split(NOTE_SEPARATOR, 1)[0]


def audit_note(entry: LogEntry) -> str:
    """The staff note of an entry (with its «Примітка:» label), or ""."""
    parts = entry.change_message.split(NOTE_SEPARATOR, 1)
    return parts[1] if len(parts) == 2 else ""


def audit_entries_for(objects):
    """The log entries about these objects (all of one model), with their users."""
    objects = list(objects)
    if not objects:
        return LogEntry.objects.none()
    opts = objects[0]._meta
    # A join rather than a ContentType lookup: the query count stays the same on a cold cache.
    return LogEntry.objects.filter(
        content_type__app_label=opts.app_label,
        content_type__model=opts.model_name,
        object_id__in=[str(obj.pk) for obj in objects],
    ).select_related("user")


def audit_latest_for(objects) -> dict:
    """The newest log entry of each object (all of one model), by object pk, in one query."""
    entries = (
        audit_entries_for(objects)
        .order_by("object_id", "-action_time", "-pk")
        .distinct("object_id")
    )
    by_id = {str(obj.pk): obj.pk for obj in objects}
    return {by_id[entry.object_id]: entry for entry in entries}
