from django.db import migrations

from accounts.permissions import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST, crud, grant, revoke

# Librarians run their library's events and clubs; heads may also delete them; methodologists
# look across the network (numbers, not people's contacts) and keep the shared lists of
# topics and partners.
RUNNING = crud(
    "events", "event", "attendance", "club", "clubexception", actions=("view", "add", "change")
) + crud("events", "registration", "clubmembership", actions=("view", "add", "change"))
PERMISSIONS = {
    LIBRARIAN: RUNNING + crud("events", "topic", "partner", actions=("view", "add")),
    BRANCH_HEAD: RUNNING
    + crud("events", "event", "club", "clubexception", "attendance", actions=("delete",))
    + crud("events", "registration", "clubmembership", actions=("delete",))
    + crud("events", "topic", "partner", actions=("view", "add", "change")),
    METHODOLOGIST: crud(
        "events",
        "event",
        "attendance",
        "club",
        "clubexception",
        actions=("view",),
    )
    + crud("events", "topic", "partner"),
}


def forwards(apps, schema_editor):
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_events_clubs_registrations"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
