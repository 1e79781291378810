from django.db import migrations

from accounts.permissions import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST, crud, grant, revoke

CATALOGUING = crud(
    "catalog", "record", "person", "subject", "contribution", actions=("view", "add", "change")
)
HOLDINGS = crud("catalog", "item", "intakebatch", actions=("view", "add", "change"))
PERMISSIONS = {
    LIBRARIAN: CATALOGUING
    + HOLDINGS
    + crud("catalog", "withdrawal", actions=("view",))
    + crud("catalog", "purchasesuggestion", actions=("view", "change"))
    + crud("catalog", "onlineresource", "searchlog", actions=("view",)),
    BRANCH_HEAD: CATALOGUING
    + HOLDINGS
    + crud("catalog", "withdrawal", actions=("view", "add", "change"))
    + crud("catalog", "purchasesuggestion", actions=("view", "change", "delete"))
    + crud("catalog", "onlineresource")
    + crud("catalog", "searchlog", actions=("view",)),
    METHODOLOGIST: crud("catalog", "record", "item", "intakebatch", "withdrawal", actions=("view",))
    + crud("catalog", "purchasesuggestion", "searchlog", actions=("view",))
    + crud("catalog", "onlineresource"),
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_catalogue"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
