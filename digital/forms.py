from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.portal_search import QUERY_MAX
from digital.models import Collection, DigitalDocument

FIRST_DECADE = 1850


def decade_choices():
    last = timezone.localdate().year // 10 * 10
    return [("", _("Усі роки"))] + [
        (str(decade), _("%(decade)s-ті") % {"decade": decade})
        for decade in range(FIRST_DECADE, last + 1, 10)
    ]


class DocumentFilterForm(forms.Form):
    """The list's search and filters; each is optional, a wrong value is answered plainly."""

    q = forms.CharField(
        label=_("Назва, місце, особи"),
        required=False,
        max_length=QUERY_MAX,
        error_messages={"max_length": _("Запит задовгий: напишіть до %(limit_value)d знаків.")},
    )
    kind = forms.ChoiceField(
        label=_("Вид"),
        required=False,
        choices=[("", _("Усі види")), *DigitalDocument.Kind.choices],
    )
    decade = forms.TypedChoiceField(
        label=_("Десятиліття"), required=False, coerce=int, empty_value=None, choices=()
    )
    collection = forms.ModelChoiceField(
        label=_("Колекція"),
        queryset=Collection.objects.order_by("title"),
        required=False,
        empty_label=_("Усі колекції"),
    )
    library = forms.ModelChoiceField(
        label=_("Бібліотека"),
        queryset=Branch.objects.public().order_by("number", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Усі бібліотеки"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decade"].choices = decade_choices()

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].replace("\x00", "").split())

    def filter(self, documents):
        """`documents` narrowed by what is valid in the form."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            documents = documents.matching(data["q"])
        if data.get("kind"):
            documents = documents.filter(kind=data["kind"])
        if data.get("decade") is not None:
            documents = documents.of_decade(data["decade"])
        if data.get("collection") is not None:
            documents = documents.filter(collection=data["collection"])
        if data.get("library") is not None:
            documents = documents.filter(branch=data["library"])
        return documents
