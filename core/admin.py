from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from core.models import OutgoingMail


class BoundedDateChangeList(ChangeList):
    """The admin list, where a date drill-down out of Python's range (`?created_at__year=9999`
    or a 40-digit year) is a wrong filter, as Django treats other wrong filters, instead of a
    server error. Django 5.2.20 lets the ValueError/OverflowError escape; fixed upstream
    by ticket #37357 — drop this once the Django in use has that fix.

    A NUL byte in any parameter is a wrong filter too: PostgreSQL refuses it in a text
    comparison (`?status__exact=%00` was a server error on every list with a choices filter)."""

    def get_filters(self, request):
        if any("\x00" in value for _name, values in request.GET.lists() for value in values):
            raise IncorrectLookupParameters("NUL byte in a filter")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


def admin_changelists_bound(site):
    """Every list of `site`, ours and third-party apps' (axes), reads its date drill-down
    through BoundedDateChangeList."""
    for model_admin in site._registry.values():
        model_admin.get_changelist = lambda request, **kwargs: BoundedDateChangeList


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Read-only, for administrators: what waits, what failed and why. Addresses are personal
    data of every library, so branch staff do not see this list."""

    list_display = ["created_at", "template", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
