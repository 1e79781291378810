from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lutsk_cbs"
    verbose_name = _("Портал ЦБС")
