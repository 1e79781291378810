"""Ukrainian first, English second: how a model's English twin field is chosen."""

from django.utils.translation import get_language


def localized(obj, field: str):
    """`obj.<field>_en` in English when it is filled in, else the Ukrainian `obj.<field>`."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)
