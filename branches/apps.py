from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Мережа бібліотек")

    def ready(self):
        from branches.portal_search import register_section

        # Libraries in the portal's search box (core.portal_search).
        register_section()
