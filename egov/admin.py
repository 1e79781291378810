"""Back office of the help desk, scoped to the librarian's own library.

Help requests move only through `help_request_transition` (the «Змінити стан» field), so every
step is logged; walk-in cases are logged in a few seconds from a short form that opens again
for the next person; slots can be published as a weekly series.
"""

import copy
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from branches.models import Branch, OpeningHours
from branches.scoping import BranchScopedAdminMixin, staff_scope
from core.admin import TranslatedAdmin
from core.phones import phone_display
from core.tz import KYIV
from egov import services
from egov.models import (
    Booking,
    Guide,
    GuideLink,
    HelpRequest,
    Slot,
    Topic,
    WalkIn,
)


@admin.register(Topic)
class TopicAdmin(TranslatedAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_en"]}


class GuideLinkInline(admin.TabularInline):
    model = GuideLink
    extra = 1


@admin.register(Guide)
class GuideAdmin(TranslatedAdmin):
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


class OwnBranchColumnsMixin:
    """A librarian sees one library only: its column and filter would just take room."""

    branch_columns = ("branch", "slot__branch", "slot_branch")

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if staff_scope(request.user) is None:
            return columns
        return [column for column in columns if column not in self.branch_columns]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if staff_scope(request.user) is None:
            return filters
        return [item for item in filters if item not in self.branch_columns]


# --- help requests -----------------------------------------------------------------------------


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
        allowed = self.instance.allowed_transitions()
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
class HelpRequestAdmin(OwnBranchColumnsMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    form = HelpRequestForm
    list_display = [
        "__str__",
        "status",
        "topic",
        "name",
        "created_at",
        "scheduled_for",
        "assignee",
        "branch",
    ]
    list_filter = ["status", "topic", "branch"]
    list_select_related = ["topic", "branch", "assignee"]
    date_hierarchy = "created_at"
    search_fields = ["name", "contact", "description"]
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


# Most desk cases take one of these; a case that took longer is rare enough for «Інше».
MINUTE_PRESETS = [5, 10, 15, 20, 30, 45, 60, 90, 120]


class WalkInForm(forms.ModelForm):
    """Minutes as one click on a preset; the number field stays for a case that does not fit.

    A new form starts with nothing chosen, so that «Зберегти» pressed by habit logs nothing; the
    same topic again within minutes asks «is this another person?» before it is saved."""

    preset = forms.TypedChoiceField(
        label=_("Скільки часу"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=admin.widgets.AdminRadioSelect(attrs={"class": "radiolist inline"}),
    )
    confirm_twin = forms.BooleanField(
        label=_("Так, це інша людина — записати ще одне звернення"),
        required=False,
        widget=forms.HiddenInput,
    )

    # Set by WalkInAdmin.get_form: who is logging, and their library (None: network-wide).
    acting_user = None
    scope_branch_id = None

    class Meta:
        model = WalkIn
        fields = ["topic", "branch", "preset", "minutes", "resolved", "date"]
        labels = {"minutes": _("або точно, хвилин")}
        error_messages = {"topic": {"required": _("Оберіть тему звернення.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "minutes" not in self.fields:
            return  # read-only: a colleague's case or one of an earlier day
        self.fields["preset"].choices = [
            (value, _("%(minutes)s хв") % {"minutes": value}) for value in MINUTE_PRESETS
        ]
        self.fields["minutes"].required = False
        self.fields["minutes"].widget.attrs.update({"min": 1, "max": 480, "style": "width:6em"})
        if self.instance.pk and self.instance.minutes in MINUTE_PRESETS:
            self.initial["preset"] = self.instance.minutes
            self.initial["minutes"] = None

    def clean(self):
        cleaned = super().clean()
        if "minutes" not in self.fields:
            return cleaned
        minutes = cleaned.get("minutes") or cleaned.get("preset")
        if not minutes:
            self.add_error("preset", _("Оберіть, скільки часу зайняла допомога."))
        cleaned["minutes"] = minutes
        self.instance.minutes = minutes
        if not self.instance.pk and not self.errors:
            self._ask_about_twin(cleaned)
        return cleaned

    def _ask_about_twin(self, cleaned):
        branch = cleaned.get("branch")
        branch_id = self.scope_branch_id or (branch.pk if branch else None)
        if not branch_id or cleaned.get("confirm_twin"):
            return
        twin = services.walk_in_twin(
            topic=cleaned["topic"], branch=Branch(pk=branch_id), acting_user=self.acting_user
        )
        if twin is None:
            return
        self.fields["confirm_twin"].widget = forms.CheckboxInput()
        logged_at = timezone.localtime(twin.logged_at, KYIV)
        self.add_error(
            None,
            _(
                "О %(time)s ви вже записали звернення на тему «%(topic)s». Якщо це інша людина, "
                "позначте «Так, це інша людина» і натисніть «Зберегти» ще раз."
            )
            % {"time": logged_at.strftime("%H:%M"), "topic": twin.topic},
        )


@admin.register(WalkIn)
class WalkInAdmin(OwnBranchColumnsMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    """The desk's form. Cases are logged, corrected and deleted only through the services,
    which write the history themselves; a librarian may correct or delete only their own cases
    of today (`WalkIn.is_correctable_by`), everything else is read-only."""

    form = WalkInForm
    list_display = ["date", "topic", "branch", "minutes", "resolved", "logged_by"]
    list_filter = ["resolved", "topic", "branch"]
    list_select_related = ["topic", "branch", "logged_by"]
    date_hierarchy = "date"
    radio_fields = {"topic": admin.VERTICAL}

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ["topic", "branch", "minutes", "resolved", "date", "logged_by", "logged_at"]
        fields = ["topic", "branch", "preset", "minutes", "resolved", "date"]
        if obj is None:
            fields.append("confirm_twin")
        if staff_scope(request.user) is not None:
            # A librarian logs cases of their own library only; the service is given it.
            fields.remove("branch")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.acting_user = request.user
        form.scope_branch_id = staff_scope(request.user)
        return form

    def get_actions(self, request):
        # Deleting goes one case at a time through the service (own cases of today only).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.is_correctable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.is_correctable_by(request.user))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            # One «Зберегти»: after it the desk always comes back to an empty form.
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "todays_walk_ins": WalkIn.objects.filter(
                logged_by=request.user, logged_at__date=timezone.localdate(timezone=KYIV)
            ).select_related("topic")[:50],
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.walk_in_correct(
                walk_in=obj,
                acting_user=request.user,
                topic=data["topic"],
                minutes=data["minutes"],
                resolved=data["resolved"],
                date=data["date"],
            )
            return
        branch_id = staff_scope(request.user) or data["branch"].pk
        walk_in = services.walk_in_log(
            topic=data["topic"],
            branch=Branch.objects.get(pk=branch_id),
            minutes=data["minutes"],
            resolved=data["resolved"],
            date=data["date"],
            acting_user=request.user,
            confirmed_twin=bool(data.get("confirm_twin")),
        )
        obj.pk, obj.branch_id = walk_in.pk, walk_in.branch_id
        obj.logged_by, obj.logged_at = walk_in.logged_by, walk_in.logged_at

    def delete_model(self, request, obj):
        services.walk_in_delete(walk_in=obj, acting_user=request.user)

    # The services write the history entries; the admin's own would say the same twice.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        return None

    def response_add(self, request, obj, post_url_continue=None):
        # The next person is usually already waiting: open a fresh form straight away.
        self.message_user(
            request,
            _("Звернення «%(topic)s» (%(minutes)s хв) додано. Можна записати наступне.")
            % {"topic": obj.topic, "minutes": obj.minutes},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:egov_walkin_add"))

    def response_change(self, request, obj):
        self.message_user(
            request,
            _("Звернення «%(topic)s» (%(minutes)s хв) виправлено.")
            % {"topic": obj.topic, "minutes": obj.minutes},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:egov_walkin_add"))

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, _("Звернення видалено."), messages.SUCCESS)
        return redirect(reverse("admin:egov_walkin_add"))


# --- slots and bookings ------------------------------------------------------------------------


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    fields = ["name", "email", "phone", "note", "status", "created_at"]
    readonly_fields = fields
    can_delete = False
    # Its page on the site is the person's secret link, not a staff page (core.admin_views).
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False


class SeriesForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Бібліотека"), queryset=Branch.objects.none())
    kind = forms.ChoiceField(label=_("Вид"), choices=Slot.Kind.choices)
    weekday = forms.TypedChoiceField(
        label=_("День тижня"),
        coerce=int,
        choices=OpeningHours.Weekday.choices,
    )
    start = forms.TimeField(label=_("З"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("До"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Хвилин на людину"), min_value=10, max_value=240)
    first_day = forms.DateField(
        label=_("Починаючи з"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weeks = forms.IntegerField(label=_("Скільки тижнів"), min_value=1, max_value=26, initial=4)
    consultant = forms.CharField(label=_("Консультант"), required=False, max_length=150)

    def clean_first_day(self):
        first_day = self.cleaned_data["first_day"]
        if first_day < timezone.localdate():
            raise ValidationError(_("Розклад публікують від сьогодні або пізніше."))
        return first_day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("Кінець має бути пізніше за початок."))
        return cleaned


def _skipped_message(skipped):
    """«Пропущено 3 …» and one line per reason with the times it swallowed."""
    times_by_reason = defaultdict(list)
    for slot, reason in skipped:
        times_by_reason[reason].append(f"{timezone.localtime(slot.starts_at, KYIV):%H:%M}")
    return format_html(
        "{}<br>{}",
        ngettext(
            "Пропущено %(count)s слот, бо бібліотека в цей час зачинена:",
            "Пропущено %(count)s слотів, бо бібліотека в цей час зачинена:",
            len(skipped),
        )
        % {"count": len(skipped)},
        format_html_join(
            mark_safe("<br>"),
            "{} {}",
            (
                (reason, _("Не опубліковано: %(times)s.") % {"times": ", ".join(times)})
                for reason, times in times_by_reason.items()
            ),
        ),
    )


class SlotWhenFilter(admin.SimpleListFilter):
    """Upcoming slots unless asked otherwise: past ones pile up and are rarely looked at."""

    title = _("коли")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("past", _("Минулі")), ("all", _("Усі"))]

    def choices(self, changelist):
        for value, label in [(None, _("Майбутні")), ("past", _("Минулі")), ("all", _("Усі"))]:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value} if value else {}, [self.parameter_name]
                ),
                "display": label,
            }

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "past":
            return queryset.filter(starts_at__lte=now).order_by("-starts_at")
        if self.value() == "all":
            return queryset
        return queryset.filter(starts_at__gt=now)


class SlotForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = ["branch", "kind", "starts_at", "ends_at", "consultant", "is_published"]

    def clean(self):
        cleaned = super().clean()
        branch, starts_at, ends_at = (cleaned.get(f) for f in ("branch", "starts_at", "ends_at"))
        if starts_at and not self.instance.pk and starts_at <= timezone.now():
            self.add_error("starts_at", _("Цей час уже минув."))
        elif branch and starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends_at", _("Кінець має бути пізніше за початок."))
            else:
                probe = Slot(branch=branch, starts_at=starts_at, ends_at=ends_at)
                reason = probe.closed_reason()
                if reason:
                    raise ValidationError(
                        _("Бібліотека в цей час зачинена: %(reason)s") % {"reason": reason}
                    )
        return cleaned


@admin.register(Slot)
class SlotAdmin(OwnBranchColumnsMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    form = SlotForm
    list_display = [
        "starts_at",
        "ends_at",
        "kind",
        "branch",
        "consultant",
        "is_taken",
        "is_closed_day",
    ]
    list_filter = [SlotWhenFilter, "kind", "branch", "is_published"]
    list_select_related = ["branch"]
    date_hierarchy = "starts_at"
    inlines = [BookingInline]
    change_list_template = "admin/egov/slot/change_list.html"

    def get_queryset(self, request):
        holding = Booking.objects.filter(slot=OuterRef("pk"), status__in=Booking.HOLDING_STATUSES)
        return super().get_queryset(request).with_closed_day().annotate(taken=Exists(holding))

    def get_readonly_fields(self, request, obj=None):
        # Someone has booked this time: moving it would leave them at a closed door. Cancel
        # the booking (which tells them) before changing the time.
        if obj is not None and obj.bookings.filter(status=Booking.Status.BOOKED).exists():
            return ["branch", "kind", "starts_at", "ends_at"]
        return []

    @admin.display(boolean=True, description=_("зайнято"), ordering="taken")
    def is_taken(self, slot):
        return slot.taken

    @admin.display(
        boolean=True,
        description=_("бібліотека того дня зачинена"),
        ordering="closed_day",
    )
    def is_closed_day(self, slot):
        # A closure entered after publishing: whoever booked this slot needs a call.
        return slot.closed_day

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
            result = services.slots_publish(acting_user=request.user, **form.cleaned_data)
            self.message_user(
                request,
                _("Опубліковано нових слотів: %(count)s.") % {"count": len(result.created)},
                messages.SUCCESS,
            )
            if result.skipped:
                self.message_user(request, _skipped_message(result.skipped), messages.WARNING)
            return redirect("admin:egov_slot_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Опублікувати щотижневий розклад консультацій"),
        }
        return render(request, "admin/egov/slot/series.html", context)


@admin.register(Booking)
class BookingAdmin(OwnBranchColumnsMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    branch_field = "slot__branch"
    list_display = ["slot", "slot_branch", "name", "contact", "status"]
    # The desk works through the day in the order people come, not the order they booked.
    ordering = ["slot__starts_at", "pk"]
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
    actions = ["mark_attended", "mark_no_show", "cancel_and_tell"]
    # Its page on the site is the citizen's secret link, not a staff page (core.admin_views).
    view_on_site = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # «Скасувати й повідомити» frees the slot and tells the citizen; a deleted booking
        # would do neither. Personal data goes by the retention rules.
        return False

    @admin.display(description=_("бібліотека"), ordering="slot__branch")
    def slot_branch(self, booking):
        return booking.slot.branch

    @admin.display(description=_("контакт"))
    def contact(self, booking):
        return phone_display(booking.phone) or booking.email

    def _mark(self, request, queryset, status):
        done = 0
        for booking in queryset:
            try:
                services.booking_mark(booking=booking, status=status, acting_user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{booking}: {error.messages[0]}", messages.WARNING)
        self.message_user(request, _("Позначено: %(count)s.") % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=_("Скасувати й повідомити (напр., бібліотека зачинена)"),
        permissions=["change"],
    )
    def cancel_and_tell(self, request, queryset):
        done = 0
        for booking in queryset.select_related("slot"):
            try:
                services.booking_cancel(booking=booking, acting_user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{booking}: {error.messages[0]}", messages.WARNING)
        self.message_user(
            request,
            _("Скасовано: %(count)s. Кому є е-пошта, надіслано лист; іншим зателефонуйте.")
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Позначити: прийшли"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Booking.Status.ATTENDED)

    @admin.action(description=_("Позначити: не прийшли"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Booking.Status.NO_SHOW)
