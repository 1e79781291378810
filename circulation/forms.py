"""Lending forms: placing a hold, the circulation desk and the reader's lending section."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Branch

# Longer than any card number, barcode or inventory number: a scanner that sends garbage
# gets a clear message, not a database error.
CODE_MAX_LENGTH = 40


class ScanForm(forms.Form):
    """The desk's one field: a card number, a barcode or an inventory number, then Enter."""

    code = forms.CharField(
        label=_("Штрихкод або номер"),
        max_length=CODE_MAX_LENGTH,
        strip=True,
        error_messages={"required": _("Відскануйте або введіть номер.")},
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if "\x00" in code:
            raise forms.ValidationError(_("Номер містить недозволені символи."), code="invalid")
        return code.replace(" ", "")


class DeskBranchForm(forms.Form):
    """A methodologist (network-wide) chooses the library whose desk they work at."""

    branch = forms.ModelChoiceField(
        label=_("Бібліотека"),
        queryset=Branch.objects.order_by("name"),
        empty_label=None,
    )


class PickupForm(forms.Form):
    pickup_branch = forms.ModelChoiceField(
        label=_("Де забрати"),
        queryset=Branch.objects.order_by("name"),
        empty_label=None,
    )


class HoldPlaceForm(forms.Form):
    pickup_branch = forms.ModelChoiceField(
        label=_("Де забрати"),
        queryset=Branch.objects.public().order_by("sort_order", "name"),
        empty_label=None,
        help_text=_("Коли примірник буде готовий, він чекатиме на вас у цій бібліотеці."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["pickup_branch"].label_from_instance = lambda branch: branch.name
