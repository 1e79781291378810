from django import forms
from django.utils.translation import gettext_lazy as _

from core.portal_search import QUERY_MAX
from lore.models import Place


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Імʼя або слово з довідки"), required=False, max_length=QUERY_MAX)
    writers = forms.BooleanField(label=_("Лише місцеві письменники"), required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class PlacesFilterForm(forms.Form):
    q = forms.CharField(label=_("Назва або слово з опису"), required=False, max_length=QUERY_MAX)
    kind = forms.ChoiceField(label=_("Вид"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Усі види")), *Place.Kind.choices]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
