"""Ukrainian texts into their translation fields (issue 16, «English for content»)."""

from django.db import migrations

from core.i18n import translations_migration


class Migration(migrations.Migration):
    dependencies = [("events", "0008_english_versions")]

    operations = [
        translations_migration(
            "events",
            {
                "event": ("title", "description"),
                "club": ("name", "description"),
                "topic": ("name",),
            },
            had_english={"topic.name"},
        ),
    ]
