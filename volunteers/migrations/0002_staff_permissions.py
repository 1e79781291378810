from django.db import migrations

from accounts.permissions import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST, crud, grant, revoke

APP = "volunteers"
BRANCH_WORK = (
    crud(APP, "application", "deliveryrequest", actions=("view", "add", "change"))
    + crud(APP, "opportunity", "signup", "hoursentry")
    + crud(APP, "statuschange", actions=("view",))
)
PERMISSIONS = {
    LIBRARIAN: BRANCH_WORK,
    BRANCH_HEAD: BRANCH_WORK,
    METHODOLOGIST: crud(
        APP,
        "application",
        "opportunity",
        "signup",
        "hoursentry",
        "deliveryrequest",
        "statuschange",
        actions=("view",),
    ),
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_volunteers"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
