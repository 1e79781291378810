"""Back office of the help desk, scoped to the librarian's own library.

Help requests move only through `help_request_transition` (the «Змінити стан» field), so every
step is logged; walk-in cases are logged in a few seconds from a short form that opens again
for the next person; slots can be published as a weekly series.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from branches.models import Branch
from branches.scoping import BranchScopedAdminMixin, staff_scope
from egov import services
from egov.models import (
    Booking,
    Guide,
    GuideLink,
    HelpRequest,
    HelpRequestEvent,
    Slot,
    Topic,
    WalkIn,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_en"]}


class GuideLinkInline(admin.TabularInline):
    model = GuideLink
    extra = 1


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "last_reviewed", "is_published"]
    list_filter = ["topic", "is_published"]
    list_select_related = ["topic"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [GuideLinkInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The links' titles are part of the search document, so index after the inlines.
        services.guide_reindex(guide=form.instance)


# --- help requests -----------------------------------------------------------------------------


class HelpRequestEventInline(admin.TabularInline):
    model = HelpRequestEvent
    extra = 0
    fields = ["at", "from_status", "to_status", "acting_user", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("acting_user")


class HelpRequestForm(forms.ModelForm):
    new_status = forms.ChoiceField(label=_("Змінити стан"), required=False)
    note = forms.CharField(label=_("Примітка до зміни"), required=False, max_length=300)

    class Meta:
        model = HelpRequest
        fields = ["assignee", "scheduled_for", "minutes_spent", "outcome"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The transition is judged against the request as stored, not as the form changes it.
        self.instance_before = copy.copy(self.instance)
        allowed = services.TRANSITIONS[HelpRequest.Status(self.instance.status)]
        self.fields["new_status"].choices = [("", _("— не змінювати —"))] + [
            (status.value, status.label) for status in HelpRequest.Status if status in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        new_status = cleaned.get("new_status")
        if new_status:
            problem = services.help_request_transition_problem(
                request=self.instance_before,
                to_status=new_status,
                scheduled_for=cleaned.get("scheduled_for"),
                minutes_spent=cleaned.get("minutes_spent"),
            )
            if problem:
                raise ValidationError(problem)
        return cleaned


@admin.register(HelpRequest)
class HelpRequestAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    form = HelpRequestForm
    list_display = ["__str__", "name", "created_at", "topic", "branch", "status", "assignee"]
    list_filter = ["status", "topic", "branch"]
    list_select_related = ["topic", "branch", "assignee"]
    date_hierarchy = "created_at"
    search_fields = ["name", "contact", "description"]
    inlines = [HelpRequestEventInline]
    readonly_fields = [
        "status",
        "topic",
        "branch",
        "created_at",
        "preferred_time",
        "name",
        "contact",
        "description",
        "consent_at",
        "closed_at",
        "anonymised_at",
    ]
    fieldsets = [
        (
            _("Запит"),
            {"fields": ["status", "topic", "branch", "created_at", "preferred_time"]},
        ),
        (_("Хто звертається"), {"fields": ["name", "contact", "description", "consent_at"]}),
        (
            _("Робота із запитом"),
            {
                "fields": [
                    "new_status",
                    "note",
                    "assignee",
                    "scheduled_for",
                    "minutes_spent",
                    "outcome",
                    "closed_at",
                    "anonymised_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        # Requests come from citizens through the public form; walk-ins have their own form.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            staff = User.objects.filter(is_staff=True, is_active=True)
            branch_id = staff_scope(request.user)
            if branch_id is not None:
                staff = staff.filter(staff_profile__branch_id=branch_id)
            kwargs["queryset"] = staff.order_by("last_name", "username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        new_status = form.cleaned_data.get("new_status")
        fields = ["assignee", "outcome", "minutes_spent"]
        if not new_status:
            fields.append("scheduled_for")
        obj.save(update_fields=fields)
        if new_status:
            services.help_request_transition(
                request=obj,
                to_status=new_status,
                acting_user=request.user,
                scheduled_for=form.cleaned_data.get("scheduled_for"),
                minutes_spent=form.cleaned_data.get("minutes_spent"),
                note=form.cleaned_data.get("note", ""),
            )


# --- walk-in cases -----------------------------------------------------------------------------


@admin.register(WalkIn)
class WalkInAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "topic", "branch", "minutes", "resolved", "logged_by"]
    list_filter = ["resolved", "topic", "branch"]
    list_select_related = ["topic", "branch", "logged_by"]
    date_hierarchy = "date"
    fields = ["topic", "branch", "minutes", "resolved", "date"]
    radio_fields = {"topic": admin.VERTICAL}

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("minutes", 15)
        branch_id = staff_scope(request.user)
        if branch_id:
            initial.setdefault("branch", branch_id)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.logged_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        # The next person is usually already waiting: open a fresh form straight away.
        self.message_user(
            request,
            _("Звернення записано (%(minutes)s хв). Можна записати наступне.")
            % {"minutes": obj.minutes},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:egov_walkin_add"))


# --- slots and bookings ------------------------------------------------------------------------


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    fields = ["name", "email", "phone", "note", "status", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SeriesForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Бібліотека"), queryset=Branch.objects.none())
    kind = forms.ChoiceField(label=_("Вид"), choices=Slot.Kind.choices)
    weekday = forms.TypedChoiceField(
        label=_("День тижня"),
        coerce=int,
        choices=[(0, _("понеділок")), (1, _("вівторок")), (2, _("середа")), (3, _("четвер"))]
        + [(4, _("пʼятниця")), (5, _("субота")), (6, _("неділя"))],
    )
    start = forms.TimeField(label=_("З"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("До"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Хвилин на людину"), min_value=10, max_value=240)
    first_day = forms.DateField(
        label=_("Починаючи з"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weeks = forms.IntegerField(label=_("Скільки тижнів"), min_value=1, max_value=26, initial=4)
    consultant = forms.CharField(label=_("Консультант"), required=False, max_length=150)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Кінець має бути пізніше за початок."))
        return cleaned


@admin.register(Slot)
class SlotAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "kind", "branch", "consultant", "is_taken"]
    list_filter = ["kind", "branch", "is_published"]
    list_select_related = ["branch"]
    date_hierarchy = "starts_at"
    inlines = [BookingInline]
    change_list_template = "admin/egov/slot/change_list.html"

    def get_queryset(self, request):
        holding = Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING_STATUSES)
        return super().get_queryset(request).annotate(taken=Exists(holding))

    @admin.display(boolean=True, description=_("зайнято"), ordering="taken")
    def is_taken(self, slot):
        return slot.taken

    def get_urls(self):
        return [
            path(
                "series/",
                self.admin_site.admin_view(self.series_view),
                name="egov_slot_series",
            ),
            *super().get_urls(),
        ]

    def series_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:egov_slot_changelist")
        branches = Branch.objects.all()
        branch_id = staff_scope(request.user)
        if branch_id is not None:
            branches = branches.filter(pk=branch_id)
        form = SeriesForm(
            request.POST or None,
            initial={"first_day": timezone.localdate(), "minutes": 30, "weeks": 4},
        )
        form.fields["branch"].queryset = branches
        if request.method == "POST" and form.is_valid():
            created = services.slots_publish(acting_user=request.user, **form.cleaned_data)
            self.message_user(
                request,
                _("Опубліковано нових слотів: %(count)s.") % {"count": len(created)},
                messages.SUCCESS,
            )
            return redirect("admin:egov_slot_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Опублікувати щотижневий розклад консультацій"),
        }
        return render(request, "admin/egov/slot/series.html", context)


@admin.register(Booking)
class BookingAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    branch_field = "slot__branch"
    list_display = ["slot", "slot_branch", "name", "status", "created_at"]
    list_filter = ["status", "slot__kind", "slot__branch"]
    list_select_related = ["slot__branch"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = [
        "slot",
        "name",
        "email",
        "phone",
        "note",
        "status",
        "language",
        "created_at",
        "cancelled_at",
        "reminder_sent_at",
        "anonymised_at",
    ]
    actions = ["mark_attended", "mark_no_show"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("бібліотека"), ordering="slot__branch")
    def slot_branch(self, booking):
        return booking.slot.branch

    def _mark(self, request, queryset, status):
        done = 0
        for booking in queryset:
            try:
                services.booking_mark(booking=booking, status=status, acting_user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{booking}: {error.messages[0]}", messages.WARNING)
        self.message_user(request, _("Позначено: %(count)s.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Позначити: прийшли"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Booking.Status.ATTENDED)

    @admin.action(description=_("Позначити: не прийшли"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Booking.Status.NO_SHOW)
