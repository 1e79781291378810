from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from stdnum import luhn

from branches.models import Branch
from core.phones import PhoneField


class User(AbstractUser):
    """The portal's user: readers and staff alike. Custom from the first migration."""

    email = models.EmailField(_("е-пошта"), blank=True)
    phone = PhoneField(_("телефон"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("мова листів"),
        max_length=8,
        choices=[("uk", "Українська"), ("en", "English")],
        default="uk",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("користувач")
        verbose_name_plural = _("користувачі")


class StaffProfile(models.Model):
    class Role(models.TextChoices):
        LIBRARIAN = "librarian", _("Бібліотекар")
        BRANCH_HEAD = "branch_head", _("Завідувач філії")
        METHODOLOGIST = "methodologist", _("Методист")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("користувач")
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("бібліотека"),
        help_text=_("Порожньо лише для методистів, які працюють з усією мережею."),
    )
    role = models.CharField(_("посада"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("профіль працівника")
        verbose_name_plural = _("профілі працівників")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="methodologist") | models.Q(branch__isnull=False),
                name="branch_staff_have_a_branch",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"

    @property
    def is_network_wide(self):
        return self.role == self.Role.METHODOLOGIST


def validate_card_number(value):
    if not value.isdigit() or len(value) != 10 or not luhn.is_valid(value):
        raise ValidationError(
            _("Номер читацького квитка — 10 цифр з контрольною цифрою наприкінці."),
            code="invalid_card_number",
        )


# The running number behind card numbers (migration 0004 creates it).
CARD_SEQUENCE = "accounts_reader_card_seq"

# Children registered online up to this age (in the year of registration) need a parent or
# guardian: with a birth year only, a child who is 14 this year may still be 13.
GUARDIAN_UNTIL_AGE = 14


class ReaderProfileQuerySet(models.QuerySet):
    def pre_registered(self):
        return self.filter(status=ReaderProfile.Status.PRE_REGISTERED)

    def counted(self):
        """Readers the statistics count: not those only pre-registered online."""
        return self.exclude(status=ReaderProfile.Status.PRE_REGISTERED)


class ReaderProfile(models.Model):
    """A reader's library card: who the reader is, as much as a public library records."""

    class Category(models.TextChoices):
        CHILD = "child", _("Дитина (до 14 років)")
        YOUTH = "youth", _("Юнацтво (15–21)")
        ADULT = "adult", _("Дорослий")
        SENIOR = "senior", _("Людина поважного віку")
        SPECIAL_NEEDS = "special_needs", _("Людина з особливими потребами")

    class Status(models.TextChoices):
        PRE_REGISTERED = "pre_registered", _("Попередньо записаний")
        ACTIVE = "active", _("Записаний")
        LEFT = "left", _("Вибув")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="reader_profile", verbose_name=_("читач")
    )
    card_number = models.CharField(
        _("номер читацького квитка"),
        max_length=10,
        unique=True,
        validators=[validate_card_number],
    )
    home_branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="readers",
        verbose_name=_("бібліотека запису"),
    )
    category = models.CharField(
        _("категорія"),
        max_length=20,
        choices=Category.choices,
        help_text=_("Визначається за роком народження; змініть для людини з особливими потребами."),
    )
    birth_year = models.PositiveSmallIntegerField(_("рік народження"), null=True, blank=True)
    guardian_name = models.CharField(_("батьки або опікун"), max_length=200, blank=True)
    guardian_contact = models.CharField(
        _("контакт батьків або опікуна"), max_length=200, blank=True
    )
    status = models.CharField(
        _("стан"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    document_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("документ перевірив"),
    )
    document_checked_on = models.DateField(_("документ перевірено"), null=True, blank=True)
    reregistered_on = models.DateField(_("перереєстрація"), null=True, blank=True)
    left_on = models.DateField(_("вибув"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("згода на обробку персональних даних"))
    consent_version = models.CharField(_("версія тексту згоди"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("записаний"), auto_now_add=True)
    keeps_reading_history = models.BooleanField(
        _("зберігати історію читання"),
        default=False,
        help_text=_(
            "Лише за бажанням читача: інакше після повернення книжки бібліотека не зберігає, "
            "хто її брав."
        ),
    )

    objects = ReaderProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("читач")
        verbose_name_plural = _("читачі")

    def __str__(self):
        return f"{self.card_number} — {self.user.get_full_name() or self.user.username}"

    @property
    def audit_label(self):
        return _("Читач № %(card)s") % {"card": self.card_number}

    @property
    def is_pre_registered(self):
        return self.status == self.Status.PRE_REGISTERED

    @staticmethod
    def card_number_for(sequence: int) -> str:
        """Nine digits of a running number plus the Luhn check digit, as printed on cards."""
        body = f"{sequence:09d}"
        return body + luhn.calc_check_digit(body)

    @classmethod
    def card_number_next(cls) -> str:
        """The next card number from the database sequence: unique under concurrent sign-ups.
        A number already given by hand (cards written before the sequence) is skipped."""
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT nextval(%s)", [CARD_SEQUENCE])
                number = cls.card_number_for(cursor.fetchone()[0])
                if not cls.objects.filter(card_number=number).exists():
                    return number

    @staticmethod
    def age_in(year: int, birth_year: int) -> int:
        """The age a person born in `birth_year` reaches during `year`."""
        return year - birth_year

    @classmethod
    def category_for_birth_year(cls, birth_year: int | None, *, today: date | None = None):
        """The 6-НК category a birth year gives (children up to 14, youth 15–21, adults,
        people of venerable age from 60); None when the year is unknown."""
        if birth_year is None:
            return None
        age = cls.age_in((today or date.today()).year, birth_year)
        if age <= 14:
            return cls.Category.CHILD
        if age <= 21:
            return cls.Category.YOUTH
        if age < 60:
            return cls.Category.ADULT
        return cls.Category.SENIOR

    @classmethod
    def needs_guardian(cls, birth_year: int | None, *, today: date | None = None) -> bool:
        if birth_year is None:
            return False
        return cls.age_in((today or date.today()).year, birth_year) <= GUARDIAN_UNTIL_AGE
