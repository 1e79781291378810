from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
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


class ReaderProfile(models.Model):
    """A reader's library card. Sign-up and the printable card arrive with the catalogue."""

    class Category(models.TextChoices):
        CHILD = "child", _("Дитина (до 14 років)")
        YOUTH = "youth", _("Юнацтво (15–21)")
        ADULT = "adult", _("Дорослий")
        SENIOR = "senior", _("Людина поважного віку")
        SPECIAL_NEEDS = "special_needs", _("Людина з особливими потребами")

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
    category = models.CharField(_("категорія"), max_length=20, choices=Category.choices)
    consent_given_at = models.DateTimeField(_("згода на обробку персональних даних"))
    created_at = models.DateTimeField(_("записаний"), auto_now_add=True)
    keeps_reading_history = models.BooleanField(
        _("зберігати історію читання"),
        default=False,
        help_text=_(
            "Лише за бажанням читача: інакше після повернення книжки бібліотека не зберігає, "
            "хто її брав."
        ),
    )

    class Meta:
        verbose_name = _("читач")
        verbose_name_plural = _("читачі")

    def __str__(self):
        return f"{self.card_number} — {self.user.get_full_name() or self.user.username}"

    @staticmethod
    def card_number_for(sequence: int) -> str:
        """Nine digits of a running number plus the Luhn check digit, as printed on cards."""
        body = f"{sequence:09d}"
        return body + luhn.calc_check_digit(body)
