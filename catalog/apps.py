from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Електронний каталог")

    def ready(self):
        from catalog import signals  # noqa: F401  (connects the record tombstones)
        from catalog.portal_search import register_section

        # Books in the portal's search box (core.portal_search).
        register_section()
