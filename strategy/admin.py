from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from accounts.models import User
from branches.models import Branch, PaidService
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
    StudyTrip,
    Target,
    TrainingPlan,
    TrainingRecord,
    staff_name,
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


class StaffChoicesMixin:
    """Staff pick people from their own library only (names are personal data); the network
    sees everyone with a staff profile. Rows are saved through strategy.services."""

    staff_fields = ()

    def _staff_queryset(self, request):
        scope = staff_scope(request.user)
        users = User.objects.filter(staff_profile__isnull=False, is_active=True)
        if scope is not None:
            users = users.filter(staff_profile__branch=scope)
        return users.order_by("last_name", "first_name", "username")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.staff_fields:
            kwargs["queryset"] = self._staff_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.staff_fields:
            kwargs["queryset"] = self._staff_queryset(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        scope = staff_scope(request.user)
        if scope is not None:
            obj.branch_id = scope
        related = form.save_m2m
        form.save_m2m = lambda: None
        # The admin logs the addition or change itself, as for every model.
        services.register_save(obj=obj, acting_user=request.user, related=related)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(StaffChoicesMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    staff_fields = ("staff",)
    list_display = [
        "person",
        "branch",
        "kind",
        "course",
        "provider",
        "hours",
        "date",
        "certificate",
    ]
    list_filter = ["kind", "branch", "certificate", "is_demo"]
    list_select_related = ["branch"]
    search_fields = ["person", "course", "provider"]
    date_hierarchy = "date"
    fields = [
        "staff",
        "person",
        "branch",
        "kind",
        "course",
        "provider",
        "hours",
        "date",
        "certificate",
        "certificate_file",
    ]


@admin.register(TrainingPlan)
class TrainingPlanAdmin(StaffChoicesMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    """The yearly training plan, and beside it «План і факт»: what was planned against what
    the training records show, per library and planned person."""

    staff_fields = ("staff",)
    list_display = ["year", "branch", "who", "hours", "courses", "topics"]
    list_filter = ["year", "branch", "is_demo"]
    list_select_related = ["branch", "staff"]
    fields = ["branch", "year", "staff", "hours", "courses", "topics"]
    change_list_template = "admin/strategy/trainingplan/change_list.html"

    @admin.display(description=_("хто"), ordering="staff__last_name")
    def who(self, plan):
        if plan.staff_id is None:
            return _("бібліотека загалом")
        return staff_name(plan.staff)

    def get_urls(self):
        report = path(
            "report/",
            self.admin_site.admin_view(self.report_view),
            name="strategy_trainingplan_report",
        )
        return [report, *super().get_urls()]

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        scope = staff_scope(request.user)
        this_year = timezone.localdate().year
        try:
            year = int(request.GET.get("year", this_year))
        except ValueError:
            year = this_year
        if not 1990 <= year <= 2100:
            year = this_year
        branch_ids = None if scope is None else [scope]
        libraries = services.training_plan_vs_actual(year=year, branch_ids=branch_ids)
        names = dict(Branch.objects.values_list("pk", "name"))
        for library in libraries:
            library["name"] = names.get(library["branch_id"], "—")
            library["left"] = max(library["planned_hours"] - library["hours"], 0)
        libraries.sort(key=lambda library: library["name"])
        years = sorted(
            {this_year, year, *TrainingPlan.objects.values_list("year", flat=True).distinct()},
            reverse=True,
        )
        return TemplateResponse(
            request,
            "admin/strategy/trainingplan/report.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Навчання працівників: план і факт за %(year)s рік") % {"year": year},
                "year": year,
                "years": years,
                "libraries": libraries,
            },
        )


@admin.register(StudyTrip)
class StudyTripAdmin(StaffChoicesMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    staff_fields = ("participants",)
    list_display = ["date", "destination", "branch", "participant_count", "has_report"]
    list_filter = ["branch", "is_demo"]
    list_select_related = ["branch"]
    search_fields = ["destination", "purpose"]
    date_hierarchy = "date"
    filter_horizontal = ["participants"]
    fields = [
        "branch",
        "date",
        "destination",
        "purpose",
        "participants",
        "other_participants",
        "participant_count",
        "report",
        "report_file",
    ]

    @admin.display(description=_("звіт"), boolean=True)
    def has_report(self, trip):
        return bool(trip.report or trip.report_file)


@admin.register(GrantApplication)
class GrantApplicationAdmin(StaffChoicesMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    staff_fields = ("responsible",)
    list_display = ["title", "funder", "branch", "status", "due", "amount_won"]
    list_filter = ["status", "branch", "is_demo"]
    list_select_related = ["branch"]
    search_fields = ["title", "funder", "author"]
    date_hierarchy = "deadline"
    readonly_fields = ["deadline_reminded_at", "report_reminded_at"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "funder", "branch", "author", "responsible", "status", "notes"]},
        ),
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
        (_("Нагадування"), {"fields": ["deadline_reminded_at", "report_reminded_at"]}),
    ]

    @admin.display(description=_("строк"), ordering="deadline")
    def due(self, grant):
        """«до дедлайну 5 днів», «звіт через 3 дні», «дедлайн сьогодні», «дедлайн минув»."""
        waiting = grant.next_due()
        if waiting is None:
            return "—"
        what, day = waiting
        days = (day - timezone.localdate()).days
        if what == "deadline":
            if days < 0:
                text = gettext("дедлайн минув %(date)s") % {"date": f"{day:%d.%m.%Y}"}
            elif days == 0:
                text = gettext("дедлайн сьогодні")
            else:
                text = ngettext("до дедлайну %(count)d день", "до дедлайну %(count)d днів", days)
                text %= {"count": days}
        elif days < 0:
            text = gettext("звіт прострочено з %(date)s") % {"date": f"{day:%d.%m.%Y}"}
        elif days == 0:
            text = gettext("звіт сьогодні")
        else:
            text = ngettext("до звіту %(count)d день", "до звіту %(count)d днів", days)
            text %= {"count": days}
        if days <= settings.GRANT_REMINDER_DAYS:
            return format_html("<strong>{}</strong>", text)
        return text

    def save_model(self, request, obj, form, change):
        scope = staff_scope(request.user)
        if scope is not None:
            obj.branch_id = scope
        services.grant_save(grant=obj, acting_user=request.user)


@admin.register(ExtraIncome)
class ExtraIncomeAdmin(StaffChoicesMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "amount", "source", "paid_service", "branch"]
    list_filter = ["kind", "branch", "is_demo"]
    list_select_related = ["branch", "paid_service"]
    search_fields = ["source"]
    date_hierarchy = "date"
    fields = ["branch", "kind", "date", "amount", "paid_service", "source"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "paid_service":
            scope = staff_scope(request.user)
            services_ = PaidService.objects.select_related("branch")
            kwargs["queryset"] = services_ if scope is None else services_.filter(branch=scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
