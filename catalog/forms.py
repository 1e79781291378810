"""Forms of the public catalogue: the search box with its facets, and «Запропонувати придбати»."""

from django import forms
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from catalog.models import OnlineResource, PurchaseSuggestion, Record
from core.forms import HoneypotMixin
from lutsk_cbs.templatetags.portal import localized

YEAR_MIN = 1450

SORT_CHOICES = [
    ("relevance", _("За відповідністю")),
    ("newest", _("Спершу новіші")),
    ("title", _("За назвою")),
]
# The facet filters search_records() understands; the order is the order on the page.
FILTER_KEYS = (
    "branch",
    "available",
    "language",
    "material_type",
    "year_from",
    "year_to",
    "subject",
    "age_rating",
)


def _year_max():
    return timezone.localdate().year + 1


class SearchForm(forms.Form):
    """The catalogue's GET form. A wrong value in one filter is reported and only that filter
    is dropped: the reader still gets results for everything else they asked."""

    q = forms.CharField(label=_("Що шукаєте?"), required=False, max_length=300, strip=True)
    branch = forms.SlugField(label=_("Бібліотека"), required=False, max_length=60)
    available = forms.BooleanField(label=_("Лише те, що є на полиці зараз"), required=False)
    language = forms.CharField(
        label=_("Мова"),
        required=False,
        max_length=3,
        validators=[RegexValidator(r"^[a-z]{2,3}$", _("Код мови — дві або три латинські літери."))],
    )
    material_type = forms.ChoiceField(
        label=_("Вид документа"),
        required=False,
        choices=[("", _("Будь-який")), *Record.MaterialType.choices],
    )
    year_from = forms.IntegerField(label=_("Рік видання від"), required=False, min_value=YEAR_MIN)
    year_to = forms.IntegerField(label=_("Рік видання до"), required=False, min_value=YEAR_MIN)
    subject = forms.IntegerField(label=_("Рубрика"), required=False, min_value=1)
    age_rating = forms.ChoiceField(
        label=_("Вікове обмеження"),
        required=False,
        choices=[("", _("Будь-яке")), *Record.AgeRating.choices],
    )
    sort = forms.ChoiceField(label=_("Упорядкувати"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("year_from", "year_to"):
            self.fields[name].validators.append(MaxValueValidator(_year_max()))
            self.fields[name].widget.attrs.update(
                {"min": YEAR_MIN, "max": _year_max(), "inputmode": "numeric"}
            )

    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from and year_to and year_from > year_to:
            self.add_error("year_to", _("Рік «до» не може бути меншим за рік «від»."))
        return cleaned

    def search_args(self):
        """(query, filters, sort) from what validated; call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        filters = {}
        for key in FILTER_KEYS:
            value = data.get(key)
            if value not in (None, "", False):
                filters[key] = value
        return data.get("q", "") or "", filters, data.get("sort") or "relevance"


class PurchaseSuggestionForm(HoneypotMixin, forms.ModelForm):
    """«Запропонувати придбати»."""

    class Meta:
        model = PurchaseSuggestion
        fields = ["title", "author", "branch", "note", "email", "search_query"]
        labels = {
            "title": _("Назва книги чи іншого документа"),
            "author": _("Автор"),
            "branch": _("У якій бібліотеці хотіли б її взяти"),
            "note": _("Коментар"),
            "email": _("Е-пошта для відповіді (необовʼязково)"),
        }
        help_texts = {
            "email": _("Лише щоб повідомити, чи придбали; видаляємо після відповіді."),
        }
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "search_query": forms.HiddenInput(),
        }
        error_messages = {
            "title": {"required": _("Напишіть назву: без неї ми не знатимемо, що шукати.")},
            "email": {"invalid": _("Перевірте адресу е-пошти: у ній має бути «@» і домен.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.public()
        self.fields["branch"].empty_label = _("Будь-яка")
        self.fields["branch"].label_from_instance = _branch_label
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class ZeroHitReportForm(forms.Form):
    """Filters of the «Незадоволені запити» report: a month and a library."""

    month = forms.ChoiceField(label=_("Місяць"), required=False)
    branch = forms.ModelChoiceField(
        label=_("Бібліотека"),
        queryset=Branch.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Усі бібліотеки"),
    )

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", _("Усі місяці")), *months]
        self.fields["branch"].label_from_instance = _branch_label


def _branch_label(branch):
    return localized(branch, "name")


class ResourceFilterForm(forms.Form):
    """Filters of the online resources directory: a topic and a language."""

    topic = forms.ChoiceField(label=_("Тема"), required=False)
    language = forms.ChoiceField(label=_("Мова"), required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Усі теми")), *OnlineResource.Topic.choices]
        self.fields["language"].choices = [("", _("Усі мови")), *languages]
