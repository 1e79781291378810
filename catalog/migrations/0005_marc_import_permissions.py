from django.db import migrations

from accounts.permissions import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST, crud, grant, revoke

# Librarians and branch heads load their library system's catalogue; methodologists look on.
PERMISSIONS = {
    LIBRARIAN: crud("catalog", "marcimport", actions=("view", "add")),
    BRANCH_HEAD: crud("catalog", "marcimport", actions=("view", "add")),
    METHODOLOGIST: crud("catalog", "marcimport", actions=("view",)),
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_marc_imports"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
