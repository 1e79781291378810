"""The staff groups. What each may do is in accounts/roles.py, applied after every migrate."""

from django.db import migrations

GROUPS = ["Бібліотекар", "Завідувач філії", "Методист"]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_users_and_profiles"),
        ("branches", "0003_plan_libraries"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
