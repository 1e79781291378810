from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from branches.models import (
    Branch,
    BranchPhoto,
    Closure,
    OpeningHours,
    Service,
    SocialLink,
    Specialization,
    Zone,
)
from branches.scoping import BranchScopedAdminMixin, BranchScopedInlineMixin, staff_scope
from core.admin import TranslatedAdmin


class OpeningHoursInline(BranchScopedInlineMixin, admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


class ClosureInline(BranchScopedInlineMixin, TranslationTabularInline):
    model = Closure
    extra = 0
    fields = ["kind", "start_date", "end_date", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).upcoming()


class ZoneInline(BranchScopedInlineMixin, admin.TabularInline):
    model = Zone
    extra = 0


class PhotoInline(BranchScopedInlineMixin, admin.TabularInline):
    model = BranchPhoto
    extra = 0


class SocialLinkInline(BranchScopedInlineMixin, admin.TabularInline):
    model = SocialLink
    extra = 0


@admin.register(Branch)
class BranchAdmin(BranchScopedAdminMixin, TranslatedAdmin):
    branch_field = "pk"
    list_display = ["name", "kind", "number", "address", "phone", "public_pcs", "wifi", "is_active"]
    list_filter = ["kind", "is_active", "services", "specializations"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services", "specializations"]
    inlines = [OpeningHoursInline, ClosureInline, ZoneInline, PhotoInline, SocialLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "number", "is_active"]}),
        (
            _("Контакти"),
            {
                "fields": [
                    "address",
                    "postal_code",
                    ("latitude", "longitude"),
                    "phone",
                    "email",
                    "website",
                    "contacts_are_demo",
                ]
            },
        ),
        (_("Опис"), {"fields": ["description"]}),
        (
            _("Доступність і техніка"),
            {
                "fields": [
                    "step_free_entrance",
                    "accessible_toilet",
                    "hearing_loop",
                    "large_print",
                    "public_pcs",
                    "wifi",
                ]
            },
        ),
        (_("Спеціалізація і послуги"), {"fields": ["specializations", "services"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The identity of a library in the network is the methodologists' decision.
        if staff_scope(request.user) is not None:
            return ["slug", "kind", "number", "is_active"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        # The slug is read-only for branch staff; prepopulating a field the form does not
        # have makes the change page fail with KeyError: 'slug'.
        if staff_scope(request.user) is not None:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_add_permission(self, request):
        return staff_scope(request.user) is None and super().has_add_permission(request)


@admin.register(Closure)
class ClosureAdmin(BranchScopedAdminMixin, TranslatedAdmin):
    list_display = ["__str__", "branch", "kind", "start_date", "end_date", "reason"]
    list_filter = ["kind", "branch"]
    list_select_related = ["branch"]
    date_hierarchy = "start_date"


@admin.register(Service)
class ServiceAdmin(TranslatedAdmin):
    list_display = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Specialization)
class SpecializationAdmin(TranslatedAdmin):
    list_display = ["name", "axis", "name_en"]
    list_filter = ["axis"]
