"""Staff groups with their permissions. Later apps add their models' permissions to these
groups in their own data migrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIBRARIAN = "Бібліотекар"
BRANCH_HEAD = "Завідувач філії"
METHODOLOGIST = "Методист"

PERMISSIONS = {
    LIBRARIAN: [
        ("branches", "view_branch"),
        ("branches", "view_openinghours"),
        ("branches", "view_closure"),
        ("branches", "add_closure"),
        ("branches", "change_closure"),
        ("branches", "delete_closure"),
        ("branches", "view_zone"),
        ("branches", "view_branchphoto"),
        ("branches", "view_service"),
        ("branches", "view_specialization"),
        ("accounts", "view_readerprofile"),
        ("accounts", "add_readerprofile"),
        ("accounts", "change_readerprofile"),
    ],
    BRANCH_HEAD: [
        ("branches", "view_branch"),
        ("branches", "change_branch"),
        ("branches", "view_openinghours"),
        ("branches", "add_openinghours"),
        ("branches", "change_openinghours"),
        ("branches", "delete_openinghours"),
        ("branches", "view_closure"),
        ("branches", "add_closure"),
        ("branches", "change_closure"),
        ("branches", "delete_closure"),
        ("branches", "view_zone"),
        ("branches", "add_zone"),
        ("branches", "change_zone"),
        ("branches", "delete_zone"),
        ("branches", "view_branchphoto"),
        ("branches", "add_branchphoto"),
        ("branches", "change_branchphoto"),
        ("branches", "delete_branchphoto"),
        ("branches", "view_service"),
        ("branches", "view_specialization"),
        ("accounts", "view_readerprofile"),
        ("accounts", "add_readerprofile"),
        ("accounts", "change_readerprofile"),
        ("accounts", "view_staffprofile"),
    ],
    METHODOLOGIST: [
        ("branches", "view_branch"),
        ("branches", "add_branch"),
        ("branches", "change_branch"),
        ("branches", "view_openinghours"),
        ("branches", "add_openinghours"),
        ("branches", "change_openinghours"),
        ("branches", "view_closure"),
        ("branches", "add_closure"),
        ("branches", "change_closure"),
        ("branches", "delete_closure"),
        ("branches", "view_zone"),
        ("branches", "view_branchphoto"),
        ("branches", "view_service"),
        ("branches", "add_service"),
        ("branches", "change_service"),
        ("branches", "view_specialization"),
        ("branches", "add_specialization"),
        ("branches", "change_specialization"),
        ("accounts", "view_staffprofile"),
    ],
}


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_users_and_profiles"),
        ("branches", "0003_plan_libraries"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
