from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lutsk_cbs"
    verbose_name = _("Портал ЦБС")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from branches.models import Branch
        from lutsk_cbs.context_processors import footer_cache_clear

        # The cached footer shows the central library: a library saved or deleted drops it.
        post_save.connect(footer_cache_clear, sender=Branch, dispatch_uid="site_footer_save")
        post_delete.connect(footer_cache_clear, sender=Branch, dispatch_uid="site_footer_delete")
