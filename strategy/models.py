"""Development plans of the library network: directions, milestones, indicators with yearly
targets, manual yearly values and staff training.

A `Metric` is *what* is measured (a code shared by every plan: `catalog.acquisitions` read live
through the apps' `stats.py`, or `manual.visits` typed in yearly per library); an `Indicator`
attaches a metric to one direction of one plan and carries that plan's targets. Manual values
belong to the metric, so a later plan that measures the same thing sees the earlier years.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.db import UK_COLLATION
from core.workflow import Workflow


class Plan(models.Model):
    title = models.CharField(_("назва"), max_length=300, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=40, unique=True)
    period_start = models.PositiveSmallIntegerField(_("перший рік"))
    period_end = models.PositiveSmallIntegerField(_("останній рік"))
    motto = models.CharField(_("девіз"), max_length=300, blank=True)
    basis = models.TextField(
        _("нормативна база"), blank=True, help_text=_("Один документ у рядку.")
    )
    source = models.CharField(_("джерело тексту"), max_length=200, blank=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("план розвитку")
        verbose_name_plural = _("плани розвитку")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_in_order",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("strategy:plan", kwargs={"slug": self.slug})

    @property
    def years(self):
        return list(range(self.period_start, self.period_end + 1))

    @property
    def basis_lines(self):
        return [line for line in self.basis.splitlines() if line.strip()]


class Direction(models.Model):
    class Scope(models.TextChoices):
        ALL_BRANCHES = "all_branches", _("Усі філії")
        ALL_LIBRARIES = "all_libraries", _("Усі бібліотеки")
        ALL_STAFF = "all_staff", _("Усі працівники")
        COORDINATOR_ONLY = "coordinator_only", _("Названо лише координатора")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="directions", verbose_name=_("план")
    )
    number = models.PositiveSmallIntegerField(_("номер"))
    slug = models.SlugField(_("код"), max_length=60)
    title = models.CharField(_("назва"), max_length=300, db_collation=UK_COLLATION)
    motto = models.CharField(_("девіз"), max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(_("з року"))
    period_end = models.PositiveSmallIntegerField(_("до року"))
    scope = models.CharField(_("кого стосується"), max_length=20, choices=Scope.choices)
    coordinator = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_directions",
        verbose_name=_("координатор"),
    )
    participants = models.ManyToManyField(
        Branch,
        blank=True,
        related_name="directions",
        verbose_name=_("бібліотеки-учасниці"),
        help_text=_("Порожньо, коли напрямок стосується всіх бібліотек."),
    )
    activities = models.TextField(_("заходи з плану"), blank=True, help_text=_("Один у рядку."))
    measured_by = models.TextField(
        _("чим вимірюється"), blank=True, help_text=_("Як у плані; один пункт у рядку.")
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("напрямок")
        verbose_name_plural = _("напрямки")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="direction_number_unique"),
            models.UniqueConstraint(fields=["plan", "slug"], name="direction_slug_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="direction_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.display_title}"

    def get_absolute_url(self):
        return reverse("strategy:direction", kwargs={"slug": self.plan.slug, "number": self.number})

    @property
    def display_title(self):
        return self.title

    @property
    def activity_lines(self):
        return [line for line in self.activities.splitlines() if line.strip()]

    @property
    def years(self):
        return list(range(self.period_start, self.period_end + 1))


class MilestoneQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Milestone.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def for_branch(self, branch_id):
        """A library's own milestones and the network-wide ones it takes part in."""
        return self.filter(Q(branch_id=branch_id) | Q(branch__isnull=True))

    def progress_by_direction(self, today=None):
        """{direction_id: {total, done, dropped, overdue}} in one aggregate query."""
        today = today or timezone.localdate()
        rows = (
            self.values("direction")
            .order_by()
            .annotate(
                total=Count("pk"),
                done=Count("pk", filter=Q(status=Milestone.Status.DONE)),
                dropped=Count("pk", filter=Q(status=Milestone.Status.DROPPED)),
                overdue=Count("pk", filter=Q(status__in=Milestone.OPEN, due_date__lt=today)),
            )
        )
        return {row.pop("direction"): row for row in rows}


class Milestone(Workflow, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Заплановано")
        IN_PROGRESS = "in_progress", _("Виконується")
        DONE = "done", _("Виконано")
        DROPPED = "dropped", _("Скасовано")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)
    # Which status may follow which; a finished milestone can be reopened, with a log entry.
    TRANSITIONS = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.DONE, Status.DROPPED},
        Status.IN_PROGRESS: {Status.PLANNED, Status.DONE, Status.DROPPED},
        Status.DONE: {Status.IN_PROGRESS},
        Status.DROPPED: {Status.PLANNED},
    }
    TRANSITION_REFUSAL = _("Етап у стані «%(old)s» не можна перевести у стан «%(new)s».")

    direction = models.ForeignKey(
        Direction, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("напрямок")
    )
    title = models.CharField(_("що зробити"), max_length=300, db_collation=UK_COLLATION)
    due_date = models.DateField(_("термін"))
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("відповідальна бібліотека"),
        help_text=_("Порожньо — відповідає вся мережа."),
    )
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("виконано"), null=True, blank=True)
    is_demo = models.BooleanField(_("демонстраційний"), default=False)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("етап")
        verbose_name_plural = _("етапи")
        indexes = [models.Index(fields=["status", "due_date"], name="milestone_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="milestone_completed_iff_done",
            )
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        return self.status in self.OPEN and self.due_date < (today or timezone.localdate())

    @property
    def overdue(self):
        return self.is_overdue()


class MilestoneNote(models.Model):
    """A progress note with its evidence: a link, a file or a photo."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="notes", verbose_name=_("етап")
    )
    text = models.TextField(_("що зроблено"))
    link = models.URLField(_("посилання"), blank=True)
    file = models.FileField(_("файл або фото"), upload_to="strategy/evidence/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("автор"),
    )
    created_at = models.DateTimeField(_("додано"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("нотатка про хід")
        verbose_name_plural = _("нотатки про хід")

    def __str__(self):
        return self.text[:60]


class Metric(models.Model):
    class Source(models.TextChoices):
        COMPUTED = "computed", _("Обчислюється з даних порталу")
        MANUAL = "manual", _("Вноситься вручну щороку")

    code = models.CharField(
        _("код"),
        max_length=80,
        unique=True,
        help_text=_("Для обчислюваних — код зі stats.py застосунку, напр. catalog.acquisitions."),
    )
    name = models.CharField(_("назва"), max_length=250, db_collation=UK_COLLATION)
    unit = models.CharField(_("одиниця"), max_length=40, blank=True)
    source = models.CharField(_("звідки дані"), max_length=10, choices=Source.choices)
    additive = models.BooleanField(
        _("мережа = сума бібліотек"),
        default=True,
        help_text=_("Для ручних показників: чи значення мережі — сума значень бібліотек."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("показник")
        verbose_name_plural = _("показники")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name

    @property
    def display_unit(self):
        return self.unit

    @property
    def label(self):
        """«Фінансування з бюджету, грн», but «Проведено заходів», not «…, заходів»: a unit that
        only repeats the counted noun of the name says nothing."""
        name, unit = self.display_name, self.display_unit
        stem = unit.lower().rstrip(".")[:5]
        if not unit or any(word.startswith(stem) for word in name.lower().split()):
            return name
        return f"{name}, {unit}"

    @property
    def is_manual(self):
        return self.source == self.Source.MANUAL


class Indicator(models.Model):
    direction = models.ForeignKey(
        Direction, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("напрямок")
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("показник")
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["direction", "position", "pk"]
        verbose_name = _("показник напрямку")
        verbose_name_plural = _("показники напрямків")
        constraints = [
            models.UniqueConstraint(fields=["direction", "metric"], name="indicator_once")
        ]

    def __str__(self):
        return f"{self.direction.number}: {self.metric}"


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("показник")
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="strategy_targets",
        verbose_name=_("бібліотека"),
        help_text=_("Порожньо — ціль для всієї мережі."),
    )
    value = models.DecimalField(_("ціль"), max_digits=14, decimal_places=2)
    is_demo = models.BooleanField(_("демонстраційна"), default=False)

    class Meta:
        ordering = ["indicator", "year", "branch"]
        verbose_name = _("ціль")
        verbose_name_plural = _("цілі")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "branch"],
                nulls_distinct=False,
                name="target_once_per_year_and_library",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


class ManualValue(models.Model):
    """A yearly figure typed in for one library (funding, visits, loans, PCs …)."""

    metric = models.ForeignKey(
        Metric,
        on_delete=models.CASCADE,
        related_name="values",
        limit_choices_to={"source": Metric.Source.MANUAL},
        verbose_name=_("показник"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="strategy_values",
        verbose_name=_("бібліотека"),
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    value = models.DecimalField(_("значення"), max_digits=14, decimal_places=2)
    note = models.CharField(_("примітка, джерело"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("демонстраційне"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("вніс"),
    )
    entered_at = models.DateTimeField(_("внесено"), auto_now=True)

    class Meta:
        ordering = ["metric", "year", "branch"]
        verbose_name = _("значення показника")
        verbose_name_plural = _("значення показників (ручні)")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "branch", "year"], name="manual_value_once_per_year"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="manual_value_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="manual_value_year_sane"
            ),
        ]

    def __str__(self):
        return f"{self.metric} · {self.branch} · {self.year}"


class TrainingRecord(models.Model):
    """A staff member's course or webinar (plan directions 5 and 10), linked to the staff
    member's account while they work here; the name stays for those who left."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Курси")
        WEBINAR = "webinar", _("Вебінар")
        SEMINAR = "seminar", _("Семінар, тренінг")
        CONFERENCE = "conference", _("Конференція")
        INTERNSHIP = "internship", _("Стажування")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_records",
        limit_choices_to={"staff_profile__isnull": False},
        verbose_name=_("працівник (обліковий запис)"),
    )
    person = models.CharField(
        _("працівник"),
        max_length=200,
        blank=True,
        db_collation=UK_COLLATION,
        help_text=_("Заповниться з облікового запису; вкажіть вручну, якщо його немає."),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="training_records",
        verbose_name=_("бібліотека"),
    )
    kind = models.CharField(_("форма"), max_length=12, choices=Kind.choices)
    course = models.CharField(_("курс або вебінар"), max_length=300)
    provider = models.CharField(_("хто проводив"), max_length=200, blank=True)
    hours = models.DecimalField(_("годин"), max_digits=6, decimal_places=1)
    date = models.DateField(_("дата"))
    certificate = models.BooleanField(_("є сертифікат"), default=False)
    certificate_file = models.FileField(
        _("сертифікат (файл)"), upload_to="strategy/certificates/%Y/", blank=True
    )
    is_demo = models.BooleanField(_("демонстраційний"), default=False)

    class Meta:
        ordering = ["-date", "person"]
        verbose_name = _("навчання працівника")
        verbose_name_plural = _("навчання працівників")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive")
        ]

    def __str__(self):
        return f"{self.person}: {self.course}"

    def clean(self):
        if self.staff_id and not self.person:
            self.person = staff_name(self.staff)
        if not self.person:
            raise ValidationError({"person": _("Виберіть працівника або впишіть імʼя.")})
        if self.certificate_file:
            self.certificate = True


def staff_name(user):
    return user.get_full_name().strip() or user.get_username()


class TrainingPlan(models.Model):
    """The yearly training plan of a library: hours and courses planned for one staff member,
    or for the library as a whole (no staff member), compared with the records made."""

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="training_plans",
        verbose_name=_("бібліотека"),
    )
    year = models.PositiveSmallIntegerField(_("рік"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_plans",
        limit_choices_to={"staff_profile__isnull": False},
        verbose_name=_("працівник"),
        help_text=_("Порожньо — план бібліотеки загалом."),
    )
    hours = models.DecimalField(_("запланованих годин"), max_digits=6, decimal_places=1)
    courses = models.PositiveSmallIntegerField(_("запланованих курсів, вебінарів"), default=0)
    topics = models.CharField(_("теми, курси"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("демонстраційний"), default=False)

    class Meta:
        ordering = ["-year", "branch", "staff"]
        verbose_name = _("план навчання")
        verbose_name_plural = _("плани навчання")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="training_plan_hours"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="training_plan_year_sane"
            ),
            models.UniqueConstraint(
                fields=["branch", "year", "staff"],
                condition=Q(staff__isnull=False),
                name="training_plan_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["branch", "year"],
                condition=Q(staff__isnull=True),
                name="training_plan_once_per_library",
            ),
        ]

    def __str__(self):
        who = staff_name(self.staff) if self.staff_id else _("бібліотека загалом")
        return f"{self.year}: {who}"


class StudyTrip(models.Model):
    """A study trip of staff to learn from other libraries (plan direction 10)."""

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="study_trips",
        verbose_name=_("бібліотека, що відряджає"),
    )
    date = models.DateField(_("дата"))
    destination = models.CharField(_("куди"), max_length=300)
    purpose = models.CharField(_("мета"), max_length=500)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="study_trips",
        limit_choices_to={"staff_profile__isnull": False},
        verbose_name=_("учасники"),
    )
    other_participants = models.CharField(
        _("інші учасники"),
        max_length=500,
        blank=True,
        help_text=_("Ті, кого немає серед працівників на порталі."),
    )
    participant_count = models.PositiveSmallIntegerField(_("учасників усього"), default=1)
    report = models.TextField(_("звіт: що побачили, що запровадимо"), blank=True)
    report_file = models.FileField(_("звіт (файл)"), upload_to="strategy/trips/%Y/", blank=True)
    is_demo = models.BooleanField(_("демонстраційна"), default=False)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("навчальна поїздка")
        verbose_name_plural = _("навчальні поїздки")
        constraints = [
            models.CheckConstraint(
                condition=Q(participant_count__gte=1), name="study_trip_has_participants"
            )
        ]

    def __str__(self):
        return f"{self.destination}, {self.date:%d.%m.%Y}"


class GrantApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status=GrantApplication.Status.PREPARING)

    def won(self):
        return self.filter(
            status__in=[GrantApplication.Status.WON, GrantApplication.Status.REPORTED]
        )


class GrantApplication(models.Model):
    """A grant application of a library or of the network (plan direction 2): the register a
    methodologist kept on paper, from the idea to the report to the funder."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Готується")
        SUBMITTED = "submitted", _("Подано")
        WON = "won", _("Підтримано")
        REJECTED = "rejected", _("Відхилено")
        REPORTED = "reported", _("Звіт здано")

    title = models.CharField(_("назва проєкту"), max_length=300, db_collation=UK_COLLATION)
    funder = models.CharField(
        _("грантодавець"),
        max_length=200,
        help_text=_("Наприклад: Український культурний фонд, посольство, міська програма."),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("бібліотека-заявник"),
    )
    author = models.CharField(_("автор заявки"), max_length=200)
    status = models.CharField(
        _("стан"), max_length=12, choices=Status.choices, default=Status.PREPARING
    )
    deadline = models.DateField(_("подати до"))
    submitted_on = models.DateField(_("подано"), null=True, blank=True)
    decided_on = models.DateField(_("дата рішення"), null=True, blank=True)
    amount_requested = models.DecimalField(
        _("запитано, грн"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_won = models.DecimalField(
        _("отримано, грн"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    report_due = models.DateField(_("звіт грантодавцю до"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_applications",
        limit_choices_to={"staff_profile__isnull": False},
        verbose_name=_("відповідальний працівник"),
        help_text=_("Отримає листи-нагадування про дедлайн подання і про звіт."),
    )
    deadline_reminded_at = models.DateTimeField(
        _("нагадано про дедлайн"), null=True, blank=True, editable=False
    )
    report_reminded_at = models.DateTimeField(
        _("нагадано про звіт"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("примітки"), blank=True)
    is_demo = models.BooleanField(_("демонстраційна"), default=False)

    objects = GrantApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "title"]
        verbose_name = _("грантова заявка")
        verbose_name_plural = _("грантові заявки")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gte=0) | Q(amount_requested__isnull=True),
                name="grant_requested_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_won__gte=0) | Q(amount_won__isnull=True),
                name="grant_won_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def next_due(self, today=None):
        """(what, date) the application waits for: the submission deadline while it is being
        prepared, the report to the funder once supported; None when nothing is due."""
        if self.status == self.Status.PREPARING:
            return "deadline", self.deadline
        if self.status == self.Status.WON and self.report_due:
            return "report", self.report_due
        return None

    def clean(self):
        errors = {}
        decided = {self.Status.WON, self.Status.REJECTED, self.Status.REPORTED}
        if self.status != self.Status.PREPARING and not self.submitted_on:
            errors["submitted_on"] = _("Вкажіть, коли заявку подано.")
        if self.status in decided and not self.decided_on:
            errors["decided_on"] = _("Вкажіть дату рішення грантодавця.")
        won = {self.Status.WON, self.Status.REPORTED}
        if self.status in won and self.amount_won is None:
            errors["amount_won"] = _("Вкажіть, скільки коштів отримано.")
        if self.status not in won and self.amount_won:
            errors["amount_won"] = _("Отримані кошти бувають лише в підтриманого проєкту.")
        if self.submitted_on and self.decided_on and self.decided_on < self.submitted_on:
            errors["decided_on"] = _("Рішення не може бути раніше за подання.")
        if errors:
            raise ValidationError(errors)


class ExtraIncome(models.Model):
    """Money a library received outside its budget (plan direction 1): sponsors and patrons,
    charitable donations, paid services."""

    class Kind(models.TextChoices):
        SPONSORS = "sponsors", _("Кошти спонсорів і меценатів")
        CHARITY = "charity", _("Благодійні внески")
        PAID_SERVICES = "paid_services", _("Платні послуги")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="extra_income", verbose_name=_("бібліотека")
    )
    kind = models.CharField(_("звідки"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("дата надходження"))
    amount = models.DecimalField(_("сума, грн"), max_digits=12, decimal_places=2)
    source = models.CharField(
        _("від кого"),
        max_length=200,
        blank=True,
        help_text=_("Назва організації або послуги; імен приватних осіб не вказуйте."),
    )
    paid_service = models.ForeignKey(
        "branches.PaidService",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="income",
        verbose_name=_("платна послуга"),
        help_text=_("Для надходжень від платних послуг: яка послуга з прайс-листа."),
    )
    is_demo = models.BooleanField(_("демонстраційне"), default=False)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("позабюджетне надходження")
        verbose_name_plural = _("позабюджетні надходження")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="extra_income_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.date:%d.%m.%Y}"

    def clean(self):
        if self.paid_service_id is None:
            return
        if self.kind != self.Kind.PAID_SERVICES:
            raise ValidationError(
                {"paid_service": _("Послугу вказують лише для надходжень від платних послуг.")}
            )
        if self.branch_id and self.paid_service.branch_id != self.branch_id:
            raise ValidationError({"paid_service": _("Це послуга іншої бібліотеки.")})


class ReportRow(models.Model):
    """One numbered row of the 6-НК form as the portal lays it out: its section, number and
    label, and where its figure comes from — a figure the portal computes (a key of
    `strategy.figures.yearly_report`, several joined by «+» are summed) or a hand-entered
    manual metric, typed in per library and year on the «6-НК: внести цифри» page.

    The catalogue is data (migration 0008), so a methodologist can reword a label without a
    release; the numbers are the form's and are documented in docs/stats.md.
    """

    class Section(models.IntegerChoices):
        GENERAL = 1, _("Розділ 1. Загальні відомості. Матеріально-технічна база")
        FUND = 2, _("Розділ 2. Формування бібліотечного фонду")
        SERVICE = 3, _("Розділ 3. Показники обслуговування користувачів")
        STAFF = 4, _("Розділ 4. Штат бібліотеки")
        FINANCE = 5, _("Розділ 5. Фінансування")
        RATIOS = 6, _("Довідково: відносні показники")

    class Kind(models.TextChoices):
        COUNT = "count", _("ціле число")
        AMOUNT = "amount", _("сума, площа (з копійками)")
        FLAG = "flag", _("так / ні")

    section = models.PositiveSmallIntegerField(_("розділ"), choices=Section.choices)
    number = models.PositiveSmallIntegerField(_("№ рядка"), unique=True)
    label = models.CharField(_("назва рядка"), max_length=250)
    level = models.PositiveSmallIntegerField(
        _("відступ"), default=0, help_text=_("1 — «з них», рядок під попереднім.")
    )
    kind = models.CharField(_("що вносять"), max_length=8, choices=Kind.choices, default="count")
    figure = models.CharField(
        _("обчислюваний показник"),
        max_length=200,
        blank=True,
        help_text=_("Ключ рядка звіту, що рахує портал; кілька через «+» додаються."),
    )
    metric = models.ForeignKey(
        Metric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_rows",
        limit_choices_to={"source": Metric.Source.MANUAL},
        verbose_name=_("показник, що вносять вручну"),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("рядок форми 6-НК")
        verbose_name_plural = _("рядки форми 6-НК")
        constraints = [
            models.CheckConstraint(
                condition=(Q(metric__isnull=True) & ~Q(figure=""))
                | (Q(metric__isnull=False) & Q(figure="")),
                name="report_row_one_source",
            )
        ]

    def __str__(self):
        return f"{self.number:02d}. {self.display_label}"

    @property
    def display_label(self):
        return self.label

    @property
    def is_manual(self):
        return self.metric_id is not None

    @property
    def keys(self):
        return [key.strip() for key in self.figure.split("+") if key.strip()]
