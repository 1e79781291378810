"""Phones typed before core.phones are rewritten in E.164, as new ones are stored."""

from django.db import migrations

from core.phones import phones_normalize_stored


def forwards(apps, schema_editor):
    phones_normalize_stored(apps.get_model("branches", "Branch"), "phone")


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0003_plan_libraries"),
    ]

    # Backwards there is nothing to undo: E.164 is a valid way to write any of them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
