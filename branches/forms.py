"""Public forms of the library network: a group's tour request and «Біля мене» (where the
reader is, to sort the libraries by distance)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import TourRequest
from branches.places import PLACES
from core.forms import BoundedDateField, HoneypotMixin
from core.phones import PhoneFormField


class TourRequestForm(HoneypotMixin, forms.Form):
    group_name = forms.CharField(
        label=_("Група"),
        max_length=200,
        help_text=_("Наприклад: 7-Б клас ліцею № 5 або туристична група з Рівного."),
        error_messages={"required": _("Напишіть, яка група прийде.")},
    )
    kind = forms.ChoiceField(
        label=_("Хто прийде"),
        choices=TourRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть, хто прийде.")},
    )
    people = forms.IntegerField(
        label=_("Скільки осіб"),
        min_value=1,
        max_value=TourRequest.MAX_PEOPLE,
        error_messages={
            "required": _("Вкажіть, скільки осіб прийде."),
            "invalid": _("Вкажіть кількість осіб числом."),
            "min_value": _("Прийде щонайменше одна особа."),
            "max_value": _(
                "Бібліотека приймає до %(limit_value)s осіб за раз; велику групу поділіть."
            ),
        },
    )
    preferred_date = BoundedDateField(
        label=_("Бажана дата"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Вкажіть бажану дату."),
            "invalid": _("Вкажіть дату у форматі ДД.ММ.РРРР."),
        },
    )
    alternative_date = BoundedDateField(
        label=_("Інша можлива дата (необовʼязково)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Вкажіть дату у форматі ДД.ММ.РРРР.")},
    )
    tour_language = forms.ChoiceField(
        label=_("Мова екскурсії"),
        choices=TourRequest.Language.choices,
        initial=TourRequest.Language.UK,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(
        label=_("Контактна особа"),
        max_length=150,
        error_messages={"required": _("Напишіть, як до вас звертатися.")},
    )
    email = forms.EmailField(
        label=_("Е-пошта"),
        required=False,
        help_text=_("Надішлемо підтвердження й посилання, де видно стан заявки."),
        error_messages={"invalid": _("Перевірте адресу е-пошти: у ній має бути «@» і домен.")},
    )
    phone = PhoneFormField(label=_("Телефон"), required=False)
    note = forms.CharField(
        label=_("Побажання (необовʼязково)"),
        required=False,
        max_length=1000,
        help_text=_("Наприклад: вік дітей, що цікавить, чи потрібен вхід без сходинок."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("Погоджуюся на обробку моїх персональних даних для цієї заявки"),
        error_messages={"required": _("Без згоди на обробку даних ми не можемо прийняти заявку.")},
    )

    SERVICE_FIELDS = [
        "group_name",
        "kind",
        "people",
        "preferred_date",
        "alternative_date",
        "tour_language",
        "contact_name",
        "email",
        "phone",
        "note",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["group_name"].widget.attrs["autocomplete"] = "off"

    def _future(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(
                _("Оберіть дату, не раніше ніж завтра: бібліотеці треба підготуватися.")
            )
        if day is not None and day > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError(_("Заявки приймаємо не більше ніж на рік наперед."))
        return day

    def clean_preferred_date(self):
        return self._future("preferred_date")

    def clean_alternative_date(self):
        return self._future("alternative_date")

    def clean(self):
        cleaned = super().clean()
        typed_none = not cleaned.get("email") and not cleaned.get("phone")
        if typed_none and not self.has_error("email") and not self.has_error("phone"):
            self.add_error("email", _("Залиште е-пошту або телефон, щоб ми могли відповісти."))
        return cleaned

    def service_data(self):
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}


class NearForm(forms.Form):
    """Where the reader is: a part of the city chosen from the list, or coordinates (typed,
    or filled in by the browser when the reader presses «Біля мене»). Nothing is stored."""

    place = forms.ChoiceField(label=_("Я в районі"), required=False)
    lat = forms.FloatField(
        label=_("Широта"),
        required=False,
        min_value=-90,
        max_value=90,
        localize=True,
        error_messages={
            "invalid": _("Широту вкажіть числом, наприклад 50,7472."),
            "min_value": _("Широта — число від -90 до 90."),
            "max_value": _("Широта — число від -90 до 90."),
        },
    )
    lon = forms.FloatField(
        label=_("Довгота"),
        required=False,
        min_value=-180,
        max_value=180,
        localize=True,
        error_messages={
            "invalid": _("Довготу вкажіть числом, наприклад 25,3254."),
            "min_value": _("Довгота — число від -180 до 180."),
            "max_value": _("Довгота — число від -180 до 180."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("— оберіть —"))] + [
            (slug, place.label) for slug, place in PLACES.items()
        ]
        self.fields["place"].error_messages["invalid_choice"] = _("Оберіть район зі списку.")

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if self.errors:
            return cleaned
        if (lat is None) != (lon is None):
            raise forms.ValidationError(
                _("Вкажіть і широту, і довготу — або оберіть район зі списку.")
            )
        return cleaned

    def point(self):
        """(lat, lon) as floats, or None when the reader gave no valid place."""
        if not self.is_bound or not self.is_valid():
            return None
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        if lat is not None and lon is not None:
            return lat, lon
        place = self.cleaned_data.get("place")
        if place:
            return PLACES[place].lat, PLACES[place].lon
        return None
