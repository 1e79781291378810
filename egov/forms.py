"""Public forms of the help desk: guide search, «Попросити допомогу», booking a slot.

`website` on the public forms is a honeypot: people never see it, bots fill it in.
"""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.forms import HoneypotMixin
from core.phones import PhoneFormField, phone_normalize
from egov.models import Slot, Topic


def _branch_label(branch):

    return branch.name


def egov_branches():
    return Branch.objects.public().filter(services__slug="egov-point")


class GuideSearchForm(forms.Form):
    q = forms.CharField(label=_("Пошук в інструкціях"), required=False, max_length=200)
    topic = forms.ModelChoiceField(
        label=_("Тема"),
        queryset=Topic.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Усі теми"),
    )


class HelpRequestForm(HoneypotMixin, forms.Form):
    topic = forms.ModelChoiceField(
        label=_("З чим потрібна допомога"),
        queryset=Topic.objects.all(),
        empty_label=_("Оберіть тему"),
        error_messages={"required": _("Оберіть тему, щоб ми знали, хто вам допоможе.")},
    )
    branch = forms.ModelChoiceField(
        label=_("У якій бібліотеці"),
        queryset=Branch.objects.none(),
        empty_label=_("Оберіть бібліотеку"),
        error_messages={"required": _("Оберіть бібліотеку, куди вам зручно прийти.")},
    )
    preferred_time = forms.CharField(
        label=_("Коли вам зручно"),
        required=False,
        max_length=120,
        help_text=_("Наприклад: у вівторок після 15:00."),
    )
    description = forms.CharField(
        label=_("Коротко опишіть, що треба зробити"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Опишіть коротше: до 1000 знаків.")},
    )
    name = forms.CharField(
        label=_("Як до вас звертатися"),
        max_length=120,
        error_messages={"required": _("Напишіть, як до вас звертатися.")},
    )
    contact = forms.CharField(
        label=_("Телефон або е-пошта"),
        max_length=120,
        help_text=_("Лише щоб домовитися про зустріч; видаляємо після закриття запиту."),
        error_messages={"required": _("Залиште телефон або е-пошту, щоб ми могли звʼязатися.")},
    )
    consent = forms.BooleanField(
        label=_("Погоджуюся на обробку моїх персональних даних для відповіді на цей запит"),
        error_messages={"required": _("Без згоди на обробку даних ми не можемо прийняти запит.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = egov_branches()
        self.fields["branch"].label_from_instance = _branch_label
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        if "@" in contact:
            try:
                validate_email(contact)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Перевірте адресу е-пошти: у ній має бути «@» і домен.")
                ) from None
            return contact
        try:
            return phone_normalize(contact)
        except ValueError:
            raise forms.ValidationError(
                _("Напишіть номер телефону (наприклад, 050 123 45 67) або адресу е-пошти.")
            ) from None


class SlotFilterForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=_("Бібліотека"),
        queryset=Branch.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Усі бібліотеки"),
    )
    kind = forms.ChoiceField(
        label=_("Вид консультації"),
        required=False,
        choices=[("", _("Усі види")), *Slot.Kind.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = egov_branches()
        self.fields["branch"].label_from_instance = _branch_label


class BookingForm(HoneypotMixin, forms.Form):
    name = forms.CharField(
        label=_("Як до вас звертатися"),
        max_length=120,
        error_messages={"required": _("Напишіть, як до вас звертатися.")},
    )
    email = forms.EmailField(
        label=_("Е-пошта"),
        required=False,
        help_text=_("Надішлемо підтвердження, нагадування напередодні й посилання для скасування."),
        error_messages={"invalid": _("Перевірте адресу е-пошти: у ній має бути «@» і домен.")},
    )
    phone = PhoneFormField(label=_("Телефон"), required=False)
    note = forms.CharField(
        label=_("З чим потрібна допомога"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=_("Погоджуюся на обробку моїх персональних даних для цього запису"),
        error_messages={"required": _("Без згоди на обробку даних ми не можемо вас записати.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        cleaned = super().clean()
        typed_none = not cleaned.get("email") and not cleaned.get("phone")
        if typed_none and not self.has_error("email") and not self.has_error("phone"):
            self.add_error("email", _("Залиште е-пошту або телефон, щоб ми могли вас попередити."))
        return cleaned
