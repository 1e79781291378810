"""Lending in the admin: rules edited by methodologists; loans, holds and transits read by
the staff of the libraries concerned. Loans and holds change only through
`circulation.services` (the desk, the reader's pages, the actions below), never by editing."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from branches.scoping import BranchScopedAdminMixin, staff_scope
from circulation import services
from circulation.models import Hold, Loan, LoanPolicy, Transit


@admin.register(LoanPolicy)
class LoanPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "branch",
        "reader_category",
        "material_type",
        "loan_class",
        "lends",
        "loan_days",
        "max_items",
        "renewals",
        "holds_allowed",
    ]
    list_filter = ["branch", "reader_category", "material_type", "lends"]
    list_select_related = ["branch"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "notes"]}),
        (
            _("До кого й чого застосовується (порожньо — до всіх)"),
            {"fields": ["branch", "reader_category", "material_type", "loan_class"]},
        ),
        (
            _("Умови"),
            {
                "fields": [
                    "lends",
                    "loan_days",
                    "max_items",
                    "renewals",
                    "renewal_days",
                    "holds_allowed",
                    "hold_shelf_days",
                ]
            },
        ),
    ]


class ReadersLibrariesScopeMixin(BranchScopedAdminMixin):
    """A row is in scope for the library where it happens (`branch_field`) and for the
    reader's home library (`home_field`): the reader's libraries' staff see it, no other."""

    home_field = "reader__home_branch"

    def get_queryset(self, request):
        queryset = super(BranchScopedAdminMixin, self).get_queryset(request)
        branch_id = staff_scope(request.user)
        if branch_id is None:
            return queryset
        return queryset.filter(
            Q(**{self.branch_field: branch_id}) | Q(**{self.home_field: branch_id})
        )


class ReadOnlyMixin:
    """Every field read-only: «change» permission only unlocks the actions, which go through
    the services."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Loan)
class LoanAdmin(ReadOnlyMixin, ReadersLibrariesScopeMixin, admin.ModelAdmin):
    branch_field = "branch"
    home_field = "home_branch"
    list_display = [
        "__str__",
        "item",
        "reader",
        "branch",
        "loaned_at",
        "due_on",
        "overdue",
        "returned_at",
    ]
    list_filter = [
        "branch",
        "reader_category",
        "material_type",
        ("returned_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["item__record", "reader__user", "branch"]
    search_fields = ["=item__inventory_number", "=item__barcode", "=reader__card_number"]
    date_hierarchy = "loaned_at"
    actions = ["renew"]

    @admin.display(description=_("прострочено"), boolean=True)
    def overdue(self, loan):
        return loan.is_overdue(today=timezone.localdate())

    @admin.action(description=_("Продовжити вибрані видачі"), permissions=["change"])
    def renew(self, request, queryset):
        done = 0
        for loan in queryset.filter(returned_at__isnull=True):
            try:
                services.loan_renew(loan=loan, acting_user=request.user)
                done += 1
            except services.CirculationRefusal as refusal:
                self.message_user(request, f"{loan}: {refusal.messages[0]}", messages.WARNING)
        self.message_user(
            request,
            ngettext("Продовжено %(count)s видачу.", "Продовжено %(count)s видачі.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Hold)
class HoldAdmin(ReadOnlyMixin, ReadersLibrariesScopeMixin, admin.ModelAdmin):
    branch_field = "pickup_branch"
    list_display = [
        "__str__",
        "record",
        "reader",
        "pickup_branch",
        "status",
        "placed_at",
        "expires_on",
    ]
    list_filter = ["status", "pickup_branch"]
    list_select_related = ["record", "reader__user", "pickup_branch"]
    search_fields = ["=reader__card_number", "=item__inventory_number", "=item__barcode"]
    actions = ["cancel"]

    @admin.action(description=_("Скасувати вибрані замовлення"), permissions=["change"])
    def cancel(self, request, queryset):
        done = 0
        for hold in queryset.filter(status__in=Hold.ACTIVE):
            try:
                services.hold_cancel(hold=hold, acting_user=request.user)
                done += 1
            except services.CirculationRefusal as refusal:
                self.message_user(request, f"{hold}: {refusal.messages[0]}", messages.WARNING)
        self.message_user(
            request,
            ngettext("Скасовано %(count)s замовлення.", "Скасовано %(count)s замовлення.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Transit)
class TransitAdmin(ReadOnlyMixin, BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "item", "from_branch", "to_branch", "sent_at", "received_at"]
    list_filter = [("received_at", admin.EmptyFieldListFilter), "to_branch"]
    list_select_related = ["item__record", "from_branch", "to_branch"]
    search_fields = ["=item__inventory_number", "=item__barcode"]

    def get_queryset(self, request):
        queryset = super(BranchScopedAdminMixin, self).get_queryset(request)
        branch_id = staff_scope(request.user)
        if branch_id is None:
            return queryset
        return queryset.filter(Q(from_branch=branch_id) | Q(to_branch=branch_id))
