"""Volunteers: applications «Хочу стати волонтером!», opportunities posted by libraries and the
volunteers' sign-ups, hours of work approved by staff, and home delivery of books.

A volunteer is an application that staff made active. The volunteer needs no account on the
portal: activation gives them a personal secret link (`Application.access_token`) to their page,
where they sign up for opportunities, log hours and print the certificate. Many volunteers are
schoolchildren and seniors for whom a password is one more obstacle; the link can be re-issued.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from branches.models import Branch
from core.db import UK_COLLATION
from core.phones import PhoneField
from core.workflow import Workflow

ADULT_AGE = 18
# Ukrainian law (Закон «Про волонтерську діяльність», ст. 3) lets people volunteer from 14,
# under 18 with a parent's or guardian's consent. Ages are counted by year of birth, as the
# form asks only for the year.
MIN_AGE = 14


class Interest(models.TextChoices):
    """What volunteers can do, as the plan lists it (direction 9)."""

    EVENTS = "events", _("Допомога в проведенні заходів")
    CLUBS = "clubs", _("Клуби за інтересами")
    EXHIBITIONS = "exhibitions", _("Виставки")
    BOOK_REPAIR = "book_repair", _("Ремонт книг")
    SUMMER_READING = "summer_reading", _("Програма літнього читання")
    HOMEWORK = (
        "homework",
        _("Допомога з домашніми завданнями дітям з багатодітних і малозабезпечених сімей"),
    )
    HOME_DELIVERY = "home_delivery", _("Доставка книг додому літнім читачам")
    SENIOR_COMPUTING = "senior_computing", _("Компʼютерні заняття для людей поважного віку")
    VIRTUAL = "virtual", _("Віртуальне волонтерство: соцмережі, оцифрування, онлайн-допомога")


class ApplicationQuerySet(models.QuerySet):
    def for_branch(self, branch_id):
        """Applications that name the library as main or additional preference."""
        also = Application.other_branches.through.objects.filter(
            application_id=OuterRef("pk"), branch_id=branch_id
        )
        return self.filter(Q(branch_id=branch_id) | Exists(also))

    def active(self):
        return self.filter(status=Application.Status.ACTIVE)

    def known_to_branch(self, branch_id):
        """for_branch() plus volunteers who signed up for the library's opportunities: the
        library that runs an activity needs their names to log their hours."""
        signed_up = SignUp.objects.filter(
            volunteer_id=OuterRef("pk"), opportunity__branch_id=branch_id
        )
        return self.filter(Q(pk__in=self.for_branch(branch_id).values("pk")) | Exists(signed_up))


class Application(Workflow, models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Нова")
        CONTACTED = "contacted", _("Звʼязалися")
        ACTIVE = "active", _("Активний волонтер")
        INACTIVE = "inactive", _("Неактивний")
        DECLINED = "declined", _("Відхилено")

    # The whole workflow; application_change_status() refuses anything else.
    TRANSITIONS = {
        Status.NEW: {Status.CONTACTED, Status.DECLINED},
        Status.CONTACTED: {Status.ACTIVE, Status.DECLINED},
        Status.ACTIVE: {Status.INACTIVE},
        Status.INACTIVE: {Status.ACTIVE},
        Status.DECLINED: set(),
    }
    TRANSITION_REFUSAL = _("Анкету в стані «%(current)s» не можна перевести в стан «%(to)s».")
    CLOSED = (Status.INACTIVE, Status.DECLINED)

    name = models.CharField(_("імʼя та прізвище"), max_length=150, db_collation=UK_COLLATION)
    email = models.EmailField(_("е-пошта"), blank=True)
    phone = PhoneField(_("телефон"), max_length=40, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("рік народження"))
    interests = ArrayField(
        models.CharField(max_length=32, choices=Interest.choices),
        verbose_name=_("чим хоче допомагати"),
        default=list,
        blank=True,
    )
    availability = models.CharField(_("коли може допомагати"), max_length=500, blank=True)
    skills = models.TextField(_("що вміє"), max_length=2000, blank=True)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="volunteer_applications",
        verbose_name=_("бібліотека, якій віддає перевагу"),
    )
    other_branches = models.ManyToManyField(
        Branch,
        blank=True,
        related_name="+",
        verbose_name=_("інші бібліотеки, де може допомагати"),
    )
    guardian_name = models.CharField(_("імʼя батьків або опікуна"), max_length=150, blank=True)
    guardian_contact = models.CharField(
        _("контакт батьків або опікуна"), max_length=150, blank=True
    )
    # The guardian's consent as staff recorded it: when, who and how (a paper form's number, a
    # signed letter). A box ticked by the child on the website is not a guardian's consent.
    guardian_consent_at = models.DateTimeField(
        _("згода батьків або опікуна"), null=True, blank=True
    )
    guardian_consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("згоду батьків вніс(ла)"),
    )
    guardian_consent_how = models.CharField(
        _("як отримано згоду батьків"), max_length=200, blank=True, editable=False
    )
    consent_at = models.DateTimeField(_("згода на обробку персональних даних"))
    # Set for paper applications typed in at the desk: who saw the signed consent, and when
    # (consent_at). Empty for the public form, where the applicant ticked the box.
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("паперову згоду прийняв(ла)"),
    )
    applied_on = models.DateField(_("дата анкети"), default=timezone.localdate)
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("стан змінено"), default=timezone.now)
    notes = models.TextField(_("нотатки працівників"), blank=True)
    # Mail goes out in the language the form was filled in.
    language = models.CharField(_("мова"), max_length=8, default="uk", editable=False)
    access_token = models.CharField(
        _("особисте посилання"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("подано"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("анкета волонтера")
        verbose_name_plural = _("анкети волонтерів")
        constraints = [
            # A minor (by year of birth, in the year of the application) names a parent or
            # guardian and how to reach them; their consent is recorded later by staff (and
            # activation waits for it). Anonymised records keep only the year.
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False)
                | Q(birth_year__lte=ExtractYear(F("applied_on")) - ADULT_AGE)
                | (~Q(guardian_name="") & ~Q(guardian_contact="")),
                name="volunteer_minor_names_a_guardian",
                violation_error_message=_(
                    "До 18 років потрібні імʼя й контакт одного з батьків або опікуна."
                ),
            ),
            # Nobody younger than 14; applications of younger children taken before the rule
            # were declined by migration 0009 and stay as declined records.
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False)
                | Q(status="declined")
                | Q(birth_year__lte=ExtractYear(F("applied_on")) - MIN_AGE),
                name="volunteer_at_least_14",
                violation_error_message=_("Волонтерами стають з 14 років."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_label(self):
        """How the audit log names it: by number, never by the person's name."""
        return _("Анкета волонтера № %(number)s") % {"number": self.pk}

    @property
    def is_minor(self):
        return self.birth_year > self.applied_on.year - ADULT_AGE

    def is_minor_on(self, day) -> bool:
        return self.birth_year > day.year - ADULT_AGE

    @property
    def guardian_email(self) -> str:
        """The guardian's contact when it is an e-mail address (it may be a phone number)."""
        contact = self.guardian_contact.strip()
        try:
            validate_email(contact)
        except ValidationError:
            return ""
        return contact

    def get_personal_url(self):
        if not self.access_token:
            return ""
        return reverse("volunteers:me", kwargs={"token": self.access_token})


class OpportunityQuerySet(models.QuerySet):
    def open(self, *, now=None):
        """Published and not over: ongoing ones, or dated ones that have not started yet."""
        now = now or timezone.now()
        return self.filter(is_published=True).filter(
            Q(starts_at__isnull=True) | Q(starts_at__gte=now)
        )


class Opportunity(models.Model):
    """A task a library needs volunteers for: dated (starts_at) or ongoing (no date)."""

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="volunteer_opportunities",
        verbose_name=_("бібліотека"),
    )
    title = models.CharField(_("що потрібно зробити"), max_length=200, db_collation=UK_COLLATION)
    description = models.TextField(_("подробиці"), blank=True)
    activity = models.CharField(_("напрям"), max_length=32, choices=Interest.choices)
    place = models.CharField(_("місце"), max_length=200, blank=True)
    starts_at = models.DateTimeField(
        _("початок"), null=True, blank=True, help_text=_("Порожньо — постійна потреба.")
    )
    ends_at = models.DateTimeField(_("завершення"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("скільки людей потрібно"), default=1)
    taken = models.PositiveSmallIntegerField(_("записалося"), default=0, editable=False)
    is_published = models.BooleanField(_("опубліковано"), default=True)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = [F("starts_at").asc(nulls_last=True), "title"]
        verbose_name = _("потреба у волонтерах")
        verbose_name_plural = _("потреби у волонтерах")
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("places")),
                name="volunteer_opportunity_not_overbooked",
                violation_error_message=_("Записалося більше людей, ніж місць."),
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1),
                name="volunteer_opportunity_places",
                violation_error_message=_("Потрібна щонайменше одна людина."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | (Q(starts_at__isnull=False) & Q(ends_at__gt=F("starts_at"))),
                name="volunteer_opportunity_ends_after_start",
                violation_error_message=_("Завершення має бути пізніше за початок."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # `taken` is not on the form, so the constraint alone would surface as a server error.
        if self.places is not None and self.places < self.taken:
            raise ValidationError(
                {
                    "places": ngettext(
                        "Уже записалася %(taken)d людина: місць не може бути менше.",
                        "Уже записалося %(taken)d людей: місць не може бути менше.",
                        self.taken,
                    )
                    % {"taken": self.taken}
                }
            )

    @property
    def places_left(self):
        return max(self.places - self.taken, 0)

    @property
    def is_ongoing(self):
        return self.starts_at is None

    @property
    def has_started(self):
        return self.starts_at is not None and self.starts_at < timezone.now()


class SignUp(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("потреба")
    )
    volunteer = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="signups", verbose_name=_("волонтер")
    )
    created_at = models.DateTimeField(_("записався"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("нагадано"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("запис волонтера")
        verbose_name_plural = _("записи волонтерів")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "volunteer"], name="volunteer_signup_once"
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} → {self.opportunity}"


class HoursQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved_at__isnull=False)


class HoursEntry(models.Model):
    """Hours a volunteer worked on one activity; they count once staff approve them."""

    # The name after 1, 2 and 5 in Ukrainian (core.counting): pymorphy3 cannot derive it.
    count_forms_uk = (
        "запис годин волонтера",
        "записи годин волонтерів",
        "записів годин волонтерів",
    )

    volunteer = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="hours", verbose_name=_("волонтер")
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="volunteer_hours",
        verbose_name=_("бібліотека"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours",
        verbose_name=_("потреба"),
    )
    activity = models.CharField(_("напрям"), max_length=32, choices=Interest.choices)
    date = models.DateField(_("дата"))
    hours = models.DecimalField(_("годин"), max_digits=4, decimal_places=1)
    description = models.CharField(_("що зроблено"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("підтверджено"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("підтвердив"),
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    objects = HoursQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("години волонтера")
        verbose_name_plural = _("години волонтерів")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0")) & Q(hours__lte=Decimal("24")),
                name="volunteer_hours_in_a_day",
                violation_error_message=_("Від 0,5 до 24 годин за день."),
            ),
        ]

    def __str__(self):
        return f"{self.volunteer}: {self.hours} ({self.date})"

    @property
    def is_approved(self):
        return self.approved_at is not None


class DeliveryRequest(Workflow, models.Model):
    """A reader who cannot come (age, health) asks for books at home."""

    # The name after 1, 2 and 5 in Ukrainian (core.counting): pymorphy3 cannot derive it.
    count_forms_uk = ("доставка книг додому", "доставки книг додому", "доставок книг додому")

    class Status(models.TextChoices):
        NEW = "new", _("Нова")
        ASSIGNED = "assigned", _("Призначено волонтера")
        DELIVERED = "delivered", _("Доставлено")
        CANCELLED = "cancelled", _("Скасовано")

    class Reason(models.TextChoices):
        AGE = "age", _("Поважний вік")
        HEALTH = "health", _("Стан здоровʼя або інвалідність")
        OTHER = "other", _("Інша причина")

    TRANSITIONS = {
        Status.NEW: {Status.ASSIGNED, Status.CANCELLED},
        Status.ASSIGNED: {Status.DELIVERED, Status.CANCELLED, Status.NEW},
        Status.DELIVERED: set(),
        Status.CANCELLED: set(),
    }
    TRANSITION_REFUSAL = _("Заявку в стані «%(current)s» не можна перевести в стан «%(to)s».")
    CLOSED = (Status.DELIVERED, Status.CANCELLED)

    name = models.CharField(_("імʼя читача"), max_length=150, db_collation=UK_COLLATION)
    phone = PhoneField(_("телефон"), max_length=40)
    address = models.CharField(_("адреса доставки"), max_length=250)
    reason = models.CharField(_("чому не може прийти"), max_length=16, choices=Reason.choices)
    wishes = models.TextField(_("які книги хоче"), max_length=2000)
    preferred_time = models.CharField(_("зручний час"), max_length=200, blank=True)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="delivery_requests",
        verbose_name=_("бібліотека"),
    )
    volunteer = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("волонтер"),
    )
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("стан змінено"), default=timezone.now)
    delivered_at = models.DateTimeField(_("доставлено"), null=True, blank=True, editable=False)
    consent_at = models.DateTimeField(_("згода на обробку персональних даних"))
    # Set when staff took the request by phone or at the desk and heard the reader's consent.
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("згоду прийняв(ла)"),
    )
    notes = models.TextField(_("нотатки працівників"), blank=True)
    created_at = models.DateTimeField(_("подано"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("доставка книг додому")
        verbose_name_plural = _("доставка книг додому")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "cancelled"])
                | Q(volunteer__isnull=False)
                | Q(anonymised_at__isnull=False),
                name="volunteer_delivery_has_volunteer",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def audit_label(self):
        """How the audit log names it: by number, never by the person's name."""
        return _("Заявка на доставку № %(number)s") % {"number": self.pk}
