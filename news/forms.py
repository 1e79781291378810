from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Branch


class NewsFilterForm(forms.Form):
    library = forms.ModelChoiceField(
        label=_("Бібліотека"),
        queryset=Branch.objects.public().order_by("number", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Усі бібліотеки"),
    )
