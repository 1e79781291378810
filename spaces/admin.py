"""Back office of spaces, scoped to the librarian's library: the spaces and computers readers
can book, and their bookings, approved, declined or cancelled through spaces.services (which
checks the workflow, mails the booker and writes the audit log). Methodologists see all."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Zone
from branches.scoping import BranchScopedAdminMixin, staff_scope
from core.phones import phone_display
from spaces import services
from spaces.models import Booking, Resource


@admin.register(Resource)
class ResourceAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "branch",
        "capacity",
        "slot_minutes",
        "needs_approval",
        "is_active",
    ]
    list_filter = ["kind", "needs_approval", "is_active", "branch"]
    list_select_related = ["branch"]
    search_fields = ["name"]
    fields = [
        "branch",
        "kind",
        "zone",
        "name",
        "name_en",
        "description",
        "description_en",
        "capacity",
        "slot_minutes",
        "needs_approval",
        "is_active",
        "position",
    ]
    actions = ["make_computers"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Zone:
            branch_id = staff_scope(request.user)
            zones = Zone.objects.select_related("branch")
            kwargs["queryset"] = zones if branch_id is None else zones.filter(branch=branch_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(
        description=_("Створити компʼютери за кількістю на картці бібліотеки"),
        permissions=["add"],
    )
    def make_computers(self, request, queryset):
        branch_ids = set(queryset.values_list("branch_id", flat=True))
        made = 0
        for branch in Branch.objects.filter(pk__in=branch_ids):
            made += len(services.computers_sync(branch=branch, acting_user=request.user))
        self.message_user(
            request, _("Створено компʼютерів: %(count)s.") % {"count": made}, messages.SUCCESS
        )


@admin.register(Booking)
class BookingAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    branch_field = "resource__branch"
    list_display = [
        "starts_at",
        "resource",
        "resource_branch",
        "who",
        "people",
        "contact",
        "status",
    ]
    ordering = ["starts_at", "pk"]
    list_filter = ["status", "resource__kind", "resource__branch"]
    list_select_related = ["resource__branch"]
    search_fields = ["name", "organisation", "email"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "resource",
        "starts_at",
        "ends_at",
        "status",
        "user",
        "organisation",
        "name",
        "email",
        "phone",
        "people",
        "purpose",
        "language",
        "created_at",
        "decided_at",
        "cancelled_at",
        "anonymised_at",
        "is_demo",
    ]
    actions = ["approve", "decline", "cancel_and_tell"]
    # Its page on the site is the booker's secret link, not a staff page.
    view_on_site = False

    def has_add_permission(self, request):
        # Readers and groups book on the site, where the slots and the rules are checked.
        return False

    def has_delete_permission(self, request, obj=None):
        # Cancelling frees the time and tells the booker; personal data goes by retention.
        return False

    @admin.display(description=_("бібліотека"), ordering="resource__branch")
    def resource_branch(self, booking):
        return booking.resource.branch

    @admin.display(description=_("хто"))
    def who(self, booking):
        return booking.organisation or booking.name

    @admin.display(description=_("контакт"))
    def contact(self, booking):
        return phone_display(booking.phone) or booking.email

    def _act(self, request, queryset, action, done_message):
        done = 0
        for booking in queryset:
            try:
                action(booking=booking, acting_user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{booking}: {error.messages[0]}", messages.WARNING)
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Підтвердити й повідомити"), permissions=["change"])
    def approve(self, request, queryset):
        self._act(request, queryset, services.booking_approve, _("Підтверджено: %(count)s."))

    @admin.action(description=_("Відхилити й повідомити"), permissions=["change"])
    def decline(self, request, queryset):
        self._act(request, queryset, services.booking_decline, _("Відхилено: %(count)s."))

    @admin.action(
        description=_("Скасувати й повідомити (напр., бібліотека зачинена)"),
        permissions=["change"],
    )
    def cancel_and_tell(self, request, queryset):
        self._act(request, queryset, services.booking_cancel, _("Скасовано: %(count)s."))
