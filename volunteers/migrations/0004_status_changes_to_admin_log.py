"""Status changes move into the one audit trail: Django's admin log (core.audit).

Each change with a known author becomes a LogEntry on its application or delivery request,
worded as core.audit writes it, so the admin «Історія» shows old and new entries alike.
Changes whose author was deleted cannot be attributed and are dropped (the admin log requires
a user). The reverse turns the «Стан: … → …» and «Видано нове особисте посилання» entries back
into rows.
"""

import re

from django.db import migrations

SEPARATOR = "\n"
NOTE = "Примітка: "
PATTERN = re.compile(r"^Стан: (?P<old>.+?) → (?P<new>.+?)(?:\nПримітка: (?P<note>.*))?$", re.S)
CHANGE = 2
REISSUED = "Видано нове особисте посилання"


def _labels(model):
    return dict(model._meta.get_field("status").choices)


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="volunteers", model=model._meta.model_name)[
        0
    ]


def forward(apps, schema_editor):
    StatusChange = apps.get_model("volunteers", "StatusChange")
    LogEntry = apps.get_model("admin", "LogEntry")
    Application = apps.get_model("volunteers", "Application")
    DeliveryRequest = apps.get_model("volunteers", "DeliveryRequest")
    kinds = {
        "application": (Application, _content_type(apps, Application), "Анкета волонтера"),
        "delivery": (DeliveryRequest, _content_type(apps, DeliveryRequest), "Заявка на доставку"),
    }
    entries = []
    for change in StatusChange.objects.filter(changed_by__isnull=False).iterator():
        subject = "application" if change.application_id else "delivery"
        model, content_type, noun = kinds[subject]
        object_id = change.application_id or change.delivery_id
        labels = _labels(model)
        if change.from_status == change.to_status:
            message = change.note or REISSUED
        else:
            old = labels.get(change.from_status, change.from_status)
            new = labels.get(change.to_status, change.to_status)
            message = f"Стан: {old} → {new}"
            if change.note:
                message += SEPARATOR + NOTE + " ".join(change.note.split())
        entries.append(
            LogEntry(
                action_time=change.changed_at,
                user_id=change.changed_by_id,
                content_type=content_type,
                object_id=str(object_id),
                object_repr=f"{noun} № {object_id}",
                action_flag=CHANGE,
                change_message=message,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=1000)


def backward(apps, schema_editor):
    StatusChange = apps.get_model("volunteers", "StatusChange")
    LogEntry = apps.get_model("admin", "LogEntry")
    Application = apps.get_model("volunteers", "Application")
    DeliveryRequest = apps.get_model("volunteers", "DeliveryRequest")
    for field, model in (("application_id", Application), ("delivery_id", DeliveryRequest)):
        codes = {str(label): code for code, label in _labels(model).items()}
        entries = LogEntry.objects.filter(content_type=_content_type(apps, model))
        existing = set(model.objects.values_list("pk", flat=True))
        rows, converted = [], []
        for entry in entries.iterator():
            if int(entry.object_id) not in existing:
                continue
            if entry.change_message == REISSUED and field == "application_id":
                old = new = "active"
                note = REISSUED
            elif match := PATTERN.match(entry.change_message):
                old = codes.get(match["old"], match["old"])[:16]
                new = codes.get(match["new"], match["new"])[:16]
                note = (match["note"] or "")[:500]
            else:
                continue
            rows.append(
                StatusChange(
                    **{field: int(entry.object_id)},
                    from_status=old,
                    to_status=new,
                    note=note,
                    changed_by_id=entry.user_id,
                    changed_at=entry.action_time,
                )
            )
            converted.append(entry.pk)
        StatusChange.objects.bulk_create(rows, batch_size=1000)
        LogEntry.objects.filter(pk__in=converted).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0003_consent_recorded_by"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
