"""Public forms: calendar filters, event registration, joining a club."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.forms import BoundedDateField, HoneypotMixin
from core.phones import PhoneFormField
from events.models import Audience, Event

BAD_DATE = _("Не вдалося прочитати дату. Оберіть її в календарі або напишіть як 2026-12-01.")


class CalendarFilterForm(forms.Form):
    """GET filters of the calendar. A wrong value drops only that filter, with a message."""

    q = forms.CharField(label=_("Назва або тема"), required=False, max_length=200)
    branch = forms.ModelChoiceField(
        label=_("Бібліотека"),
        queryset=Branch.objects.public(),
        required=False,
        to_field_name="slug",
        empty_label=_("Усі бібліотеки"),
    )
    kind = forms.ChoiceField(label=_("Вид заходу"), required=False)
    audience = forms.ChoiceField(label=_("Для кого"), required=False)
    date_from = BoundedDateField(
        label=_("Від дати"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": BAD_DATE},
    )
    date_to = BoundedDateField(
        label=_("До дати"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": BAD_DATE},
    )
    free_only = forms.BooleanField(label=_("Тільки з вільними місцями"), required=False)
    no_meetings = forms.BooleanField(label=_("Без регулярних занять клубів і шкіл"), required=False)

    FILTERS = (
        "q",
        "branch",
        "kind",
        "audience",
        "date_from",
        "date_to",
        "free_only",
        "no_meetings",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Усі види")), *Event.Kind.choices]
        self.fields["audience"].choices = [("", _("Усі")), *Audience.choices]
        self.fields["branch"].label_from_instance = lambda branch: branch.name

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("Дата «до» (%(end)s) раніше за дату «від» (%(start)s): виправте одну з них.")
                % {"end": f"{end:%d.%m.%Y}", "start": f"{start:%d.%m.%Y}"},
            )
        return cleaned

    @property
    def date_errors(self):
        return self.is_bound and (self.has_error("date_from") or self.has_error("date_to"))

    def filters(self):
        """The valid filters. A wrong date drops both dates: half a range misleads."""
        data = getattr(self, "cleaned_data", {})
        keys = self.FILTERS
        if self.date_errors:
            keys = [key for key in keys if not key.startswith("date")]
        return {key: data[key] for key in keys if data.get(key) not in (None, "", False)}


class ClubSearchForm(forms.Form):
    q = forms.CharField(label=_("Назва або тема"), required=False, max_length=200)

    def query(self):
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class ContactFields(forms.Form):
    name = forms.CharField(
        label=_("Імʼя та прізвище"),
        max_length=150,
        error_messages={"required": _("Напишіть, як до вас звертатися.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Е-пошта"),
        required=False,
        error_messages={"invalid": _("Перевірте адресу е-пошти: у ній має бути «@» і домен.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Сюди надішлемо підтвердження, нагадування і посилання для скасування."),
    )
    phone = PhoneFormField(
        label=_("Телефон"),
        required=False,
        help_text=_(
            "Якщо залишите лише телефон, про зміни чи скасування вам зателефонують; "
            "листів і нагадувань не буде."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "Погоджуюся, щоб бібліотека зберігала мої імʼя та контакт, аби звʼязатися щодо "
            "цього заходу."
        ),
        error_messages={"required": _("Без згоди ми не можемо зберегти вашу реєстрацію.")},
    )

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("email") and not cleaned.get("phone")
        if missing and not self.has_error("email") and not self.has_error("phone"):
            self.add_error("email", _("Залиште е-пошту або телефон."))
        return cleaned


class RegistrationForm(HoneypotMixin, ContactFields):
    seats = forms.TypedChoiceField(label=_("Скільки місць"), coerce=int, initial=1)

    field_order = ["name", "email", "phone", "seats", "consent", "website"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats"].choices = [
            (number, str(number)) for number in range(1, event.max_seats_per_registration + 1)
        ]
        if event.max_seats_per_registration > 1:
            self.fields["seats"].help_text = _("Родина чи група може взяти кілька місць.")
        free = event.seats_open
        if free and free < event.max_seats_per_registration:
            self.fields["seats"].help_text = _(
                "Вільних місць зараз: %(free)s. Якщо попросите більше, уся реєстрація стане в "
                "лист очікування."
            ) % {"free": free}


class ClubJoinForm(HoneypotMixin, ContactFields):
    field_order = ["name", "email", "phone", "consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Сюди напишемо про розклад і зміни.")
        self.fields["consent"].label = _(
            "Погоджуюся, щоб бібліотека зберігала мої імʼя та контакт, доки я беру участь у "
            "клубі чи школі."
        )
