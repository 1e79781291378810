from django.db import migrations

from accounts.permissions import BRANCH_HEAD, METHODOLOGIST, crud, grant, revoke

PLANNING = ("plan", "direction", "indicator", "target", "metric")
PERMISSIONS = {
    # Methodologists run the plans; branch heads see them and report their own library.
    METHODOLOGIST: crud("strategy", *PLANNING)
    + crud("strategy", "milestone", "milestonenote", "manualvalue", "trainingrecord")
    + crud("strategy", "milestonechange", actions=("view",)),
    BRANCH_HEAD: crud("strategy", *PLANNING, actions=("view",))
    + crud("strategy", "milestone", actions=("view", "change"))
    + crud("strategy", "milestonenote", actions=("view", "add"))
    + crud("strategy", "milestonechange", actions=("view",))
    + crud("strategy", "manualvalue", "trainingrecord", actions=("view", "add", "change")),
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0002_plan_2016_2021"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
