from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EgovConfig(AppConfig):
    name = "egov"
    verbose_name = _("Центр е-послуг")
