"""Granting model permissions to the staff groups from data migrations.

Each app's data migration names what «Бібліотекар», «Завідувач філії» and «Методист» may do
with its models; this is the one place that knows how to make that happen inside a migration.
"""

from django.contrib.auth.management import create_permissions

LIBRARIAN = "Бібліотекар"
BRANCH_HEAD = "Завідувач філії"
METHODOLOGIST = "Методист"


def grant(apps, permissions):
    """`permissions`: {group name: [(app_label, codename), …]}; groups are created if absent."""
    # Permissions are normally created after all migrations have run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in permissions.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, permissions):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in permissions.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for app_label, codename in codenames:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


def crud(app_label, *models, actions=("view", "add", "change", "delete")):
    return [(app_label, f"{action}_{model}") for model in models for action in actions]
