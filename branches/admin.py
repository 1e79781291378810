from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from branches.models import (
    Branch,
    BranchPhoto,
    Closure,
    OpeningHours,
    PaidService,
    Service,
    SocialLink,
    Specialization,
    Zone,
)
from branches.scoping import BranchScopedAdminMixin, BranchScopedInlineMixin, staff_scope


class OpeningHoursInline(BranchScopedInlineMixin, admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


class ClosureInline(BranchScopedInlineMixin, admin.TabularInline):
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
class BranchAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    branch_field = "pk"
    list_display = ["name", "kind", "number", "address", "phone", "public_pcs", "wifi", "is_active"]
    list_filter = ["kind", "is_active", "services", "specializations"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services", "specializations"]
    inlines = [OpeningHoursInline, ClosureInline, ZoneInline, PhotoInline, SocialLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "kind", "number", "is_active"]}),
        (
            _("Контакти"),
            {
                "fields": [
                    "address",
                    "address_en",
                    "postal_code",
                    ("latitude", "longitude"),
                    "phone",
                    "email",
                    "website",
                    "contacts_are_demo",
                ]
            },
        ),
        (_("Опис"), {"fields": ["description", "description_en"]}),
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
class ClosureAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "branch", "kind", "start_date", "end_date", "reason"]
    list_filter = ["kind", "branch"]
    list_select_related = ["branch"]
    date_hierarchy = "start_date"


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Specialization)
class SpecializationAdmin(admin.ModelAdmin):
    list_display = ["name", "axis", "name_en"]
    list_filter = ["axis"]


@admin.register(PaidService)
class PaidServiceAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """A library's price list (public: branches:paid_services). Income from these services is
    recorded in the register of income outside the budget (strategy)."""

    list_display = ["name", "branch", "price", "unit", "is_active", "position"]
    list_editable = ["price", "is_active", "position"]
    list_filter = ["branch", "is_active", "is_demo"]
    list_select_related = ["branch"]
    search_fields = ["name"]
    fields = [
        "branch",
        "name",
        "name_en",
        "price",
        "unit",
        "unit_en",
        "note",
        "note_en",
        "is_active",
        "position",
    ]

    def save_model(self, request, obj, form, change):
        obj.is_demo = False
        super().save_model(request, obj, form, change)
