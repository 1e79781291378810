"""Ukrainian texts into their translation fields (issue 16, «English for content»)."""

from django.db import migrations

from core.i18n import translations_migration


class Migration(migrations.Migration):
    dependencies = [("branches", "0010_english_versions")]

    operations = [
        translations_migration(
            "branches",
            {
                "branch": ("name", "address", "description"),
                "specialization": ("name",),
                "service": ("name", "description"),
                "closure": ("reason",),
            },
            had_english={
                "branch.name",
                "branch.address",
                "branch.description",
                "specialization.name",
                "service.name",
            },
        ),
    ]
