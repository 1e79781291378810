from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Події, клуби та школи")

    def ready(self):
        from events.me import register_sections

        # Its section of «Мій формуляр» (accounts.me).
        register_sections()

        from events.portal_search import register_sections as register_search

        # Events and clubs in the portal's search box (core.portal_search).
        register_search()
