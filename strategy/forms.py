from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lutsk_cbs.templatetags.portal import localized

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
    year = forms.IntegerField(
        label=_("Рік звіту"),
        required=False,
        min_value=FIRST_YEAR,
        error_messages={
            "invalid": _("Рік — це чотири цифри, наприклад 2021."),
            "min_value": _("Звіти починаються з %(limit_value)s року."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "autocomplete": "off"}),
    )

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(
            MaxValueValidator(
                timezone.localdate().year,
                message=_("Звіт можна скласти лише за рік, що вже настав."),
            )
        )
        self.fields["library"] = _library_field(libraries)
        self.fields["library"].error_messages["invalid_choice"] = _(
            "Такої бібліотеки немає у списку: оберіть зі списку."
        )
