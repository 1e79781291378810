from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirculationConfig(AppConfig):
    name = "circulation"
    verbose_name = _("Видача документів")

    def ready(self):
        from circulation.me import register_section

        # Loans, holds and reading history in «Мій формуляр» (accounts.me).
        register_section()
