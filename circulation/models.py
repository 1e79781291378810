"""Lending: loan policies, loans, title-level holds and copies in transit between libraries.

Every change goes through `circulation.services` (check-out, check-in, renewal, holds,
transit); the admin only reads loans and holds. Statuses of holds follow `core.workflow`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ReaderProfile
from branches.models import Branch
from catalog.models import Item, Record
from core.workflow import Workflow

# A copy counts as a new arrival (loan class «new») this many days after it was added,
# the same window as the catalogue's «Нові надходження».
NEW_ARRIVAL_DAYS = 90


class LoanPolicyQuerySet(models.QuerySet):
    def matching(self, *, branch=None, category="", material_type="", loan_class=""):
        """Every rule that applies to this combination, the most specific first.

        Specificity follows Koha's circulation rules: the library counts most, then the
        reader category, then the material type, then the loan class (a «new arrival» rule
        is a refinement of its material type). A blank field (or no library) matches all.
        """
        branch_id = getattr(branch, "pk", branch)
        branch_q = Q(branch__isnull=True) if branch_id is None else Q(branch_id=branch_id)
        if branch_id is not None:
            branch_q |= Q(branch__isnull=True)
        return (
            self.filter(
                branch_q,
                reader_category__in={category or "", ""},
                material_type__in={material_type or "", ""},
                loan_class__in={loan_class or "", ""},
            )
            .annotate(
                specificity=(
                    Case(When(branch__isnull=False, then=Value(8)), default=Value(0))
                    + Case(When(~Q(reader_category=""), then=Value(4)), default=Value(0))
                    + Case(When(~Q(material_type=""), then=Value(2)), default=Value(0))
                    + Case(When(~Q(loan_class=""), then=Value(1)), default=Value(0))
                )
            )
            .order_by("-specificity", "pk")
        )

    def for_(self, *, branch=None, category="", material_type="", loan_class=""):
        """The one rule that governs this combination (one query). When even the default
        rule has been deleted, an unsaved rule with the model's defaults answers."""
        found = self.matching(
            branch=branch, category=category, material_type=material_type, loan_class=loan_class
        ).first()
        return found if found is not None else LoanPolicy(name=str(_("Типове правило")))


class LoanPolicy(models.Model):
    """A lending rule: for a library × reader category × material type × loan class
    (each blank = all), how long and how many, and whether it lends or takes holds at all."""

    class LoanClass(models.TextChoices):
        ANY = "", _("Будь-який примірник")
        NEW = "new", _("Нові надходження")

    name = models.CharField(_("назва"), max_length=120)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="loan_policies",
        verbose_name=_("бібліотека"),
        help_text=_("Порожньо — для всіх бібліотек."),
    )
    reader_category = models.CharField(
        _("категорія читачів"),
        max_length=20,
        choices=[("", _("Усі категорії")), *ReaderProfile.Category.choices],
        blank=True,
    )
    material_type = models.CharField(
        _("вид документа"),
        max_length=16,
        choices=[("", _("Усі види")), *Record.MaterialType.choices],
        blank=True,
    )
    loan_class = models.CharField(
        _("клас примірника"),
        max_length=8,
        choices=LoanClass.choices,
        blank=True,
        help_text=_("«Нові надходження» — примірники, додані за останні 90 днів."),
    )
    lends = models.BooleanField(_("видає додому"), default=True)
    loan_days = models.PositiveSmallIntegerField(_("строк видачі, днів"), default=30)
    max_items = models.PositiveSmallIntegerField(_("найбільше документів одночасно"), default=5)
    renewals = models.PositiveSmallIntegerField(_("скільки разів можна продовжити"), default=2)
    renewal_days = models.PositiveSmallIntegerField(_("продовження на, днів"), default=30)
    holds_allowed = models.BooleanField(_("можна замовити"), default=True)
    hold_shelf_days = models.PositiveSmallIntegerField(
        _("замовлене чекає на полиці, днів"), default=5
    )
    notes = models.TextField(_("примітки"), blank=True)

    objects = LoanPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["branch__name", "reader_category", "material_type", "loan_class"]
        verbose_name = _("правило видачі")
        verbose_name_plural = _("правила видачі")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "reader_category", "material_type", "loan_class"],
                nulls_distinct=False,
                name="loan_policy_one_per_scope",
                violation_error_message=_(
                    "Правило для цієї бібліотеки, категорії, виду й класу вже є."
                ),
            ),
            models.CheckConstraint(
                condition=Q(loan_days__gte=1) | Q(lends=False), name="loan_policy_days_positive"
            ),
        ]

    def __str__(self):
        return self.name


class LoanQuerySet(models.QuerySet):
    def open(self):
        return self.filter(returned_at__isnull=True)

    def returned(self):
        return self.filter(returned_at__isnull=False)

    def overdue(self, *, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)


class Loan(models.Model):
    """One copy lent to one reader. Open while `returned_at` is empty.

    Category, home library and material type are copied at check-out, so statistics hold
    after the reader is forgotten: without the reader's opt-in the reader is cleared at
    check-in (`reader` = NULL), and only library, category, type and dates stay.
    """

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="loans", verbose_name=_("примірник")
    )
    reader = models.ForeignKey(
        ReaderProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("читач"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="loans", verbose_name=_("видано в")
    )
    returned_branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returned_loans",
        verbose_name=_("повернуто в"),
    )
    reader_category = models.CharField(
        _("категорія читача"), max_length=20, choices=ReaderProfile.Category.choices
    )
    home_branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="home_loans",
        verbose_name=_("бібліотека запису читача"),
    )
    material_type = models.CharField(
        _("вид документа"), max_length=16, choices=Record.MaterialType.choices
    )
    loaned_at = models.DateTimeField(_("видано"), default=timezone.now)
    due_on = models.DateField(_("повернути до"))
    renewals_used = models.PositiveSmallIntegerField(_("продовжено разів"), default=0)
    returned_at = models.DateTimeField(_("повернуто"), null=True, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("видав"),
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("прийняв"),
    )

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-loaned_at"]
        verbose_name = _("видача")
        verbose_name_plural = _("видачі")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(returned_at__isnull=True),
                name="loan_one_open_per_item",
                violation_error_message=_("Цей примірник уже видано."),
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=models.F("loaned_at")),
                name="loan_returned_after_lent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["reader", "due_on"],
                condition=Q(returned_at__isnull=True),
                name="loan_open_by_reader",
            ),
            models.Index(
                fields=["due_on"], condition=Q(returned_at__isnull=True), name="loan_open_due"
            ),
            models.Index(fields=["branch", "loaned_at"], name="loan_branch_month"),
            models.Index(
                fields=["reader", "-returned_at"],
                condition=Q(returned_at__isnull=False, reader__isnull=False),
                name="loan_reading_history",
            ),
        ]

    def __str__(self):
        return str(self.audit_label)

    @property
    def audit_label(self):
        return _("Видача № %(number)s") % {"number": self.pk}

    @property
    def is_open(self):
        return self.returned_at is None

    def is_overdue(self, *, today=None):
        return self.is_open and self.due_on < (today or timezone.localdate())


class HoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Hold.ACTIVE)

    def queue(self):
        """Holds still waiting for a copy (suspended ones keep their place), in queue order."""
        return self.filter(status__in=Hold.QUEUED).order_by("placed_at", "pk")

    def with_queue_position(self):
        """Annotate `queue_position` (1-based among the title's holds still waiting for a
        copy; suspended ones keep their place) and `queue_length`, in the same query.
        A hold already ready or in transit has no position (NULL)."""
        queued = Hold.objects.filter(record=OuterRef("record"), status__in=Hold.QUEUED)
        ahead = queued.filter(
            Q(placed_at__lt=OuterRef("placed_at"))
            | Q(placed_at=OuterRef("placed_at"), pk__lt=OuterRef("pk"))
        )

        def count(rows):
            return Subquery(
                rows.order_by().values("record").annotate(n=Count("pk")).values("n"),
                output_field=models.IntegerField(),
            )

        return self.annotate(
            queue_position=Case(
                When(status__in=Hold.QUEUED, then=Coalesce(count(ahead), 0) + 1),
                default=None,
                output_field=models.IntegerField(),
            ),
            queue_length=Coalesce(count(queued), 0),
        )


class Hold(Workflow, models.Model):
    """A reader's request for a title (any copy), picked up at the library they choose."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("У черзі")
        SUSPENDED = "suspended", _("Призупинено")
        IN_TRANSIT = "in_transit", _("Їде до бібліотеки")
        READY = "ready", _("Чекає на читача")
        FULFILLED = "fulfilled", _("Видано")
        CANCELLED = "cancelled", _("Скасовано")
        EXPIRED = "expired", _("Не забрано вчасно")

    TRANSITIONS = {
        Status.WAITING: {
            Status.SUSPENDED,
            Status.IN_TRANSIT,
            Status.READY,
            Status.FULFILLED,
            Status.CANCELLED,
        },
        Status.SUSPENDED: {Status.WAITING, Status.FULFILLED, Status.CANCELLED},
        Status.IN_TRANSIT: {Status.READY, Status.WAITING, Status.CANCELLED},
        Status.READY: {Status.FULFILLED, Status.CANCELLED, Status.EXPIRED},
        Status.FULFILLED: set(),
        Status.CANCELLED: set(),
        Status.EXPIRED: set(),
    }
    TRANSITION_REFUSAL = _("Замовлення в стані «%(old)s» не можна перевести в стан «%(new)s».")

    ACTIVE = (Status.WAITING, Status.SUSPENDED, Status.IN_TRANSIT, Status.READY)
    QUEUED = (Status.WAITING, Status.SUSPENDED)
    FINISHED = (Status.FULFILLED, Status.CANCELLED, Status.EXPIRED)

    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="holds", verbose_name=_("запис")
    )
    reader = models.ForeignKey(
        ReaderProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("читач"),
    )
    pickup_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="holds", verbose_name=_("де забрати")
    )
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    placed_at = models.DateTimeField(_("замовлено"), default=timezone.now)
    suspended_until = models.DateField(_("призупинено до"), null=True, blank=True)
    item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("відкладений примірник"),
    )
    ready_at = models.DateTimeField(_("відкладено"), null=True, blank=True)
    expires_on = models.DateField(_("чекає до"), null=True, blank=True)
    # When the reader was told the copy waits for them (at once or in the daily run), so that
    # the «чекає на вас» notice goes once.
    ready_noticed_at = models.DateTimeField(_("повідомлено про готовність"), null=True, blank=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = HoldQuerySet.as_manager()

    class Meta:
        ordering = ["placed_at", "pk"]
        verbose_name = _("замовлення")
        verbose_name_plural = _("замовлення")
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "record"],
                condition=Q(status__in=["waiting", "suspended", "in_transit", "ready"]),
                name="hold_one_active_per_reader_record",
                violation_error_message=_("Ви вже замовили це видання."),
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["in_transit", "ready"]),
                name="hold_one_per_captured_item",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_transit", "ready"]) | Q(item__isnull=False),
                name="hold_captured_has_item",
            ),
        ]
        indexes = [
            models.Index(
                fields=["record", "placed_at"],
                condition=Q(status__in=["waiting", "suspended", "in_transit", "ready"]),
                name="hold_active_queue",
            ),
            models.Index(
                fields=["reader"],
                condition=Q(status__in=["waiting", "suspended", "in_transit", "ready"]),
                name="hold_active_by_reader",
            ),
            models.Index(
                fields=["expires_on"], condition=Q(status="ready"), name="hold_ready_expiry"
            ),
        ]

    def __str__(self):
        return str(self.audit_label)

    @property
    def audit_label(self):
        return _("Замовлення № %(number)s") % {"number": self.pk}

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class TransitQuerySet(models.QuerySet):
    def open(self):
        return self.filter(received_at__isnull=True)


class Transit(models.Model):
    """A copy on its way between libraries: home after a return elsewhere, or to the
    pickup library of a hold."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="transits", verbose_name=_("примірник")
    )
    from_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="transits_out", verbose_name=_("звідки")
    )
    to_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="transits_in", verbose_name=_("куди")
    )
    hold = models.ForeignKey(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transits",
        verbose_name=_("для замовлення"),
    )
    sent_at = models.DateTimeField(_("відправлено"), default=timezone.now)
    received_at = models.DateTimeField(_("отримано"), null=True, blank=True)

    objects = TransitQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("переміщення")
        verbose_name_plural = _("переміщення")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(received_at__isnull=True),
                name="transit_one_open_per_item",
            ),
        ]
        indexes = [
            models.Index(
                fields=["to_branch", "sent_at"],
                condition=Q(received_at__isnull=True),
                name="transit_open_to_branch",
            ),
        ]

    def __str__(self):
        return _("Переміщення № %(number)s") % {"number": self.pk}


def loan_class_of(item: Item, *, now=None) -> str:
    """«new» for a copy added within NEW_ARRIVAL_DAYS, else "" (any copy)."""
    now = now or timezone.now()
    if item.added_at and item.added_at >= now - timedelta(days=NEW_ARRIVAL_DAYS):
        return LoanPolicy.LoanClass.NEW
    return LoanPolicy.LoanClass.ANY
