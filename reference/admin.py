"""Back office of the reference service, scoped to the librarian's library: readers' questions
(answered through reference.services, which checks the workflow, mails the reader and writes
the audit log), the enquiries log, readers' feedback, and readers' surveys with their results
(a library's staff see their library's surveys; methodologists the network's and all)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline
from openpyxl import Workbook

from branches.models import Branch
from branches.scoping import BranchScopedAdminMixin, staff_scope
from core.admin import TranslatedAdmin, ViewOnlyWithoutActionFieldsMixin
from core.exports import csv_response, xlsx_append, xlsx_response
from reference import services
from reference.models import Enquiry, Feedback, Question, Survey, SurveyChoice, SurveyQuestion


class QuestionForm(forms.ModelForm):
    """Nothing of the reader's is edited; staff answer, publish or close."""

    reply = forms.CharField(
        label=_("Відповідь читачеві"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Надійде читачеві листом мовою його запитання."),
    )
    publish = forms.BooleanField(
        label=_("Опублікувати запитання й відповідь на сайті"),
        required=False,
        help_text=_("Лише якщо читач погодився; імʼя та е-пошта не публікуються."),
    )
    change_status = forms.ChoiceField(label=_("Змінити стан на"), required=False)
    status_note = forms.CharField(
        label=_("Примітка до зміни стану"), required=False, max_length=500
    )

    class Meta:
        model = Question
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = self.instance.allowed_transitions() if self.instance.pk else set()
        allowed.discard(Question.Status.ANSWERED)
        self.fields["change_status"].choices = [("", "—")] + [
            (value, label) for value, label in Question.Status.choices if value in allowed
        ]


@admin.register(Question)
class QuestionAdmin(ViewOnlyWithoutActionFieldsMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    form = QuestionForm
    list_display = ["__str__", "topic", "branch", "status", "created_at", "answer_due"]
    list_filter = ["status", "topic", "branch"]
    list_select_related = ["branch"]
    search_fields = ["text", "answer"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "topic",
        "branch",
        "text",
        "name",
        "email",
        "language",
        "publish_consent",
        "created_at",
        "due_at",
        "answer",
        "answered_at",
        "answered_by",
        "status_changed_at",
        "consent_at",
        "anonymised_at",
        "is_demo",
    ]

    def get_fieldsets(self, request, obj=None):
        action = ["status", "reply", "publish", "change_status", "status_note"]
        if obj is not None and obj.status != Question.Status.NEW:
            action = ["status", "change_status", "status_note"]
        return self.without_action_fields(
            request,
            obj,
            [
                (None, {"fields": action}),
                (
                    _("Запитання"),
                    {
                        "fields": [
                            "topic",
                            "branch",
                            "text",
                            "name",
                            "email",
                            "language",
                            "publish_consent",
                            "created_at",
                            "due_at",
                        ]
                    },
                ),
                (_("Відповідь"), {"fields": ["answer", "answered_at", "answered_by"]}),
                (
                    _("Службове"),
                    {"fields": ["status_changed_at", "consent_at", "anonymised_at", "is_demo"]},
                ),
            ],
        )

    @admin.display(description=_("відповісти до"), ordering="due_at")
    def answer_due(self, obj):
        when = f"{obj.due_at:%d.%m.%Y %H:%M}"
        if obj.is_overdue():
            return format_html('<strong class="overdue">{} — {}</strong>', when, _("прострочено"))
        return when

    def has_add_permission(self, request):
        # Readers ask on the website; an enquiry at the desk goes to the enquiries log.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if data.get("reply"):
                services.question_answer(
                    question=obj,
                    text=data["reply"],
                    acting_user=request.user,
                    publish=data.get("publish", False),
                )
            elif data.get("change_status"):
                services.question_change_status(
                    question=obj,
                    to=data["change_status"],
                    acting_user=request.user,
                    note=data.get("status_note", ""),
                )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        obj.refresh_from_db()


@admin.register(Enquiry)
class EnquiryAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """Logged in seconds: the kind, channel and date come filled in; «Зберегти й додати ще»."""

    fields = ["topic", "kind", "channel", "date", "branch"]
    list_display = ["date", "topic", "kind", "channel", "branch"]
    list_filter = ["kind", "channel", "branch"]
    list_select_related = ["branch"]
    search_fields = ["topic"]
    date_hierarchy = "date"
    radio_fields = {"kind": admin.HORIZONTAL, "channel": admin.HORIZONTAL}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.logged_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Feedback)
class FeedbackAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """Readers' marks; the list shows the average and count for what is filtered."""

    list_display = ["created_at", "kind", "subject", "branch", "rating", "comment"]
    list_filter = ["kind", "rating", "branch"]
    list_select_related = ["branch"]
    search_fields = ["subject", "comment"]
    date_hierarchy = "created_at"
    readonly_fields = ["kind", "object_id", "subject", "branch", "rating", "comment", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            summary = changelist.queryset.aggregate(average=Avg("rating"), count=Count("id"))
            if summary["count"]:
                self.message_user(
                    request,
                    _("Середня оцінка: %(average).1f (відгуків: %(count)d).") % summary,
                    messages.INFO,
                )
                self._per_library(request, changelist.queryset)
        return response

    def _per_library(self, request, queryset):
        """The same, per library, when the list holds more than one library's marks."""
        rows = list(
            queryset.order_by()
            .values_list("branch__name")
            .annotate(average=Avg("rating"), count=Count("id"))
            .order_by("branch__name")
        )
        if len(rows) < 2:
            return
        parts = [
            _("%(library)s — %(average).1f (%(count)d)")
            % {"library": name, "average": average, "count": count}
            for name, average, count in rows
        ]
        self.message_user(
            request, _("За бібліотеками: %(list)s.") % {"list": "; ".join(parts)}, messages.INFO
        )


# --- surveys ---------------------------------------------------------------------------------

FROZEN = _(
    "Запитання можна змінювати лише в чернетці. Після відкриття опитування вони незмінні: "
    "читачі відповідали саме на них, і результати мають лишатися порівнянними."
)


class _DraftOnlyInline:
    """Questions and variants change only while their survey is a draft."""

    def _draft(self, obj):
        survey = getattr(obj, "survey", obj)
        return obj is None or survey.status == Survey.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._draft(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._draft(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._draft(obj)


class SurveyQuestionInline(_DraftOnlyInline, TranslationTabularInline):
    model = SurveyQuestion
    fields = ["position", "kind", "text", "required"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("запитання (варіанти відповіді — за посиланням «Змінити»)")


@admin.register(Survey)
class SurveyAdmin(BranchScopedAdminMixin, TranslatedAdmin):
    list_display = ["title", "branch", "status", "opens_on", "closes_on", "answers", "results"]
    list_filter = ["status", "branch"]
    list_select_related = ["branch"]
    search_fields = ["title"]
    readonly_fields = ["status", "questions_frozen", "created_at"]
    raw_id_fields = ["event"]
    fields = [
        "title",
        "intro",
        "branch",
        "event",
        "opens_on",
        "closes_on",
        "status",
        "questions_frozen",
        "created_at",
    ]
    inlines = [SurveyQuestionInline]
    actions = ["open_surveys", "close_surveys", "back_to_draft"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_count=Count("responses"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            # Seam: the events of the staff member's library only (all for the network).
            branch_id = staff_scope(request.user)
            queryset = db_field.related_model.objects.all()
            if branch_id is not None:
                queryset = queryset.filter(branch_id=branch_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # A survey readers answered is closed, not deleted: its answers are the results.
        if obj is not None and obj.responses.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("запитання"))
    def questions_frozen(self, obj):
        if obj is None or obj.pk is None or obj.status == Survey.Status.DRAFT:
            return _("Можна змінювати, доки опитування — чернетка.")
        return FROZEN

    @admin.display(description=_("відповідей"), ordering="answer_count")
    def answers(self, obj):
        return obj.answer_count

    @admin.display(description=_("результати"))
    def results(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:reference_survey_results", args=[obj.pk]),
            gettext("Результати"),
        )

    def _transition(self, request, queryset, status, done_message):
        done = 0
        for survey in queryset:
            try:
                services.survey_transition(survey=survey, to=status, acting_user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{survey}: {error.messages[0]}", messages.WARNING)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Відкрити для читачів"), permissions=["change"])
    def open_surveys(self, request, queryset):
        self._transition(request, queryset, Survey.Status.OPEN, gettext("Відкрито: %(count)s."))

    @admin.action(description=_("Завершити"), permissions=["change"])
    def close_surveys(self, request, queryset):
        self._transition(request, queryset, Survey.Status.CLOSED, gettext("Завершено: %(count)s."))

    @admin.action(
        description=_("Повернути в чернетку (лише без відповідей)"), permissions=["change"]
    )
    def back_to_draft(self, request, queryset):
        self._transition(
            request, queryset, Survey.Status.DRAFT, gettext("Повернуто в чернетку: %(count)s.")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/results/",
                self.admin_site.admin_view(self.results_view),
                name="reference_survey_results",
            ),
            *super().get_urls(),
        ]

    def results_view(self, request, pk):
        """The survey's results as a table (counts, shares, averages, the text answers); for a
        network survey, of all answers or of those naming one library; CSV or XLSX."""
        survey = get_object_or_404(self.get_queryset(request).select_related("branch"), pk=pk)
        if not self.has_view_permission(request, survey):
            raise PermissionDenied
        branches = []
        branch = None
        if survey.branch_id is None:
            branches = list(
                Branch.objects.filter(survey_responses__survey=survey).distinct().order_by("name")
            )
            chosen = request.GET.get("branch", "")
            branch = next((b for b in branches if str(b.pk) == chosen), None)
        results = survey.results(branch_id=branch.pk if branch else None)
        export = request.GET.get("format")
        if export in ("csv", "xlsx"):
            return self._results_export(survey, results, export)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Результати опитування: %(title)s") % {"title": survey.title},
            "survey": survey,
            "results": results,
            "branches": branches,
            "branch": branch,
            "query": f"branch={branch.pk}&" if branch else "",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reference/survey/results.html", context)

    def _results_export(self, survey, results, export):
        header = [gettext("Запитання"), gettext("Відповідь"), gettext("Кількість"), "%"]
        rows = []
        for item in results["questions"]:
            text = item["question"].text
            for line in item["lines"]:
                rows.append([text, line["label"], line["count"], line["share"]])
            if item["average"] is not None:
                rows.append([text, gettext("Середня оцінка"), item["average"], None])
            rows += [[text, answer, None, None] for answer in item["texts"]]
            rows.append([text, gettext("Відповіли"), item["respondents"], None])
        rows.append([gettext("Усього відповідей"), "", results["total"], None])
        filename = f"survey-{survey.pk}-{timezone.localdate():%Y-%m-%d}"
        if export == "csv":
            return csv_response(filename=f"{filename}.csv", header=header, rows=rows)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = gettext("Результати")[:31]
        xlsx_append(sheet, header)
        for row in rows:
            xlsx_append(sheet, row)
        for column, width in zip("ABCD", (50, 50, 12, 8), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        return xlsx_response(filename=f"{filename}.xlsx", workbook=workbook)


class SurveyChoiceInline(_DraftOnlyInline, TranslationTabularInline):
    model = SurveyChoice
    fields = ["position", "text"]
    extra = 3


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(BranchScopedAdminMixin, TranslatedAdmin):
    """A question with its answer variants, reached from its survey («Змінити»); not in the
    admin index. Changed only while the survey is a draft."""

    branch_field = "survey__branch"
    fields = ["survey", "position", "kind", "text", "required"]
    readonly_fields = ["survey"]
    list_display = ["text", "survey", "kind"]
    list_select_related = ["survey"]
    inlines = [SurveyChoiceInline]

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        draft = obj is None or obj.survey.status == Survey.Status.DRAFT
        return super().has_change_permission(request, obj) and draft

    def has_delete_permission(self, request, obj=None):
        draft = obj is None or obj.survey.status == Survey.Status.DRAFT
        return super().has_delete_permission(request, obj) and draft

    def change_view(self, request, object_id, form_url="", extra_context=None):
        question = self.get_object(request, object_id)
        if question is not None and question.survey.status != Survey.Status.DRAFT:
            self.message_user(request, FROZEN, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        # Back to the survey, where the other questions are.
        response = super().response_change(request, obj)
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            response["Location"] = reverse("admin:reference_survey_change", args=[obj.survey_id])
        return response
