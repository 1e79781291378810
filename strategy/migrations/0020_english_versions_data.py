"""Ukrainian texts into their translation fields (issue 16, «English for content»)."""

from django.db import migrations

from core.i18n import translations_migration


class Migration(migrations.Migration):
    dependencies = [("strategy", "0019_english_versions")]

    operations = [
        translations_migration(
            "strategy",
            {
                "plan": ("title",),
                "direction": ("title",),
                "metric": ("name", "unit"),
                "reportrow": ("label",),
            },
            had_english={
                "plan.title",
                "direction.title",
                "metric.name",
                "metric.unit",
                "reportrow.label",
            },
        ),
    ]
