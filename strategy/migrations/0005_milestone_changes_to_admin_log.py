"""Milestone changes move into the one audit trail: Django's admin log (core.audit).

Each logged change becomes a LogEntry on its milestone, worded as strategy.services writes it
(«Стан: Заплановано → Виконано», «Створено, стан «Заплановано»»), so the admin «Історія» and
the direction page («змінено …, хто») read old and new entries alike. Changes with no known
author (the demo's, or a deleted user's) are dropped: the admin log requires a user. The
reverse turns the entries back into rows.
"""

import re

from django.db import migrations
from django.utils.text import capfirst

CREATED = re.compile(r"^Створено, стан «(?P<new>.*)»$")
CHANGED = re.compile(r"^(?P<field>[^:]+): (?P<old>.*?) → (?P<new>.*)$", re.S)
FIELDS = ("title", "due_date", "branch", "status", "direction")
ADDITION, CHANGE = 1, 2


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="strategy", model="milestone")[0]


def _field_labels(apps):
    Milestone = apps.get_model("strategy", "Milestone")
    return {name: str(capfirst(Milestone._meta.get_field(name).verbose_name)) for name in FIELDS}


def forward(apps, schema_editor):
    MilestoneChange = apps.get_model("strategy", "MilestoneChange")
    LogEntry = apps.get_model("admin", "LogEntry")
    content_type, labels = _content_type(apps), _field_labels(apps)
    entries = []
    changes = MilestoneChange.objects.filter(changed_by__isnull=False).select_related("milestone")
    for change in changes.iterator():
        if change.field == "created":
            flag, message = ADDITION, f"Створено, стан «{change.new_value}»"
        else:
            field = labels.get(change.field, change.field)
            old, new = change.old_value or "—", change.new_value or "—"
            flag, message = CHANGE, f"{field}: {old} → {new}"
        entries.append(
            LogEntry(
                action_time=change.changed_at,
                user_id=change.changed_by_id,
                content_type=content_type,
                object_id=str(change.milestone_id),
                object_repr=change.milestone.title[:200],
                action_flag=flag,
                change_message=message,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=1000)


def backward(apps, schema_editor):
    Milestone = apps.get_model("strategy", "Milestone")
    MilestoneChange = apps.get_model("strategy", "MilestoneChange")
    LogEntry = apps.get_model("admin", "LogEntry")
    fields = {label: name for name, label in _field_labels(apps).items()}
    existing = set(Milestone.objects.values_list("pk", flat=True))
    rows, converted = [], []
    for entry in LogEntry.objects.filter(content_type=_content_type(apps)).iterator():
        if int(entry.object_id) not in existing:
            continue
        if created := CREATED.match(entry.change_message):
            field, old, new = "created", "", created["new"]
        elif (changed := CHANGED.match(entry.change_message)) and changed["field"] in fields:
            field = fields[changed["field"]]
            old, new = (v if v != "—" else "" for v in (changed["old"], changed["new"]))
        else:
            continue
        rows.append(
            MilestoneChange(
                milestone_id=int(entry.object_id),
                changed_by_id=entry.user_id,
                changed_at=entry.action_time,
                field=field,
                old_value=old[:300],
                new_value=new[:300],
            )
        )
        converted.append(entry.pk)
    MilestoneChange.objects.bulk_create(rows, batch_size=1000)
    LogEntry.objects.filter(pk__in=converted).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0004_partner_metric_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
