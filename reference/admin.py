"""Back office of the reference service, scoped to the librarian's library: readers' questions
(answered through reference.services, which checks the workflow, mails the reader and writes
the audit log), the enquiries log and readers' feedback."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from branches.scoping import BranchScopedAdminMixin
from core.admin import ViewOnlyWithoutActionFieldsMixin
from reference import services
from reference.models import Enquiry, Feedback, Question


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
        return response
