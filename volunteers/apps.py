from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Волонтерство")

    def ready(self):
        from volunteers.me import register_sections

        # Its section of «Мій формуляр» (accounts.me).
        register_sections()
