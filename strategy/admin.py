from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from branches.scoping import BranchScopedAdminMixin, BranchScopedInlineMixin, staff_scope
from core.admin import TranslatedAdmin
from strategy import services
from strategy.models import (
    Direction,
    ExtraIncome,
    GrantApplication,
    Indicator,
    ManualValue,
    Metric,
    Milestone,
    MilestoneNote,
    Plan,
    ReportRow,
    Target,
    TrainingRecord,
)


class PlanAdminForm(forms.ModelForm):
    copy_from = forms.ModelChoiceField(
        queryset=Plan.objects.all(),
        required=False,
        label=_("Скопіювати напрямки з плану"),
        help_text=_("Напрямки, їхні бібліотеки й показники; етапи та цілі не копіюються."),
    )

    class Meta:
        model = Plan
        fields = [
            "title_uk",
            "title_en",
            "slug",
            "period_start",
            "period_end",
            "motto",
            "basis",
            "source",
        ]


class DirectionInline(TranslationTabularInline):
    model = Direction
    fields = ["number", "title", "period_start", "period_end", "scope", "coordinator"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(TranslatedAdmin):
    form = PlanAdminForm
    list_display = ["title", "period_start", "period_end"]
    prepopulated_fields = {"slug": ["period_start", "period_end"]}
    inlines = [DirectionInline]

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "copy_from"]
        return fields + ["copy_from"] if obj is None else fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        source = form.cleaned_data.get("copy_from") if not change else None
        if source is not None:
            copied = services.plan_copy_directions(source=source, target=obj)
            self.message_user(
                request,
                _("Скопійовано напрямків: %(count)s.") % {"count": copied},
                messages.SUCCESS,
            )


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["metric", "position"]
    autocomplete_fields = ["metric"]
    extra = 0
    show_change_link = True


@admin.register(Direction)
class DirectionAdmin(TranslatedAdmin):
    list_display = ["number", "title", "plan", "period_start", "period_end", "scope", "coordinator"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "scope"]
    list_select_related = ["plan", "coordinator"]
    search_fields = ["title", "activities"]
    filter_horizontal = ["participants"]
    inlines = [IndicatorInline]


@admin.register(Metric)
class MetricAdmin(TranslatedAdmin):
    list_display = ["code", "name", "unit", "source", "additive"]
    list_filter = ["source"]
    search_fields = ["code", "name_uk", "name_en"]


class TargetInline(BranchScopedInlineMixin, admin.TabularInline):
    model = Target
    fields = ["year", "branch", "value"]
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["direction", "metric", "position"]
    list_filter = ["direction__plan", "metric__source"]
    list_select_related = ["direction", "metric"]
    autocomplete_fields = ["metric"]
    search_fields = ["metric__name", "metric__code", "direction__title"]
    inlines = [TargetInline]


class MilestoneAdminForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["direction", "title", "due_date", "branch", "status", "is_demo"]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if self.instance.pk and status:
            try:
                services.milestone_check_transition(
                    old_status=self.instance.status, new_status=status
                )
            except ValidationError as error:
                self.add_error("status", error)
        return cleaned


class MilestoneNoteInline(admin.StackedInline):
    model = MilestoneNote
    fields = ["text", "link", "file", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    extra = 1


@admin.register(Milestone)
class MilestoneAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    form = MilestoneAdminForm
    list_display = ["title", "direction", "branch", "due_date", "status", "completed_on"]
    list_filter = ["status", "direction__plan", "branch", "is_demo"]
    list_select_related = ["direction", "branch"]
    search_fields = ["title"]
    date_hierarchy = "due_date"
    readonly_fields = ["completed_on"]
    inlines = [MilestoneNoteInline]

    def save_model(self, request, obj, form, change):
        branch_id = staff_scope(request.user)
        if branch_id is not None:
            obj.branch_id = branch_id
        # Through the service, so every change is logged with who and when.
        services.milestone_save(milestone=obj, acting_user=request.user)

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if isinstance(note, MilestoneNote) and note.created_by_id is None:
                note.created_by = request.user
            note.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ManualValue)
class ManualValueAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["metric", "branch", "year", "value", "entered_by", "entered_at", "is_demo"]
    list_filter = ["year", "metric", "branch", "is_demo"]
    list_select_related = ["metric", "branch", "entered_by"]
    search_fields = ["metric__name", "metric__code", "note"]
    fields = ["metric", "branch", "year", "value", "note", "entered_by", "entered_at"]
    readonly_fields = ["entered_by", "entered_at"]
    autocomplete_fields = ["metric"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        obj.is_demo = False
        super().save_model(request, obj, form, change)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "branch", "kind", "course", "provider", "hours", "date"]
    list_filter = ["kind", "branch", "is_demo"]
    list_select_related = ["branch"]
    search_fields = ["person", "course", "provider"]
    date_hierarchy = "date"


@admin.register(GrantApplication)
class GrantApplicationAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "funder", "branch", "status", "deadline", "amount_won", "report_due"]
    list_filter = ["status", "branch", "is_demo"]
    list_select_related = ["branch"]
    search_fields = ["title", "funder", "author"]
    date_hierarchy = "deadline"
    fieldsets = [
        (None, {"fields": ["title", "funder", "branch", "author", "status", "notes"]}),
        (
            _("Строки й кошти"),
            {
                "fields": [
                    "deadline",
                    "submitted_on",
                    "decided_on",
                    "amount_requested",
                    "amount_won",
                    "report_due",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        obj.is_demo = False
        super().save_model(request, obj, form, change)


@admin.register(ExtraIncome)
class ExtraIncomeAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "amount", "source", "branch"]
    list_filter = ["kind", "branch", "is_demo"]
    list_select_related = ["branch"]
    search_fields = ["source"]
    date_hierarchy = "date"
    fields = ["branch", "kind", "date", "amount", "source"]

    def save_model(self, request, obj, form, change):
        obj.is_demo = False
        super().save_model(request, obj, form, change)


@admin.register(ReportRow)
class ReportRowAdmin(TranslatedAdmin):
    """The rows of form 6-НК: a methodologist may reword a label; the numbers and sources are
    the form's (migration 0008, docs/stats.md) and are not added or removed here."""

    list_display = ["number", "label", "section", "level", "kind", "source"]
    list_filter = ["section", "kind"]
    list_select_related = ["metric"]
    search_fields = ["label_uk", "label_en", "figure", "metric__code"]
    fields = ["section", "number", "label", "level", "kind", "source"]
    readonly_fields = ["section", "number", "source", "kind"]

    # The figure keys are the code's names (English); a methodologist traces a figure on the
    # report itself (`?trace=1`), so the admin says only where the number comes from.
    @admin.display(description=_("звідки цифра"))
    def source(self, row):
        if row.metric_id:
            return _("вносять вручну: %(name)s") % {"name": row.metric.display_name}
        return _("обчислює портал")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
