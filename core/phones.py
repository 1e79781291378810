"""Phone numbers, one way for every app: parsed by `phonenumbers` as Ukrainian unless they say
otherwise, stored in E.164 (+380501234567) so that two spellings of one number compare equal
(events allow one active registration per phone), shown the way people in Lutsk write them."""

import re

import phonenumbers
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

REGION = "UA"
# What a person may type: spaces, brackets, dashes and a «+38» around 10–12 digits.
INPUT_MAX_LENGTH = 40
_E164_RE = re.compile(r"\+[1-9]\d{6,14}")
INVALID_MESSAGE = _("Перевірте номер телефону: напишіть його цифрами, наприклад 050 123 45 67.")


def phone_normalize(raw: str) -> str:
    """The number in E.164, or "" when nothing was typed. Raises ValueError for what is not a
    valid phone number (letters, too few or too many digits)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException:
        raise ValueError(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value: str) -> str:
    """A stored number as people read it: nationally (050 123 4567) when Ukrainian,
    internationally otherwise; text that is not a number is shown as it is."""
    try:
        number = phonenumbers.parse(value or "", REGION)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneFormField(forms.CharField):
    """A phone typed any usual way; cleans to E.164 or says in Ukrainian what is wrong."""

    default_error_messages = {"invalid": INVALID_MESSAGE}

    def __init__(self, **kwargs):
        # The model's max_length is for the stored E.164 form, not for the spaces people type.
        kwargs["max_length"] = INPUT_MAX_LENGTH
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel"}))
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def prepare_value(self, value):
        # A stored number (E.164) is shown as people write it, not as +380…; what someone typed
        # comes back exactly as typed when the form has an error elsewhere.
        if isinstance(value, str) and _E164_RE.fullmatch(value):
            return phone_display(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return phone_normalize(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PhoneField(models.CharField):
    """A CharField whose forms (public and admin) take a phone and store it in E.164."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})

    def deconstruct(self):
        # Stored as a plain CharField: the column is the same, so no app needs a migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def phones_normalize_stored(model, *fields) -> None:
    """For data migrations: rewrite numbers typed before this module in E.164; what does not
    parse as a phone stays as it was typed, for staff to read."""
    for row in model._default_manager.only("pk", *fields).iterator():
        changed = {}
        for field in fields:
            value = getattr(row, field)
            try:
                normalized = phone_normalize(value)
            except ValueError:
                continue
            if normalized != value:
                changed[field] = normalized
        if changed:
            model._default_manager.filter(pk=row.pk).update(**changed)
