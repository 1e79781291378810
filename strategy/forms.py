from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized

FIRST_YEAR = 1990


class _LibraryChoice(forms.ChoiceField):
    """A library chosen by its slug (readable URLs), cleaned to the Branch itself."""

    def __init__(self, *, libraries, **kwargs):
        self.libraries = {library.slug: library for library in libraries}
        super().__init__(**kwargs)

    def clean(self, value):
        slug = super().clean(value)
        return self.libraries.get(slug) if slug else None


def _library_field(libraries):
    choices = [("", _("Уся мережа"))] if len(libraries) > 1 else []
    choices += [(library.slug, localized(library, "name")) for library in libraries]
    return _LibraryChoice(
        libraries=libraries, label=_("Бібліотека"), required=False, choices=choices
    )


class DashboardFilterForm(forms.Form):
    def __init__(self, *args, libraries, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"] = _library_field(libraries)
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Рік"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Усі роки плану"))] + [(y, y) for y in years],
            error_messages={"invalid_choice": _("Оберіть рік із періоду плану.")},
        )
        self.fields["library"].error_messages["invalid_choice"] = _(
            "Такої бібліотеки немає у списку: оберіть зі списку."
        )


class ReportForm(forms.Form):
    """The year and library of the 6-НК report; the year must lie in `first_year`…`last_year`
    (the first plan's start to the current year), and every error says so."""

    year = forms.IntegerField(
        label=_("Рік звіту"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "autocomplete": "off"}),
    )

    def __init__(self, *args, libraries, first_year=FIRST_YEAR, last_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        last_year = last_year or timezone.localdate().year
        self.first_year, self.last_year = first_year, last_year
        allowed = {"first": first_year, "last": last_year}
        field = self.fields["year"]
        field.error_messages["invalid"] = (
            _("Рік — це чотири цифри від %(first)s до %(last)s.") % allowed
        )
        field.validators += [
            MinValueValidator(
                first_year,
                message=_(
                    "Звіт можна скласти лише за роки від %(first)s до %(last)s: "
                    "раніше даних у порталі немає."
                )
                % allowed,
            ),
            MaxValueValidator(
                last_year,
                message=_(
                    "Звіт можна скласти лише за роки від %(first)s до %(last)s: "
                    "цей рік ще не настав."
                )
                % allowed,
            ),
        ]
        self.fields["library"] = _library_field(libraries)
        self.fields["library"].error_messages["invalid_choice"] = _(
            "Такої бібліотеки немає у списку: оберіть зі списку."
        )

    def show_year(self, year):
        """Put the year the page shows into an empty year box."""
        if not self.is_bound:
            self.initial["year"] = year
        elif not self.data.get("year"):
            self.data = self.data.copy()
            self.data["year"] = str(year)
