"""Help request status changes move into the one audit trail: Django's admin log (core.audit).

Each change made by a staff member becomes a LogEntry on its request, worded as core.audit
writes it, so the admin «Історія» shows old and new entries alike. The «received» rows (no
staff member; the request's `created_at` keeps the time) and changes whose author was deleted
are dropped: the admin log requires a user. The reverse turns the entries back into rows.
"""

import re

from django.db import migrations

PATTERN = re.compile(r"^Стан: (?P<old>.+?) → (?P<new>.+?)(?:\nПримітка: (?P<note>.*))?$", re.S)
CHANGE = 2


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="egov", model="helprequest")[0]


def _labels(apps):
    HelpRequest = apps.get_model("egov", "HelpRequest")
    return {code: str(label) for code, label in HelpRequest._meta.get_field("status").choices}


def forward(apps, schema_editor):
    HelpRequestEvent = apps.get_model("egov", "HelpRequestEvent")
    LogEntry = apps.get_model("admin", "LogEntry")
    content_type, labels = _content_type(apps), _labels(apps)
    entries = []
    changes = HelpRequestEvent.objects.filter(acting_user__isnull=False).exclude(from_status="")
    for change in changes.iterator():
        message = f"Стан: {labels[change.from_status]} → {labels[change.to_status]}"
        if change.note:
            message += "\nПримітка: " + " ".join(change.note.split())
        entries.append(
            LogEntry(
                action_time=change.at,
                user_id=change.acting_user_id,
                content_type=content_type,
                object_id=str(change.request_id),
                object_repr=f"Запит № {change.request_id}",
                action_flag=CHANGE,
                change_message=message,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=1000)


def backward(apps, schema_editor):
    HelpRequest = apps.get_model("egov", "HelpRequest")
    HelpRequestEvent = apps.get_model("egov", "HelpRequestEvent")
    LogEntry = apps.get_model("admin", "LogEntry")
    codes = {label: code for code, label in _labels(apps).items()}
    existing = set(HelpRequest.objects.values_list("pk", flat=True))
    rows, converted = [], []
    entries = LogEntry.objects.filter(
        content_type=_content_type(apps), change_message__startswith="Стан: "
    )
    for entry in entries.iterator():
        match = PATTERN.match(entry.change_message)
        if not match or int(entry.object_id) not in existing:
            continue
        if match["old"] not in codes or match["new"] not in codes:
            continue
        rows.append(
            HelpRequestEvent(
                request_id=int(entry.object_id),
                from_status=codes[match["old"]],
                to_status=codes[match["new"]],
                acting_user_id=entry.user_id,
                at=entry.action_time,
                note=(match["note"] or "")[:300],
            )
        )
        converted.append(entry.pk)
    HelpRequestEvent.objects.bulk_create(rows, batch_size=1000)
    LogEntry.objects.filter(pk__in=converted).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("egov", "0003_helprequest_mail_language"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
