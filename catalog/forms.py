"""Forms of the public catalogue (the search box with its facets, «Запропонувати придбати») and
of the librarians' intake and withdrawal pages in the admin."""

from django import forms
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from catalog.models import OnlineResource, PurchaseSuggestion, Record, Withdrawal, normalize_isbn
from catalog.services import parse_inventory_numbers, withdrawal_problems
from core.forms import HoneypotMixin

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
    return branch.name


class ResourceFilterForm(forms.Form):
    """Filters of the online resources directory: a topic and a language."""

    topic = forms.ChoiceField(label=_("Тема"), required=False)
    language = forms.ChoiceField(label=_("Мова"), required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Усі теми")), *OnlineResource.Topic.choices]
        self.fields["language"].choices = [("", _("Усі мови")), *languages]


# --- Staff: intake and withdrawal ---------------------------------------------------------


class IntakeLineForm(forms.Form):
    """One row of «Додати примірники»: a record found by ISBN, title or author, how many
    copies, and the barcodes scanned from them. A row left as the page showed it is skipped."""

    query = forms.CharField(
        label=_("Запис: ISBN, назва або автор"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 40, "autocomplete": "off"}),
    )
    record = forms.ModelChoiceField(
        label=_("Оберіть запис"),
        queryset=Record.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Такого запису в каталозі немає: знайдіть його ще раз."),
        },
    )
    copies = forms.IntegerField(
        label=_("Примірників"),
        min_value=1,
        max_value=500,
        required=False,
        widget=forms.NumberInput(attrs={"size": 4}),
        error_messages={
            "min_value": _("Щонайменше один примірник."),
            "max_value": _("Не більше ніж %(limit_value)s примірників в одному рядку."),
            "invalid": _("Кількість примірників — ціле число."),
        },
    )
    price = forms.DecimalField(
        label=_("Ціна, грн"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"size": 8, "step": "0.01"}),
        error_messages={"invalid": _("Ціна — число гривень, наприклад 120,50.")},
    )
    shelf_mark = forms.CharField(label=_("Шифр зберігання"), max_length=80, required=False)
    barcodes = forms.CharField(
        label=_("Штрихкоди"),
        required=False,
        # A scanner ends each code with Enter: in a text area that is a new line, not a submit.
        widget=forms.Textarea(attrs={"rows": 2, "cols": 16}),
    )

    def clean(self):
        cleaned = super().clean()
        barcodes = tuple(parse_inventory_numbers(cleaned.get("barcodes", "")))
        typed = ("query", "shelf_mark", "copies", "price")
        in_use = barcodes or any(cleaned.get(name) for name in typed)
        if not cleaned.get("record") and in_use and "record" not in self.errors:
            self.add_error(
                "query",
                _(
                    "Оберіть запис: натисніть «Знайти» і виберіть його зі списку "
                    "або створіть новий запис нижче."
                ),
            )
        copies = cleaned.get("copies") or len(barcodes) or 1
        if len(barcodes) > copies:
            self.add_error(
                "barcodes",
                _("Штрихкодів більше, ніж примірників: по одному на примірник."),
            )
        cleaned["copies"] = copies
        cleaned["price"] = cleaned.get("price") or 0
        cleaned["barcodes"] = barcodes
        return cleaned


IntakeLineFormSet = forms.formset_factory(
    IntakeLineForm, extra=3, max_num=200, absolute_max=200, validate_max=True
)


class MinimalRecordForm(forms.Form):
    """A record for a book not yet in the catalogue, with just what is on its title page."""

    # It shares one <form> with the rows: a browser-required title would stop «Додати
    # примірники» too. The server asks for the title when «Створити запис» is pressed.
    use_required_attribute = False

    title = forms.CharField(
        label=_("Назва"),
        max_length=500,
        error_messages={"required": _("Напишіть назву книги.")},
    )
    author = forms.CharField(
        label=_("Автор"),
        max_length=250,
        required=False,
        help_text=_("Як у каталозі: «Прізвище, Імʼя»."),
    )
    year = forms.IntegerField(
        label=_("Рік видання"),
        required=False,
        min_value=YEAR_MIN,
        error_messages={
            "invalid": _("Рік — чотири цифри."),
            "min_value": _("Рік не раніше %(limit_value)s."),
            "max_value": _("Рік не пізніше %(limit_value)s."),
        },
    )
    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=20,
        required=False,
        help_text=_("Можна з дефісами."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(MaxValueValidator(_year_max()))

    def clean_isbn(self):
        value = self.cleaned_data.get("isbn", "")
        return normalize_isbn(value) if value else ""


_ACT_NUMBER_TAKEN = _("Акт списання № %(number)s цієї бібліотеки вже є; дайте новому інший номер.")
_REASON_ERRORS = {
    "required": _("Оберіть причину списання."),
    "invalid_choice": _("Оберіть причину списання зі списку."),
}


class WithdrawalActForm(forms.ModelForm):
    """The act under which copies picked in the list of copies are written off."""

    class Meta:
        model = Withdrawal
        fields = ["act_number", "date", "reason", "note"]
        error_messages = {
            "act_number": {"required": _("Вкажіть номер акта списання.")},
            "date": {"invalid": _("Дата — у вигляді 20.11.2026.")},
            "reason": _REASON_ERRORS,
        }
        widgets = {
            "date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, branch=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch

    def clean_act_number(self):
        number = self.cleaned_data["act_number"].strip()
        if self.branch and Withdrawal.objects.filter(branch=self.branch, act_number=number):
            raise forms.ValidationError(_ACT_NUMBER_TAKEN % {"number": number})
        return number


class WithdrawalForm(forms.ModelForm):
    """«Додати акт списання»: the act and the copies typed or scanned into it."""

    inventory_numbers = forms.CharField(
        label=_("Інвентарні номери або штрихкоди"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("По одному в рядку або через кому; можна сканером штрихкодів."),
        error_messages={"required": _("Вкажіть примірники, які списуєте.")},
    )

    class Meta:
        model = Withdrawal
        fields = ["branch", "date", "act_number", "reason", "note"]
        error_messages = {
            "branch": {
                "required": _("Оберіть бібліотеку."),
                "invalid_choice": _("Оберіть свою бібліотеку зі списку."),
            },
            "act_number": {"required": _("Вкажіть номер акта списання.")},
            "date": {"invalid": _("Дата — у вигляді 20.11.2026.")},
            "reason": _REASON_ERRORS,
        }

    def clean(self):
        cleaned = super().clean()
        branch = cleaned.get("branch")
        numbers = parse_inventory_numbers(cleaned.get("inventory_numbers", ""))
        if branch and numbers:
            _items, problems = withdrawal_problems(branch=branch, inventory_numbers=numbers)
            if problems:
                self.add_error("inventory_numbers", problems)
        cleaned["inventory_numbers"] = numbers
        return cleaned

    def validate_unique(self):
        # The (library, act number) constraint, said the way a librarian would say it.
        branch, number = self.cleaned_data.get("branch"), self.cleaned_data.get("act_number")
        if branch and number and Withdrawal.objects.filter(branch=branch, act_number=number):
            self.add_error("act_number", _ACT_NUMBER_TAKEN % {"number": number})
