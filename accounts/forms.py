"""The reader's sign-in and online sign-up (pre-registration) forms, for django-allauth."""

from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.backends import card_number_clean
from accounts.models import ReaderProfile
from accounts.services import CONSENT_VERSION, reader_register
from branches.models import Branch
from core.forms import HoneypotMixin
from core.phones import PhoneFormField


class ReaderLoginForm(LoginForm):
    """«Номер читацького квитка або е-пошта»: a number goes to the backends as typed or
    scanned (spaces and dashes dropped)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Номер читацького квитка або е-пошта")
        login.widget.attrs.update(
            {"placeholder": "", "autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].label = _("Пароль")
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Памʼятати мене на цьому пристрої")

    def clean_login(self):
        login = self.cleaned_data["login"].strip()
        return card_number_clean(login) or login


class ReaderSignupForm(HoneypotMixin, SignupForm):
    """Online pre-registration: the card works on the portal at once, and the home library
    confirms it when the reader shows a document there."""

    first_name = forms.CharField(label=_("Імʼя"), max_length=150)
    last_name = forms.CharField(label=_("Прізвище"), max_length=150)
    birth_year = forms.IntegerField(
        label=_("Рік народження"),
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    phone = PhoneFormField(label=_("Телефон"), required=False)
    home_branch = forms.ModelChoiceField(
        label=_("Бібліотека, де ви будете записані"),
        queryset=Branch.objects.public().order_by("name"),
        empty_label=_("Оберіть бібліотеку"),
    )
    guardian_name = forms.CharField(
        label=_("Імʼя одного з батьків або опікуна"),
        max_length=200,
        required=False,
        help_text=_("Обовʼязково для дітей до 14 років."),
    )
    guardian_contact = forms.CharField(
        label=_("Телефон або е-пошта батьків чи опікуна"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "Погоджуюся на обробку моїх персональних даних бібліотекою на умовах, наведених вище"
        ),
        error_messages={"required": _("Без згоди на обробку даних записати не можемо.")},
    )

    # The consent text above the form (accounts/_consent_text.html) states its version.
    consent_version = CONSENT_VERSION

    field_order = [
        "first_name",
        "last_name",
        "birth_year",
        "email",
        "phone",
        "home_branch",
        "guardian_name",
        "guardian_contact",
        "password1",
        "password2",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("email", _("Е-пошта")), ("password1", _("Пароль"))):
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].widget.attrs["placeholder"] = ""
        if "password2" in self.fields:
            self.fields["password2"].label = _("Пароль ще раз")
            self.fields["password2"].widget.attrs["placeholder"] = ""
        self.order_fields(self.field_order)

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("Рік народження не може бути в майбутньому."))
        return year

    def clean(self):
        cleaned = super().clean()
        if self.is_spam:
            raise ValidationError(_("Не вдалося записати. Спробуйте ще раз."))
        if ReaderProfile.needs_guardian(cleaned.get("birth_year")):
            for name in ("guardian_name", "guardian_contact"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(
                        name, _("Дітей до 14 років записують з одним із батьків або опікуном.")
                    )
        return cleaned

    def save(self, request):
        with transaction.atomic():
            user = super().save(request)
            user.first_name = self.cleaned_data["first_name"]
            user.last_name = self.cleaned_data["last_name"]
            user.phone = self.cleaned_data.get("phone") or ""
            user.save(update_fields=["first_name", "last_name", "phone", "preferred_language"])
            reader_register(
                user=user,
                home_branch=self.cleaned_data["home_branch"],
                birth_year=self.cleaned_data["birth_year"],
                guardian_name=self.cleaned_data.get("guardian_name") or "",
                guardian_contact=self.cleaned_data.get("guardian_contact") or "",
                consent_version=CONSENT_VERSION,
            )
        return user
