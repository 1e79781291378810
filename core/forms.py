"""What every public (anonymous) form of the portal shares: the honeypot and one handler that
takes a post through the rate limit, validation, the honeypot and the saving service; and the
form fields whose bounds keep hostile input from reaching the database as a server error."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.ratelimit import rate_reserve


class HoneypotField(forms.CharField):
    """Rendered by its own template: out of sight, out of the tab order, hidden from screen
    readers, so only bots that fill in every field fill it in."""

    def __init__(self, **kwargs):
        # Field.__init__ sets template_name from its argument, so a class attribute is lost.
        kwargs.setdefault("template_name", "core/forms/honeypot.html")
        kwargs.setdefault("label", _("Не заповнюйте це поле"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
        )
        super().__init__(**kwargs)


class HoneypotMixin(forms.Form):
    """Spam resistance without a third-party captcha."""

    website = HoneypotField()

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class BoundedDateField(forms.DateField):
    """A date between 1 January of `min_year` and 31 December of `max_year`. Python reads
    9999-12-31 or 0001-01-01 happily, but the day after, a moment in Kyiv or a database range
    from it overflows: the reader gets a clear form error instead of a server error."""

    default_error_messages = {
        "out_of_range": _("Вкажіть дату від %(first)s до %(last)s."),
    }

    def __init__(self, *, min_year=2000, max_year=2100, **kwargs):
        self.first, self.last = date(min_year, 1, 1), date(max_year, 12, 31)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if widget.attrs.get("type", getattr(widget, "input_type", None)) == "date":
            # The browser's own date picker then refuses the same dates.
            attrs.update(min=self.first.isoformat(), max=self.last.isoformat())
        return attrs

    def validate(self, value):
        super().validate(value)
        if value is not None and not self.first <= value <= self.last:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": f"{self.first:%d.%m.%Y}", "last": f"{self.last:%d.%m.%Y}"},
            )


@dataclass
class Outcome:
    """What became of one visit to a public form, for the view to render."""

    accepted: bool = False
    # A bot filled in the honeypot: it is shown success, and nothing was saved.
    spam: bool = False
    # Refused before reading the form: this address has sent enough for now.
    limited: bool = False
    # The service refused a valid form (e.g. no seats left); its message for the visitor.
    error: str = ""
    refusal: Exception | None = None
    # What `on_valid` returned (a saved registration, booking…).
    result: Any = None
    status: int = 200


def public_form_handle(
    request,
    form: HoneypotMixin,
    *,
    limit_key: str,
    rate: str,
    on_valid: Callable[[HoneypotMixin], Any],
    refusals: tuple[type[Exception], ...] = (),
) -> Outcome:
    """The one way a public form is handled. Only a POST is read. The post first takes a place
    under the address's `rate` limit for `limit_key`; an invalid form, or one whose
    `on_valid(form)` raises one of `refusals`, gives the place back, so only accepted forms
    (bots' included, to slow them down) count. The bound form keeps what was typed and carries
    its errors for the page; nothing is saved for a filled honeypot."""
    if request.method != "POST":
        return Outcome()
    place = rate_reserve(request, group=limit_key, rate=rate)
    if place is None:
        return Outcome(limited=True, status=429)
    if not form.is_valid():
        place.release()
        return Outcome(status=400)
    if form.is_spam:
        return Outcome(accepted=True, spam=True)
    try:
        result = on_valid(form)
    except refusals as refusal:
        place.release()
        return Outcome(error=str(refusal), refusal=refusal, status=409)
    except BaseException:
        place.release()
        raise
    return Outcome(accepted=True, result=result)
