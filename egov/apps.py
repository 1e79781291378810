from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EgovConfig(AppConfig):
    name = "egov"
    verbose_name = _("Центр е-послуг")

    def ready(self):
        from egov.me import register_sections

        # Its section of «Мій формуляр» (accounts.me).
        register_sections()

        from egov.portal_search import register_section as register_search

        # Guides in the portal's search box (core.portal_search).
        register_search()
