"""Back office of volunteering, scoped to the librarian's branch.

A librarian sees the applications that name their library (as main or additional preference),
their library's opportunities, hours done there and its delivery requests. Status changes go
through the services, which check the workflow and log who changed what and when in the
admin log (core.audit): the «Історія» page of an application or a delivery request.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from branches.models import Branch
from branches.scoping import BranchScopedAdminMixin, staff_scope
from core.admin import ViewOnlyWithoutActionFieldsMixin
from core.phones import phone_display
from volunteers import services
from volunteers.forms import PaperApplicationForm
from volunteers.models import (
    Application,
    DeliveryRequest,
    HoursEntry,
    Interest,
    Opportunity,
    SignUp,
)


class WorkflowForm(forms.ModelForm):
    """The change form plus «change the state to …» with the moves the workflow allows."""

    change_status = forms.ChoiceField(label=_("Змінити стан на"), required=False)
    status_note = forms.CharField(
        label=_("Примітка до зміни стану"), required=False, max_length=500
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        model = type(instance)
        allowed = instance.allowed_transitions() if instance.pk else set()
        self.fields["change_status"].choices = [("", "—")] + [
            (value, label) for value, label in model.Status.choices if value in allowed
        ]


class ApplicationForm(WorkflowForm):
    interests = forms.MultipleChoiceField(
        label=_("чим хоче допомагати"),
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Eight libraries: checkboxes read at a glance, unlike the two-list picker.
    other_branches = forms.ModelMultipleChoiceField(
        label=_("інші бібліотеки, де може допомагати"),
        queryset=Branch.objects.public(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    record_guardian_consent = forms.CharField(
        label=_("Внести згоду батьків або опікуна: як її отримано"),
        required=False,
        max_length=200,
        help_text=_(
            "Наприклад: «паперова згода № 17 від 05.12.2026». Збережемо, хто й коли вніс; "
            "батькам, якщо їхній контакт — е-пошта, надійде лист."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_status"].help_text = _(
            "Нова → Звʼязалися → Активний волонтер (отримає особисте посилання) → Неактивний. "
            "Зміна зʼявиться в журналі внизу сторінки."
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("change_status") == Application.Status.ACTIVE
            and not cleaned.get("record_guardian_consent")
            and services.guardian_consent_missing(self.instance)
        ):
            self.add_error("change_status", services.GUARDIAN_CONSENT_MISSING)
        if cleaned.get("record_guardian_consent"):
            if self.instance.guardian_consent_at:
                self.add_error(
                    "record_guardian_consent", _("Згоду батьків або опікуна вже внесено.")
                )
            elif not cleaned.get("guardian_name") or not cleaned.get("guardian_contact"):
                self.add_error(
                    "record_guardian_consent",
                    _("Спершу внесіть імʼя й контакт одного з батьків або опікуна."),
                )
        return cleaned

    class Meta:
        model = Application
        fields = [
            "name",
            "email",
            "phone",
            "birth_year",
            "interests",
            "availability",
            "skills",
            "other_branches",
            "guardian_name",
            "guardian_contact",
            "notes",
        ]


class BranchScopedByPreferenceMixin(BranchScopedAdminMixin):
    # Not "branch": the mixin would move the application to the saving librarian's library.
    branch_field = "branch_or_other_branches"

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        branch_id = staff_scope(request.user)
        return queryset if branch_id is None else queryset.for_branch(branch_id)


@admin.register(Application)
class ApplicationAdmin(
    ViewOnlyWithoutActionFieldsMixin, BranchScopedByPreferenceMixin, admin.ModelAdmin
):
    form = ApplicationForm
    list_display = [
        "name",
        "status",
        "branch",
        "birth_year",
        "guardian_consent_state",
        "applied_on",
        "is_demo",
    ]
    list_filter = ["status", "branch", "applied_on"]
    list_select_related = ["branch"]
    search_fields = ["name", "email", "phone"]
    date_hierarchy = "applied_on"
    readonly_fields = [
        "status",
        "status_changed_at",
        "branch",
        "applied_on",
        "consent_at",
        "consent_recorded_by",
        "guardian_consent_at",
        "guardian_consent_recorded_by",
        "guardian_consent_how",
        "personal_link",
        "anonymised_at",
        "is_demo",
    ]
    fieldsets = [
        (None, {"fields": ["status", "status_changed_at", "change_status", "status_note"]}),
        (_("Контакти"), {"fields": ["name", "email", "phone", "birth_year", "personal_link"]}),
        (
            _("Участь"),
            {"fields": ["interests", "availability", "skills", "branch", "other_branches"]},
        ),
        (
            _("Згода"),
            {
                "fields": [
                    "consent_at",
                    "consent_recorded_by",
                    "guardian_name",
                    "guardian_contact",
                    "guardian_consent_at",
                    "guardian_consent_recorded_by",
                    "guardian_consent_how",
                    "record_guardian_consent",
                ]
            },
        ),
        (_("Службове"), {"fields": ["notes", "applied_on", "anonymised_at", "is_demo"]}),
    ]

    # «Add» is a paper application typed in at the desk (many seniors apply on paper): the
    # public form's rules, and the staff member is recorded as the witness of the consents.
    add_fieldsets = [
        (
            None,
            {
                "fields": ["name", "email", "phone", "birth_year"],
                "description": _(
                    "Паперова анкета, заповнена в бібліотеці. Правила ті самі, що й на сайті: "
                    "волонтерами стають з 14 років, потрібні е-пошта або телефон, а до 18 років — "
                    "імʼя й контакт батьків чи опікуна. Активувати неповнолітнього можна лише "
                    "після того, як внесено їхню письмову згоду."
                ),
            },
        ),
        (
            _("Участь"),
            {"fields": ["interests", "availability", "skills", "branch", "other_branches"]},
        ),
        (
            _("Для тих, кому менше 18 років"),
            {"fields": ["guardian_name", "guardian_contact", "guardian_consent"]},
        ),
        (_("Згода"), {"fields": ["consent", "notes"]}),
    ]

    actions = ["reissue_link"]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["form"] = PaperApplicationForm
        form = super().get_form(request, obj, change=change, **kwargs)
        branch_id = staff_scope(request.user)
        if branch_id is None:
            return form

        class OwnBranchPaperForm(form):
            # Typed in at this library, so it is the main choice; otherwise the application
            # would vanish from the librarian's list the moment it is saved.
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["branch"].queryset = Branch.objects.filter(pk=branch_id)
                self.fields["branch"].initial = branch_id
                self.fields["branch"].empty_label = None

        return OwnBranchPaperForm

    def save_model(self, request, obj, form, change):
        if not change:
            application = services.application_create(
                data=form.service_data(),
                branches=form.cleaned_data["other_branches"],
                recorded_by=request.user,
                guardian_signed_on_paper=bool(form.cleaned_data.get("guardian_consent")),
            )
            obj.pk = application.pk
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)
        how = form.cleaned_data.get("record_guardian_consent")
        if how:
            # Before the status: one save may record the consent and activate.
            services.application_guardian_consent_record(
                application=obj, acting_user=request.user, how=how
            )
            obj.refresh_from_db()
        to = form.cleaned_data.get("change_status")
        if to:
            try:
                application = services.application_change_status(
                    application=obj,
                    to=to,
                    acting_user=request.user,
                    note=form.cleaned_data.get("status_note", ""),
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                if (
                    application.status == Application.Status.ACTIVE
                    and not application.email
                    and not (
                        application.is_minor_on(timezone.localdate()) and application.guardian_email
                    )
                ):
                    self.message_user(
                        request,
                        _(
                            "У волонтера немає е-пошти: передайте йому особисте посилання "
                            "(розділ «Контакти» анкети) особисто або по телефону."
                        ),
                        messages.WARNING,
                    )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(
        description=_("Видати нове особисте посилання (старе перестане діяти)"),
        permissions=["change"],
    )
    def reissue_link(self, request, queryset):
        issued = 0
        for application in queryset:
            try:
                services.application_reissue_link(application=application, acting_user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{application}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                issued += 1
        self.message_user(request, _("Нових посилань видано: %(n)s") % {"n": issued})

    def _volunteer_for_hours(self, request):
        """The «волонтер» autocomplete of a scoped librarian's hours entry (only there: the
        same words added to the list's address must not widen the list)."""
        match = getattr(request, "resolver_match", None)
        return (
            staff_scope(request.user) is not None
            and match is not None
            and match.url_name == "autocomplete"
            and request.GET.get("model_name") == "hoursentry"
            and request.GET.get("field_name") == "volunteer"
        )

    def get_search_fields(self, request):
        if self._volunteer_for_hours(request):
            # That list reaches volunteers of other libraries, whose names this library
            # knows but whose contacts it does not: finding someone by an e-mail or a phone
            # would tell whose they are.
            return ["name"]
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        if self._volunteer_for_hours(request):
            # Hours are logged by the library that ran the activity, for anyone who signed up.
            queryset = Application.objects.known_to_branch(staff_scope(request.user))
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("згода батьків"))
    def guardian_consent_state(self, application):
        # Minors are activated only with it; the column shows who is still waiting for it.
        if not application.is_minor_on(timezone.localdate()):
            return "—"
        if application.guardian_consent_at:
            return _("внесено")
        return _("потрібна")

    @admin.display(description=_("особисте посилання"))
    def personal_link(self, application):
        url = application.get_personal_url()
        if not url:
            return "—"
        # In full: volunteers without email get it from staff, printed or dictated.
        full = settings.SITE_URL + url
        link = format_html('<a href="{}">{}</a>', url, full)
        if application.email:
            return link
        return format_html(
            "{}<br>{}", link, _("Е-пошти немає: передайте це посилання волонтерові особисто.")
        )


class SignUpInline(admin.TabularInline):
    model = SignUp
    # The name only, not a link: the volunteer's application (contacts, age, notes) stays
    # with the libraries the volunteer chose.
    fields = ["volunteer_name", "created_at", "reminded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("хто записався")

    @admin.display(description=_("волонтер"))
    def volunteer_name(self, signup):
        return signup.volunteer.name

    def get_queryset(self, request):
        # The row heading is str(signup): the volunteer and the opportunity.
        return super().get_queryset(request).select_related("volunteer", "opportunity")

    def has_add_permission(self, request, obj=None):
        # Volunteers sign up on their page, where the capacity is counted under a lock.
        return False


@admin.register(Opportunity)
class OpportunityAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "branch", "activity", "starts_at", "places", "taken", "is_published"]
    list_filter = ["is_published", "activity", "branch"]
    list_select_related = ["branch"]
    search_fields = ["title", "place"]
    readonly_fields = ["taken"]
    inlines = [SignUpInline]
    actions = ["log_hours"]

    def get_deleted_objects(self, objs, request):
        # Volunteers who signed up would lose their place without a word: the admin lists
        # them as what stops the deletion; unpublish the opportunity instead.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        signed_up = SignUp.objects.filter(opportunity__in=objs).select_related(
            "volunteer", "opportunity"
        )
        return deleted, counts, perms_needed, [*protected, *signed_up]

    @admin.action(
        description=_("Внести години всім, хто записався (після завершення)"),
        permissions=["change"],
    )
    def log_hours(self, request, queryset):
        made = 0
        for opportunity in queryset:
            try:
                made += services.hours_log_for_opportunity(
                    opportunity=opportunity, acting_user=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
        self.message_user(
            request,
            ngettext(
                "Внесено й підтверджено %(n)d запис годин.",
                "Внесено й підтверджено %(n)d записів годин.",
                made,
            )
            % {"n": made},
        )

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "description",
                    "activity",
                    "branch",
                    "place",
                    "starts_at",
                    "ends_at",
                    "places",
                    "taken",
                    "is_published",
                ],
                "description": _(
                    "Волонтери записуються самі на своїй особистій сторінці. Імена тих, хто "
                    "записався, бачить бібліотека, що розмістила потребу, навіть якщо волонтер "
                    "обрав іншу бібліотеку: без них не провести захід і не внести години. "
                    "Контакти й анкета волонтера — лише в бібліотеках, які він обрав."
                ),
            },
        ),
    ]


class HoursEntryForm(forms.ModelForm):
    class Meta:
        model = HoursEntry
        fields = ["volunteer", "branch", "opportunity", "activity", "date", "hours", "description"]

    def clean(self):
        cleaned = super().clean()
        hours = cleaned.get("hours")
        if hours is not None and not (0 < hours <= 24):
            self.add_error("hours", _("Від 0,5 до 24 годин за день."))
        return cleaned


@admin.register(HoursEntry)
class HoursEntryAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    form = HoursEntryForm
    list_display = ["volunteer", "branch", "activity", "date", "hours", "is_approved"]
    list_filter = [("approved_at", admin.EmptyFieldListFilter), "activity", "branch"]
    list_select_related = ["volunteer", "branch"]
    search_fields = ["volunteer__name", "description"]
    autocomplete_fields = ["volunteer", "opportunity"]
    readonly_fields = ["approved_at", "approved_by"]
    date_hierarchy = "date"
    actions = ["approve"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        branch_id = staff_scope(request.user)
        if branch_id is not None:
            form.base_fields["volunteer"].queryset = Application.objects.known_to_branch(branch_id)
            form.base_fields["opportunity"].queryset = Opportunity.objects.filter(
                branch_id=branch_id
            )
        return form

    @admin.display(boolean=True, description=_("підтверджено"))
    def is_approved(self, entry):
        return entry.is_approved

    @admin.action(description=_("Підтвердити вибрані години"), permissions=["change"])
    def approve(self, request, queryset):
        count = services.hours_approve(entries=queryset, acting_user=request.user)
        self.message_user(request, _("Підтверджено записів: %(n)s") % {"n": count})

    def save_model(self, request, obj, form, change):
        if not change:
            # Hours a librarian enters are approved by entering them.
            obj.approved_at, obj.approved_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)


class DeliveryRequestForm(WorkflowForm):
    assign_volunteer = forms.ModelChoiceField(
        label=_("Призначити волонтера"),
        queryset=Application.objects.none(),
        required=False,
        help_text=_("Оберіть волонтера, щоб призначити його на нову заявку; стан зміниться сам."),
    )
    consent_confirmed = forms.BooleanField(
        label=_("Читач погодився на обробку своїх даних"),
        required=False,
        help_text=_("Для заявок, прийнятих телефоном чи в бібліотеці."),
    )

    class Meta:
        model = DeliveryRequest
        fields = [
            "name",
            "phone",
            "address",
            "reason",
            "wishes",
            "preferred_time",
            "branch",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assign_volunteer"].label_from_instance = self._volunteer_label

    @staticmethod
    def _volunteer_label(volunteer):
        return " — ".join(filter(None, [volunteer.name, phone_display(volunteer.phone)]))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("assign_volunteer")
            and not cleaned.get("change_status")
            and self.instance.status == DeliveryRequest.Status.NEW
        ):
            # Picking a volunteer for a new request is what «assign» means.
            cleaned["change_status"] = DeliveryRequest.Status.ASSIGNED
        if not self.instance.pk and not cleaned.get("consent_confirmed"):
            self.add_error("consent_confirmed", _("Без згоди читача заявку не зберігаємо."))
        if cleaned.get("change_status") == DeliveryRequest.Status.ASSIGNED and not cleaned.get(
            "assign_volunteer"
        ):
            self.add_error("assign_volunteer", _("Оберіть активного волонтера."))
        return cleaned


@admin.register(DeliveryRequest)
class DeliveryRequestAdmin(
    ViewOnlyWithoutActionFieldsMixin, BranchScopedAdminMixin, admin.ModelAdmin
):
    form = DeliveryRequestForm
    list_display = ["name", "branch", "status", "volunteer", "created_at", "is_demo"]
    list_filter = ["status", "reason", "branch"]
    list_select_related = ["branch", "volunteer"]
    search_fields = ["name", "phone", "address"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "volunteer",
        "delivered_at",
        "consent_at",
        "consent_recorded_by",
        "anonymised_at",
        "is_demo",
    ]

    def get_fieldsets(self, request, obj=None):
        workflow = ["status", "volunteer", "change_status", "assign_volunteer", "status_note"]
        if obj is None:
            workflow = ["consent_confirmed"]
        return self.without_action_fields(
            request,
            obj,
            [
                (None, {"fields": workflow}),
                (
                    _("Заявка"),
                    {
                        "fields": [
                            "name",
                            "phone",
                            "address",
                            "reason",
                            "wishes",
                            "preferred_time",
                            "branch",
                            "notes",
                        ]
                    },
                ),
                (
                    _("Службове"),
                    {
                        "fields": [
                            "status_changed_at",
                            "delivered_at",
                            "consent_at",
                            "consent_recorded_by",
                            "anonymised_at",
                        ]
                    },
                ),
            ],
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        volunteers = Application.objects.active()
        branch_id = staff_scope(request.user)
        if branch_id is not None:
            volunteers = volunteers.for_branch(branch_id)
        form.base_fields["assign_volunteer"].queryset = volunteers
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.consent_at, obj.consent_recorded_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)
        how = form.cleaned_data.get("record_guardian_consent")
        if how:
            # Before the status: one save may record the consent and activate.
            services.application_guardian_consent_record(
                application=obj, acting_user=request.user, how=how
            )
            obj.refresh_from_db()
        to = form.cleaned_data.get("change_status")
        if to:
            try:
                services.delivery_change_status(
                    delivery=obj,
                    to=to,
                    acting_user=request.user,
                    volunteer=form.cleaned_data.get("assign_volunteer"),
                    note=form.cleaned_data.get("status_note", ""),
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
