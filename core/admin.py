from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import ChangeList
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin

from core.counting import count_phrase
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


def _link_row_names():
    """Verbose names of the tables Django makes for many-to-many fields ("Event-topic
    relationship"), singular and plural."""
    models = [
        model for model in apps.get_models(include_auto_created=True) if model._meta.auto_created
    ]
    return (
        {str(capfirst(model._meta.verbose_name)) for model in models},
        {str(model._meta.verbose_name_plural) for model in models},
    )


def _without_link_rows(items, names):
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without_link_rows(item, names))
        elif not any(str(item).startswith(f"{name}: ") for name in names):
            kept.append(item)
    return kept


def admin_deletions_without_link_rows(site):
    """The delete confirmation of every admin of `site` lists what a person would call
    a record, not the rows that tie two records together: Django names those in English
    from class names («Звʼязок Event-topic: Event_topics object (3)»), and they go with
    the record anyway."""
    for model_admin in site._registry.values():
        original = model_admin.get_deleted_objects

        def get_deleted_objects(objs, request, original=original):
            deleted, counts, perms_needed, protected = original(objs, request)
            singular, plural = _link_row_names()
            counts = {name: count for name, count in counts.items() if str(name) not in plural}
            return _without_link_rows(deleted, singular), counts, perms_needed, protected

        model_admin.get_deleted_objects = get_deleted_objects


def _labelled(form_class):
    """`form_class` whose fields name themselves (aria-label): in a list whose columns are
    edited in place, the column header is the only label a cell's input has."""

    class Labelled(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                field.widget.attrs.setdefault("aria-label", str(field.label or name))

    Labelled.__name__ = form_class.__name__
    return Labelled


def admin_lists_editable_labelled(site):
    """Every list of `site` with editable columns (list_editable) labels their inputs."""
    for model_admin in site._registry.values():
        original = model_admin.get_changelist_form

        def get_changelist_form(request, original=original, **kwargs):
            return _labelled(original(request, **kwargs))

        model_admin.get_changelist_form = get_changelist_form


class ViewOnlyWithoutActionFieldsMixin:
    """A ModelAdmin whose form adds fields that act rather than show (change the status,
    assign a volunteer, record a consent): to a staff member who may only view, its pages
    leave them out. Django would show each as a read-only line titled with the field's
    English name («Change status: None»). `view_only_shown_as` names, for a field whose
    read-only value Django would show raw (a list of choice codes: «adults»), the admin
    method that shows it to a viewer instead."""

    view_only_shown_as = {}

    def get_fieldsets(self, request, obj=None):
        return self.without_action_fields(request, obj, super().get_fieldsets(request, obj))

    def without_action_fields(self, request, obj, fieldsets):
        """`fieldsets` as the user may see them (for admins that build their own)."""
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        model_fields = {field.name for field in self.model._meta.get_fields()}
        acting = set(getattr(self.form, "declared_fields", {})) - model_fields

        def kept(fields):
            for field in fields:
                if isinstance(field, (list, tuple)):
                    line = [self.view_only_shown_as.get(name, name) for name in field]
                    line = [name for name in line if name not in acting]
                    if line:
                        yield line
                elif field not in acting:
                    yield self.view_only_shown_as.get(field, field)

        return [
            (title, {**options, "fields": list(kept(options["fields"]))})
            for title, options in fieldsets
        ]


BOOLEAN_ICONS = {True: "yes", False: "no", None: "unknown"}


def _boolean_icon(value):
    """Django's yes/no/unknown icon, whose alt text a screen reader reads: «Так», «Ні»,
    «Невідомо» in the page's language instead of Django's untranslatable "True"/"False"."""
    text = {True: _("Так"), False: _("Ні"), None: _("Невідомо")}[value]
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{BOOLEAN_ICONS[value]}.svg"), text
    )


def admin_boolean_icons_named():
    """Every admin list and read-only field draws yes/no through `_boolean_icon` above. Django
    looks the function up in admin_list each time (django/contrib/admin/utils.py, helpers.py),
    so replacing it there reaches them all; tests/test_admin_walk.py notices if it stops."""
    admin_list._boolean_icon = _boolean_icon


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


class TranslatedAdmin(TranslationAdmin):
    """modeltranslation's admin (the Ukrainian and English fields side by side) that keeps
    Django's rule for a staff member who may only view: the form has no fields. modeltranslation
    hands get_form its own `exclude`, which drops that rule, and an admin method shown in place
    of a field (ViewOnlyWithoutActionFieldsMixin.view_only_shown_as) was asked of the model."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if change and obj is not None and not self.has_change_permission(request, obj):
            return admin.ModelAdmin.get_form(self, request, obj, change=change, **kwargs)
        return super().get_form(request, obj, change=change, **kwargs)
