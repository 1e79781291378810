from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitalConfig(AppConfig):
    name = "digital"
    verbose_name = _("Оцифровані документи")

    def ready(self):
        from digital.portal_search import register_sections

        # Digitised documents in the portal's search box (core.portal_search).
        register_sections()
