"""What every public form of the portal shares."""

from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotMixin(forms.Form):
    """Spam resistance without a third-party captcha: people never see `website` (templates
    hide it and it is out of the tab order), bots that fill every field do fill it."""

    website = forms.CharField(
        label=_("Не заповнюйте це поле"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
