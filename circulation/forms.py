from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Branch


class HoldPlaceForm(forms.Form):
    pickup_branch = forms.ModelChoiceField(
        label=_("Де забрати"),
        queryset=Branch.objects.public().order_by("sort_order", "name"),
        empty_label=None,
        help_text=_("Коли примірник буде готовий, він чекатиме на вас у цій бібліотеці."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.i18n import localized

        self.fields["pickup_branch"].label_from_instance = lambda branch: localized(branch, "name")
