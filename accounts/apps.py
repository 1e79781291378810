from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Користувачі й працівники")

    def ready(self):
        from accounts.roles import roles_apply_after_migrate

        # After every migrate (and after tests flush the database) the staff groups get
        # exactly the permissions of accounts/roles.py.
        post_migrate.connect(
            roles_apply_after_migrate, sender=self, dispatch_uid="accounts.roles_apply"
        )
        _allauth_admin_remove()


def _allauth_admin_remove():
    """django-allauth's own admin lists every e-mail address across the network, unscoped by
    library; readers' addresses are seen on their (scoped) card instead. The admin's
    autodiscovery ran already (django.contrib.admin is the first app)."""
    from allauth.account.models import EmailAddress
    from django.contrib import admin

    if admin.site.is_registered(EmailAddress):
        admin.site.unregister(EmailAddress)
