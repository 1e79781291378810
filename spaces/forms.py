"""Public forms of spaces: the day to look at, the slot chosen, and the booking itself.

`website` on the booking form is a honeypot: people never see it, bots fill it in.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedDateField, HoneypotMixin
from core.phones import PhoneFormField

# Years a visitor may type: past ones get a clear «already passed», far ones «too far ahead».
MIN_YEAR, MAX_YEAR = 2000, 2100


class DayForm(forms.Form):
    date = BoundedDateField(
        label=_("Дата"),
        min_year=MIN_YEAR,
        max_year=MAX_YEAR,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Вкажіть дату у форматі РРРР-ММ-ДД.")},
    )


class SlotForm(forms.Form):
    """The slot a day view's button points at: its date and local starting time."""

    date = BoundedDateField(min_year=MIN_YEAR, max_year=MAX_YEAR)
    time = forms.TimeField(input_formats=["%H:%M"])


class BookingForm(HoneypotMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Організація або група"),
        required=False,
        max_length=200,
        help_text=_(
            "Для групи: школа, клуб, громадська організація. Читачі, що увійшли, можуть "
            "лишити порожнім."
        ),
    )
    name = forms.CharField(
        label=_("Контактна особа"),
        max_length=120,
        error_messages={"required": _("Напишіть, як до вас звертатися.")},
    )
    email = forms.EmailField(
        label=_("Е-пошта"),
        help_text=_("Надішлемо підтвердження й посилання для скасування."),
        error_messages={
            "required": _("Залиште е-пошту: на неї надійде підтвердження."),
            "invalid": _("Перевірте адресу е-пошти: у ній має бути «@» і домен."),
        },
    )
    phone = PhoneFormField(label=_("Телефон"), required=False)
    people = forms.IntegerField(
        label=_("Скільки буде людей"),
        min_value=1,
        max_value=1000,
        initial=1,
        error_messages={
            "required": _("Вкажіть, скільки буде людей."),
            "invalid": _("Вкажіть кількість людей числом."),
            "min_value": _("Має бути хоча б одна людина."),
            "max_value": _("Стільки людей не вмістить жоден простір бібліотеки."),
        },
    )
    purpose = forms.CharField(
        label=_("Для чого (необовʼязково)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=_("Погоджуюся на обробку моїх персональних даних для цього бронювання"),
        error_messages={"required": _("Без згоди на обробку даних ми не можемо забронювати.")},
    )

    def __init__(self, *args, resource, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.signed_in = bool(user is not None and user.is_authenticated)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["people"].widget.attrs["max"] = resource.capacity
        if resource.capacity == 1:
            self.fields["people"].widget = forms.HiddenInput()
        if not self.signed_in:
            self.fields["organisation"].help_text = _(
                "Без входу бронюють групи: напишіть назву школи, клубу чи організації. "
                "Читачі бронюють для себе, увійшовши до кабінету."
            )

    def clean(self):
        cleaned = super().clean()
        if (
            not self.signed_in
            and not cleaned.get("organisation")
            and not self.has_error("organisation")
        ):
            self.add_error(
                "organisation",
                _("Напишіть назву організації або групи чи увійдіть як читач."),
            )
        people = cleaned.get("people")
        if people and people > self.resource.capacity:
            self.add_error(
                "people",
                _("Найбільше людей тут: %(capacity)s.") % {"capacity": self.resource.capacity},
            )
        return cleaned
