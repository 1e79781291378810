from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from branches import services
from branches.models import (
    Branch,
    BranchPhoto,
    Closure,
    OpeningHours,
    PaidService,
    Service,
    SocialLink,
    Specialization,
    TourRequest,
    Zone,
)
from branches.scoping import BranchScopedAdminMixin, BranchScopedInlineMixin, staff_scope
from core.admin import TranslatedAdmin, ViewOnlyWithoutActionFieldsMixin


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
            _("Історія та екскурсії"),
            {"fields": ["history", "history_en", "offers_tours"]},
        ),
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
        services.paid_service_save(service=obj, acting_user=request.user)


class TourRequestForm(forms.ModelForm):
    """Nothing of the requester's is edited; staff agree a date, mark the tour done or
    decline the request (branches.services checks the move, mails and writes the log)."""

    change_status = forms.ChoiceField(label=_("Змінити стан на"), required=False)
    new_agreed_at = forms.SplitDateTimeField(
        label=_("Погоджені дата й час"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Для стану «Дату погоджено»; замовник отримає лист."),
    )
    status_note = forms.CharField(
        label=_("Примітка до зміни стану"), required=False, max_length=500
    )

    class Meta:
        model = TourRequest
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = self.instance.allowed_transitions() if self.instance.pk else set()
        allowed.discard(TourRequest.Status.CANCELLED)
        self.fields["change_status"].choices = [("", _("— не змінювати —"))] + [
            (value, label) for value, label in TourRequest.Status.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        agreeing = cleaned.get("change_status") == TourRequest.Status.AGREED
        if agreeing and not cleaned.get("new_agreed_at"):
            self.add_error("new_agreed_at", _("Вкажіть погоджені дату й час екскурсії."))
        return cleaned


@admin.register(TourRequest)
class TourRequestAdmin(ViewOnlyWithoutActionFieldsMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    form = TourRequestForm
    # Its public address is the requester's secret link (core.admin_views).
    view_on_site = False
    list_display = ["__str__", "branch", "kind", "people", "preferred_date", "status", "agreed_at"]
    list_filter = ["status", "kind", "branch"]
    list_select_related = ["branch"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "branch",
        "group_name",
        "kind",
        "people",
        "preferred_date",
        "alternative_date",
        "tour_language",
        "contact_name",
        "email",
        "phone",
        "note",
        "agreed_at",
        "done_on",
        "handled_by",
        "language",
        "created_at",
        "status_changed_at",
        "consent_at",
        "anonymised_at",
        "is_demo",
    ]

    def get_fieldsets(self, request, obj=None):
        return self.without_action_fields(
            request,
            obj,
            [
                (None, {"fields": ["status", "change_status", "new_agreed_at", "status_note"]}),
                (
                    _("Заявка"),
                    {
                        "fields": [
                            "branch",
                            "group_name",
                            "kind",
                            "people",
                            "preferred_date",
                            "alternative_date",
                            "tour_language",
                            "note",
                            "agreed_at",
                            "done_on",
                        ]
                    },
                ),
                (_("Контакти"), {"fields": ["contact_name", "email", "phone", "language"]}),
                (
                    _("Службове"),
                    {
                        "fields": [
                            "handled_by",
                            "created_at",
                            "status_changed_at",
                            "consent_at",
                            "anonymised_at",
                            "is_demo",
                        ]
                    },
                ),
            ],
        )

    def has_add_permission(self, request):
        # Groups ask on the library's history page; staff answer here.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        to = data.get("change_status")
        try:
            if to == TourRequest.Status.AGREED:
                services.tour_request_agree(
                    tour=obj,
                    when=data["new_agreed_at"],
                    acting_user=request.user,
                    note=data.get("status_note", ""),
                )
            elif to:
                services.tour_request_change_status(
                    tour=obj, to=to, acting_user=request.user, note=data.get("status_note", "")
                )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        obj.refresh_from_db()
