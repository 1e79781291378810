from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext

from core.counting import count_phrase
from core.models import OutgoingMail


class BoundedDateChangeList(ChangeList):
    """The admin list, where a date drill-down out of Python's range (`?created_at__year=9999`
    or a 40-digit year) is a wrong filter, as Django treats other wrong filters, instead of a
    server error. Django 5.2.20 lets the ValueError/OverflowError escape; fixed upstream
    by ticket #37357 — drop this once the Django in use has that fix."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


def admin_changelists_bound(site):
    """Every list of `site`, ours and third-party apps' (axes), reads its date drill-down
    through BoundedDateChangeList."""
    for model_admin in site._registry.values():
        model_admin.get_changelist = lambda request, **kwargs: BoundedDateChangeList


class _CountedMessages:
    """The model admin as Django's delete action sees it, except that its success message
    counts in the reader's grammar: «Видалено: 6 анкет волонтерів», not «Успішно видалено 6
    анкети волонтерів»."""

    def __init__(self, model_admin, count):
        self._model_admin = model_admin
        self._count = count

    def __getattr__(self, name):
        return getattr(self._model_admin, name)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS:
            phrase = count_phrase(self._count, self._model_admin.opts)
            message = gettext("Видалено: %(phrase)s.") % {"phrase": phrase}
        return self._model_admin.message_user(request, message, level, *args, **kwargs)


@admin.action(
    permissions=["delete"],
    description=django_delete_selected.short_description,
)
def delete_selected(modeladmin, request, queryset):
    """Django's «delete selected» (confirmation page, permissions, log entries), with a count
    that reads right in Ukrainian (`core.counting`)."""
    return django_delete_selected(_CountedMessages(modeladmin, len(queryset)), request, queryset)


admin.site.add_action(delete_selected, "delete_selected")


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
