from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Події, клуби та школи")

    def ready(self):
        from events.me import register_sections

        # Its section of «Мій формуляр» (accounts.me).
        register_sections()
