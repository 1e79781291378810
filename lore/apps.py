from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoreConfig(AppConfig):
    name = "lore"
    verbose_name = _("Краєзнавчий покажчик")

    def ready(self):
        from lore import portal_search

        portal_search.register_sections()
