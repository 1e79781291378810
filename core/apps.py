from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: one way for each job every app shares. Imports nothing of ours."""

    name = "core"
    verbose_name = "Спільне"
