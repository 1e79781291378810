from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategy.models import ReportRow

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
    choices += [(library.slug, library.name) for library in libraries]
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


FLAG_CHOICES = [("", _("не вказано")), ("1", _("так")), ("0", _("ні"))]
MAX_COUNT = 10**9


def _row_field(row):
    label = f"{row.number:02d}. {row.display_label}"
    if row.kind == "flag":
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=FLAG_CHOICES,
            coerce=int,
            empty_value=None,
            error_messages={"invalid_choice": _("Оберіть «так» або «ні».")},
        )
    if row.kind == "amount":
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=0,
            max_digits=14,
            decimal_places=2,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
            error_messages={
                "invalid": _("Число, наприклад 1250,50."),
                "min_value": _("Число не може бути відʼємним."),
                "max_digits": _("Завелике число."),
                "max_whole_digits": _("Завелике число."),
                "max_decimal_places": _("Не більше двох знаків після коми."),
            },
        )
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10}),
        error_messages={
            "invalid": _("Ціле число без коми, наприклад 12."),
            "min_value": _("Число не може бути відʼємним."),
            "max_value": _("Завелике число."),
        },
    )


class ReportFiguresForm(forms.Form):
    """The hand-entered rows of form 6-НК for one library and year, one field per row, laid out
    by section. An empty field means «not known» and clears a figure entered before. A «з них»
    row may not exceed the hand-entered row it belongs to."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.is_manual]
        self.parents = {}
        belongs_to = {}
        above = {}  # level → the latest row at that level
        for row in rows:
            above[row.level] = row
            parent = above.get(row.level - 1) if row.level else None
            if parent is not None:
                belongs_to[row.number] = parent
            if (
                row.is_manual
                and parent is not None
                and parent.is_manual
                and parent.kind == row.kind
            ):
                self.parents[row.number] = parent
            for deeper in [level for level in above if level > row.level]:
                del above[deeper]
        for row in self.rows:
            field = _row_field(row)
            whole = belongs_to.get(row.number)
            if whole is not None:
                # «з них для користувачів» says little on its own, away from the form's table.
                field.help_text = _("Частина рядка %(number)02d «%(label)s».") % {
                    "number": whole.number,
                    "label": whole.display_label,
                }
            self.fields[self.field_name(row)] = field

    @staticmethod
    def field_name(row):
        return f"row_{row.number}"

    def sections(self):
        titles = dict(ReportRow.Section.choices)
        grouped = {}
        for row in self.rows:
            grouped.setdefault(row.section, []).append(self[self.field_name(row)])
        return [(titles[number], fields) for number, fields in sorted(grouped.items())]

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            parent = self.parents.get(row.number)
            if parent is None:
                continue
            value = cleaned.get(self.field_name(row))
            total = cleaned.get(self.field_name(parent))
            if value is not None and total is not None and value > total:
                self.add_error(
                    self.field_name(row),
                    _(
                        "Більше, ніж у рядку %(number)02d (%(total)s): "
                        "частина не може перевищувати цілого."
                    )
                    % {"number": parent.number, "total": total},
                )
        return cleaned

    def values(self):
        """{metric: value or None} of every hand-entered row."""
        return {row.metric: self.cleaned_data.get(self.field_name(row)) for row in self.rows}
