from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: one way for each job every app shares. Imports nothing of ours."""

    name = "core"
    verbose_name = "Спільне"

    def ready(self):
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import pre_save

        from core.admin import admin_boolean_icons_named
        from core.audit import label_admin_entry

        admin_boolean_icons_named()

        pre_save.connect(label_admin_entry, sender=LogEntry, dispatch_uid="core.audit.label")
