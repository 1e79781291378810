"""Ukrainian texts into their translation fields (issue 16, «English for content»)."""

from django.db import migrations

from core.i18n import translations_migration


class Migration(migrations.Migration):
    dependencies = [("egov", "0011_english_versions")]

    operations = [
        translations_migration(
            "egov",
            {"guide": ("title", "summary", "steps", "what_to_bring"), "topic": ("name",)},
            had_english={"topic.name"},
        ),
    ]
