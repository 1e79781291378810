"""Staff side of events: scoped to the librarian's library, actions go through services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear, TruncDate
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from branches.models import Closure
from branches.scoping import BranchScopedAdminMixin, staff_scope
from core.admin import TranslatedAdmin, ViewOnlyWithoutActionFieldsMixin
from core.exports import csv_response, xlsx_append, xlsx_response
from core.phones import phone_display
from events import services
from events.models import (
    Attendance,
    Audience,
    Club,
    ClubAttendance,
    ClubException,
    ClubMembership,
    Event,
    Partner,
    Registration,
    Topic,
)

# Latest joint events listed on a partner's admin page.
JOINT_EVENTS_SHOWN = 30

WEEKDAYS = [
    (0, _("понеділок")),
    (1, _("вівторок")),
    (2, _("середа")),
    (3, _("четвер")),
    (4, _("пʼятниця")),
    (5, _("субота")),
    (6, _("неділя")),
]


def _audience_field():
    return forms.MultipleChoiceField(
        label=_("Для кого"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@admin.display(description=_("Для кого"))
def audience_labels(model_admin, obj):
    """The audiences by name, for those who may only view (the field would show codes)."""
    labels = dict(Audience.choices)
    return ", ".join(str(labels.get(code, code)) for code in obj.audiences) or "—"


class EventAdminForm(forms.ModelForm):
    # No Meta: the admin builds the form from the fieldsets; this adds widgets and checks.
    audiences = _audience_field()

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.seats_confirmed:
            self.add_error(
                "capacity",
                _("Уже підтверджено %(count)s місць: місткість не може бути меншою.")
                % {"count": self.instance.seats_confirmed},
            )
        if cleaned.get("is_online") and not cleaned.get("online_url"):
            self.add_error("online_url", _("Для онлайн-заходу вкажіть посилання на трансляцію."))
        if cleaned.get("is_online") and not cleaned.get("registration_required"):
            self.add_error(
                "registration_required",
                _("Посилання бачать лише зареєстровані, тож онлайн-захід потребує реєстрації."),
            )
        status = cleaned.get("status")
        changed = self.instance.pk and status and status != self.instance.status
        if changed:
            try:
                self.instance.transition_check(status)
            except ValidationError as refusal:
                self.add_error("status", refusal)
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("Кінець не може бути раніше за початок."))
        return cleaned


def _event_day():
    return TruncDate("starts_at", tzinfo=timezone.get_current_timezone())


def _closure_kind():
    """The first closure of the event's library (or of the network) on the event's start day."""
    day = OuterRef("event_day")
    closures = Closure.objects.filter(
        Q(branch__isnull=True) | Q(branch_id=OuterRef("branch_id")),
        start_date__lte=day,
        end_date__gte=day,
    ).order_by("start_date", "pk")
    return Subquery(closures.values("kind")[:1])


class ClosedLibraryFilter(admin.SimpleListFilter):
    title = _("бібліотека зачинена")
    parameter_name = "closed"

    def lookups(self, request, model_admin):
        return [
            ("unexplained", _("так, без пояснення — потрібне рішення")),
            ("explained", _("так, з поясненням")),
            ("no", _("ні, бібліотека працює")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "unexplained":
            return queryset.filter(in_closed_library=True, closed_day_reason="")
        if self.value() == "explained":
            return queryset.filter(in_closed_library=True).exclude(closed_day_reason="")
        if self.value() == "no":
            return queryset.filter(in_closed_library=False)
        return queryset


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    verbose_name_plural = _("Відвідуваність (після заходу): скільки прийшло з кожної аудиторії")


def _how_to_reach(registration):
    if registration.email:
        return gettext("е-пошта")
    if registration.phone:
        return gettext("зателефонувати")
    return "—"


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    fields = ["name", "email", "phone", "reach", "seats", "status", "created_at", "checked_in_at"]
    readonly_fields = fields

    @admin.display(description=_("як повідомляти"))
    def reach(self, registration):
        return _how_to_reach(registration)

    show_change_link = True
    # Its page on the site is the person's secret link, not a staff page (core.admin_views).
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ViewOnlyWithoutActionFieldsMixin, BranchScopedAdminMixin, TranslatedAdmin):
    form = EventAdminForm
    view_only_shown_as = {"audiences": "audience_labels"}
    audience_labels = audience_labels
    list_display = [
        "title",
        "starts_at",
        "branch",
        "kind",
        "status",
        "seats_display",
        "closed_display",
        "door_link",
    ]
    list_filter = ["status", ClosedLibraryFilter, "kind", "is_online", "branch"]
    ordering = ["-starts_at", "-pk"]
    list_select_related = ["branch"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["topics", "partners"]
    readonly_fields = ["seats_confirmed", "published_at", "created_at", "updated_at"]
    inlines = [AttendanceInline, RegistrationInline]
    change_form_template = "admin/events/event/change_form.html"
    actions = [
        "publish",
        "mark_held",
        "cancel",
        "copy",
        "export_registrants_csv",
        "export_registrants_xlsx",
    ]
    fieldsets = [
        (None, {"fields": ["title", "kind", "status", "description", "image", "image_alt"]}),
        (
            _("Коли і де"),
            {
                "fields": [
                    "branch",
                    "starts_at",
                    "ends_at",
                    "is_online",
                    "venue",
                    "online_url",
                    "closed_day_reason",
                ]
            },
        ),
        (_("Для кого"), {"fields": ["audiences", "age_rating", "topics", "partners"]}),
        (
            _("Реєстрація"),
            {
                "fields": [
                    "registration_required",
                    "capacity",
                    "max_seats_per_registration",
                    "registration_closes_at",
                    "seats_confirmed",
                ]
            },
        ),
        (_("Службове"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("місця"))
    def seats_display(self, event):
        if not event.registration_required:
            return "—"
        if event.capacity is None:
            return str(event.seats_confirmed)
        return f"{event.seats_confirmed} / {event.capacity}"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_library_closed()
            .annotate(event_day=_event_day())
            .annotate(closure_kind=_closure_kind())
        )

    @admin.display(description=_("бібліотека зачинена"))
    def closed_display(self, event):
        # Staff decide: an event may go ahead with a reason (held in the yard, staff on duty).
        if not getattr(event, "in_closed_library", False):
            return ""
        kind = getattr(event, "closure_kind", None)
        why = Closure.Kind(kind).label if kind else gettext("поза годинами роботи")
        if event.closed_day_reason:
            return format_html("{} — {}", why, gettext("пояснено"))
        return format_html(
            '<strong style="color:#b00">⚠ {} — {}</strong>', why, gettext("потрібне пояснення")
        )

    @admin.display(description=_("біля входу"))
    def door_link(self, event):
        if not event.registration_required:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:events_event_door", args=[event.pk]),
            gettext("Відмітити прихід"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/door/",
                self.admin_site.admin_view(self.door_view),
                name="events_event_door",
            ),
            *super().get_urls(),
        ]

    def door_view(self, request, pk):
        """The list at the door: the event's confirmed registrants, one button per person to
        mark them come in (a plain form per row, so it works without JavaScript)."""
        event = get_object_or_404(self.get_queryset(request), pk=pk)
        if not (
            self.has_change_permission(request, event)
            and request.user.has_perm("events.change_registration")
        ):
            raise PermissionDenied
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED)
        if request.method == "POST":
            registration = get_object_or_404(confirmed, pk=request.POST.get("registration"))
            undo = request.POST.get("action") == "undo"
            services.registration_check_in(
                registration=registration, acting_user=request.user, undo=undo
            )
            done = (
                gettext("Відмітку знято: квиток № %(ticket)s.")
                if undo
                else gettext("Відмічено прихід: квиток № %(ticket)s.")
            )
            messages.success(request, done % {"ticket": registration.ticket_number})
            url = reverse("admin:events_event_door", args=[event.pk])
            return redirect(f"{url}#registration-{registration.pk}")
        registrations = list(confirmed.order_by("name", "pk"))
        came = confirmed.filter(checked_in_at__isnull=False).aggregate(seats=Sum("seats"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Прихід на захід: %(event)s") % {"event": event.title},
            "event": event,
            "registrations": registrations,
            "seats_came": came["seats"] or 0,
            "seats_confirmed": sum(r.seats for r in registrations),
            "people_came": sum(1 for r in registrations if r.checked_in_at),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/events/event/door.html", context)

    def save_model(self, request, obj, form, change):
        branch_id = staff_scope(request.user)
        if branch_id is not None:
            obj.branch_id = branch_id
        services.event_save(event=obj, acting_user=request.user)
        self._ask_to_phone(request, obj)
        self._warn_if_closed(request, obj)

    def _warn_if_closed(self, request, event):
        """Saved for a time its library is closed (the form made staff say why): remind them
        that readers see that explanation, and the door must be opened for them."""
        closed = event.library_closed()
        if not closed:
            return
        self.message_user(
            request,
            gettext(
                "«%(event)s»: %(date)s бібліотека в цей час зачинена (%(reason)s). Читачі "
                "бачать ваше пояснення на сторінці заходу; подбайте, щоб їм відчинили."
            )
            % {
                "event": event.title,
                "date": timezone.localtime(event.starts_at).strftime("%d.%m.%Y"),
                "reason": closed,
            },
            messages.WARNING,
        )

    def _ask_to_phone(self, request, event):
        """Mail reaches only those who left an e-mail; tell staff whom to phone."""
        count = getattr(event, "registrants_to_phone", 0)
        if not count:
            return
        url = reverse("admin:events_registration_changelist")
        query = f"?event__id__exact={event.pk}&reach=phone"
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                ngettext(
                    "«%(event)s»: %(count)s зареєстрований залишив лише телефон, лист не "
                    "отримає — зателефонуйте.",
                    "«%(event)s»: %(count)s зареєстрованих залишили лише телефон, листа не "
                    "отримають — зателефонуйте.",
                    count,
                )
                % {"event": event.title, "count": count},
                url + query,
                gettext("Список для дзвінків"),
            ),
            messages.WARNING,
        )

    def _set_status(self, request, queryset, status, done_message):
        done = 0
        for event in queryset:
            try:
                services.event_set_status(event=event, status=status, acting_user=request.user)
                done += 1
                self._ask_to_phone(request, event)
            except ValidationError as error:
                self.message_user(request, f"{event}: {error.messages[0]}", messages.WARNING)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Опублікувати"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(
            request, queryset, Event.Status.PUBLISHED, gettext("Опубліковано: %(count)s.")
        )

    @admin.action(description=_("Позначити як проведені"), permissions=["change"])
    def mark_held(self, request, queryset):
        self._set_status(
            request, queryset, Event.Status.HELD, gettext("Позначено проведеними: %(count)s.")
        )

    @admin.action(description=_("Скасувати (зареєстровані отримають лист)"), permissions=["change"])
    def cancel(self, request, queryset):
        self._set_status(
            request, queryset, Event.Status.CANCELLED, gettext("Скасовано: %(count)s.")
        )

    @admin.action(description=_("Копіювати як чернетку"), permissions=["add"])
    def copy(self, request, queryset):
        copies = [services.event_copy(event=event, acting_user=request.user) for event in queryset]
        self.message_user(
            request,
            ngettext(
                "Створено %(count)s копію; змініть дату й опублікуйте.",
                "Створено %(count)s копій; змініть дати й опублікуйте.",
                len(copies),
            )
            % {"count": len(copies)},
            messages.SUCCESS,
        )

    def _registrant_rows(self, queryset):
        header = [
            gettext("Захід"),
            gettext("Початок"),
            gettext("Імʼя"),
            gettext("Е-пошта"),
            gettext("Телефон"),
            gettext("Як повідомляти"),
            gettext("Місць"),
            gettext("Стан"),
            gettext("Зареєстровано"),
        ]
        registrations = (
            Registration.objects.filter(event__in=queryset)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("event")
            .order_by("event__starts_at", "event_id", "status", "created_at", "pk")
        )
        rows = [
            [
                registration.event.title,
                timezone.localtime(registration.event.starts_at).strftime("%d.%m.%Y %H:%M"),
                registration.name,
                registration.email,
                phone_display(registration.phone),
                _how_to_reach(registration),
                registration.seats,
                registration.get_status_display(),
                timezone.localtime(registration.created_at).strftime("%d.%m.%Y %H:%M"),
            ]
            for registration in registrations
        ]
        return header, rows

    def has_export_permission(self, request):
        # The list holds people's contacts: only staff who may see registrations export it.
        return request.user.has_perm("events.view_registration")

    @admin.action(description=_("Список зареєстрованих (CSV)"), permissions=["export"])
    def export_registrants_csv(self, request, queryset):
        header, rows = self._registrant_rows(queryset)
        return csv_response(filename="registrants.csv", header=header, rows=rows)

    @admin.action(description=_("Список зареєстрованих (XLSX)"), permissions=["export"])
    def export_registrants_xlsx(self, request, queryset):
        header, rows = self._registrant_rows(queryset)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = gettext("Зареєстровані")[:31]
        xlsx_append(sheet, header)
        for row in rows:
            xlsx_append(sheet, row)
        widths = (40, 17, 28, 30, 16, 16, 7, 20, 17)
        for column, width in zip("ABCDEFGHI", widths, strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        return xlsx_response(filename="registrants.xlsx", workbook=workbook)


class ReachFilter(admin.SimpleListFilter):
    title = _("як повідомляти")
    parameter_name = "reach"

    def lookups(self, request, model_admin):
        return [
            ("phone", _("лише телефон — зателефонувати")),
            ("promoted", _("отримали місце з черги, лише телефон — зателефонувати")),
            ("email", _("е-поштою")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "phone":
            return queryset.phone_only()
        if self.value() == "promoted":
            # Mail tells the others; these people learn about their seat only from a call.
            return queryset.phone_only().filter(
                status=Registration.Status.CONFIRMED, confirmed_at__gt=F("created_at")
            )
        if self.value() == "email":
            return queryset.exclude(email="")
        return queryset


@admin.register(Registration)
class RegistrationAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    """Registrations are made through the public form (or by a librarian filling it in for a
    caller), so that capacity and the waitlist are always counted in one place."""

    branch_field = "event__branch"
    list_display = ["name", "reach", "event", "seats", "status", "created_at"]
    # Only the events this librarian may see that have registrations, newest sign-ups first.
    list_filter = ["status", ReachFilter, ("event", admin.RelatedOnlyFieldListFilter)]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"
    list_select_related = ["event"]
    search_fields = ["name", "email", "phone", "event__title"]
    readonly_fields = [
        "event",
        "name",
        "email",
        "phone",
        "user",
        "seats",
        "status",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "reminded_at",
        "checked_in_at",
        "consent_at",
    ]
    actions = ["cancel"]
    # Its page on the site is the person's secret link, not a staff page (core.admin_views).
    view_on_site = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A deleted registration would keep its seat counted and never call the waitlist;
        # «Скасувати реєстрацію» frees the seat through the service. Personal data goes by
        # the retention rules (anonymisation), not by hand. This also stops the deletion of
        # an event people registered for (the admin will not delete what it cascades to):
        # such an event is cancelled, which tells them.
        return False

    @admin.display(description=_("як повідомляти"))
    def reach(self, registration):
        # The number right in the list: the person to call should not be one click away.
        if not registration.email and registration.phone:
            return f"{_how_to_reach(registration)}: {phone_display(registration.phone)}"
        return _how_to_reach(registration)

    @admin.action(description=_("Скасувати реєстрацію (місце піде черзі)"), permissions=["change"])
    def cancel(self, request, queryset):
        for registration in queryset:
            services.registration_cancel(registration=registration, acting_user=request.user)
        self.message_user(request, gettext("Скасовано."), messages.SUCCESS)


class ClubAdminForm(forms.ModelForm):
    audiences = _audience_field()
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Дні тижня"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ClubExceptionInline(admin.TabularInline):
    model = ClubException
    extra = 1


class ClubAttendanceInline(admin.TabularInline):
    """Head counts after each meeting: what directions 12 and 15 of the plan count."""

    model = ClubAttendance
    extra = 1
    fields = ["date", "count"]


class ClubMembershipInline(admin.TabularInline):
    model = ClubMembership
    extra = 0
    fields = ["name", "email", "phone", "joined_on", "left_on"]
    readonly_fields = ["name", "email", "phone", "joined_on"]
    # A member who leaves gets «вибув» (left_on), which frees the place and keeps the count
    # for the statistics; deleting the row would lose both.
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Club)
class ClubAdmin(ViewOnlyWithoutActionFieldsMixin, BranchScopedAdminMixin, TranslatedAdmin):
    form = ClubAdminForm
    view_only_shown_as = {"audiences": "audience_labels"}
    audience_labels = audience_labels
    list_display = ["name", "kind", "focus", "branch", "frequency", "is_published"]
    list_filter = ["kind", "focus", "branch", "is_published"]
    list_select_related = ["branch"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ClubAttendanceInline, ClubExceptionInline, ClubMembershipInline]


@admin.register(Topic)
class TopicAdmin(TranslatedAdmin):
    list_display = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class PartnerAgreementFilter(admin.SimpleListFilter):
    title = _("угода")
    parameter_name = "agreement"

    def lookups(self, request, model_admin):
        return [("in_force", _("діє")), ("expired", _("закінчилася")), ("none", _("без угоди"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "in_force":
            return queryset.with_agreement_on(today)
        if self.value() == "expired":
            return queryset.filter(agreement_valid_until__lt=today)
        if self.value() == "none":
            return queryset.filter(agreement_date__isnull=True)
        return queryset


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """The partners register. A librarian sees the partners their library works with or held
    events with, and edits (and sees the contact person of) only those linked to their
    library; a methodologist sees and links all. Saved through events.services.partner_save."""

    list_display = ["name", "kind", "agreement", "joint_events_count"]
    list_filter = ["kind", PartnerAgreementFilter, "branches", "is_demo"]
    search_fields = ["name", "agreement_number"]
    filter_horizontal = ["branches"]
    readonly_fields = ["joint_events"]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .annotate(joint_count=Count("events", filter=~Q(events__status=Event.Status.DRAFT)))
        )
        scope = staff_scope(request.user)
        if scope is None:
            return queryset
        linked = Partner.branches.through.objects.filter(partner=OuterRef("pk"), branch=scope)
        own_events = Event.partners.through.objects.filter(
            partner=OuterRef("pk"), event__branch=scope
        )
        return queryset.filter(Exists(linked) | Exists(own_events))

    def _linked(self, request, obj):
        scope = staff_scope(request.user)
        return scope is None or obj is None or obj.branches.filter(pk=scope).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._linked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._linked(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["name", "kind", "website"]}),
            (
                _("Угода про співпрацю"),
                {
                    "fields": [
                        "agreement_number",
                        "agreement_date",
                        "agreement_valid_until",
                        "agreement_file",
                    ]
                },
            ),
        ]
        if self._linked(request, obj):
            fieldsets.append(
                (
                    _("Контактна особа (бачать лише працівники бібліотек-партнерів)"),
                    {"fields": ["contact_name", "contact_phone", "contact_email"]},
                )
            )
        if staff_scope(request.user) is None:
            fieldsets.append((_("Хто співпрацює"), {"fields": ["branches"]}))
        if obj is not None:
            fieldsets.append((_("Спільні заходи"), {"fields": ["joint_events"]}))
        return fieldsets

    @admin.display(description=_("угода"), ordering="agreement_valid_until")
    def agreement(self, partner):
        if partner.agreement_date is None:
            return "—"
        if not partner.agreement_in_force():
            if partner.agreement_date > timezone.localdate():
                return gettext("з %(date)s") % {"date": f"{partner.agreement_date:%d.%m.%Y}"}
            return gettext("закінчилася %(date)s") % {
                "date": f"{partner.agreement_valid_until:%d.%m.%Y}"
            }
        if partner.agreement_valid_until is None:
            return gettext("діє, безстрокова")
        return gettext("діє до %(date)s") % {"date": f"{partner.agreement_valid_until:%d.%m.%Y}"}

    @admin.display(description=_("спільних заходів"), ordering="joint_count")
    def joint_events_count(self, partner):
        return partner.joint_count

    @admin.display(description=_("спільні заходи"))
    def joint_events(self, partner):
        """Held events by year, then the latest events with this partner (drafts left out)."""
        events = partner.events.exclude(status=Event.Status.DRAFT)
        by_year = (
            events.filter(status=Event.Status.HELD)
            .annotate(year=ExtractYear("starts_at"))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )
        latest = events.select_related("branch").order_by("-starts_at")[:JOINT_EVENTS_SHOWN]
        if not latest:
            return gettext("Спільних заходів ще не було.")
        years = format_html_join(
            ", ",
            "{}: {}",
            (
                (
                    row["year"],
                    ngettext("%d проведений", "%d проведених", row["count"]) % row["count"],
                )
                for row in by_year
            ),
        )
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}, {} ({})</li>',
            (
                (
                    reverse("admin:events_event_change", args=[event.pk]),
                    event.title,
                    f"{timezone.localtime(event.starts_at):%d.%m.%Y}",
                    event.branch,
                    event.get_status_display(),
                )
                for event in latest
            ),
        )
        return format_html("<p>{}</p><ul>{}</ul>", years or "—", rows)

    def save_model(self, request, obj, form, change):
        scope = staff_scope(request.user)
        self._branches = form.cleaned_data.get("branches") if scope is None else None
        obj.is_demo = False
        services.partner_save(
            partner=obj,
            acting_user=request.user,
            branches=self._branches,
            own_branch_id=scope or None,
        )

    def save_related(self, request, form, formsets, change):
        # The libraries were set by partner_save; the form's own M2M save would redo it.
        form.save_m2m = lambda: None
        super().save_related(request, form, formsets, change)
