"""Staff groups with their permissions. Later apps add their models' permissions to these
groups in their own data migrations."""

from django.db import migrations

from accounts.permissions import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST, grant

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
    grant(apps, PERMISSIONS)


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
