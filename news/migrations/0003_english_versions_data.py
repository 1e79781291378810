"""Ukrainian texts into their translation fields (issue 16, «English for content»)."""

from django.db import migrations

from core.i18n import translations_migration


class Migration(migrations.Migration):
    dependencies = [("news", "0002_english_versions")]

    operations = [
        translations_migration(
            "news",
            {"newsitem": ("title", "lead", "body")},
            had_english=(),
        ),
    ]
