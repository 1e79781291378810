"""Public forms: «Хочу стати волонтером!», home delivery, and a volunteer's hours.

The public forms carry a honeypot field `website`: people never see it, bots fill it in.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.forms import HoneypotMixin
from volunteers.models import (
    ADULT_AGE,
    MIN_AGE,
    Application,
    DeliveryRequest,
    HoursEntry,
    Interest,
)

OLDEST = 100
YOUNGEST = MIN_AGE


def _branch_label(branch):
    return branch.name


class ApplicationForm(HoneypotMixin, forms.ModelForm):
    """The website's application. A minor names a parent or guardian; their consent is not a box
    the child could tick here: the library asks them and records it before activation."""

    MINOR_FIELD_MESSAGE = _("Вам менше 18 років: це поле потрібно заповнити.")
    FIELDSETS = [
        (_("Про вас"), ["name", "email", "phone", "birth_year"]),
        (
            _("Як хочете допомагати"),
            ["interests", "availability", "skills", "branch", "other_branches"],
        ),
        (
            _("Для тих, кому менше 18 років"),
            ["guardian_name", "guardian_contact"],
        ),
        (_("Згода"), ["consent", "website"]),
    ]

    interests = forms.MultipleChoiceField(
        label=_("Чим хочете допомагати"),
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Позначте хоча б один напрям, де хотіли б допомагати.")},
    )
    other_branches = forms.ModelMultipleChoiceField(
        label=_("Інші бібліотеки, де теж можете допомагати"),
        queryset=Branch.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_(
            "Я згоден (згодна) на обробку моїх персональних даних бібліотекою для звʼязку щодо "
            "волонтерства"
        ),
        error_messages={"required": _("Без згоди на обробку даних ми не можемо прийняти анкету.")},
    )

    class Meta:
        model = Application
        fields = [
            "name",
            "email",
            "phone",
            "birth_year",
            "interests",
            "availability",
            "skills",
            "branch",
            "other_branches",
            "guardian_name",
            "guardian_contact",
        ]
        labels = {
            "name": _("Імʼя та прізвище"),
            "email": _("Е-пошта"),
            "phone": _("Телефон"),
            "birth_year": _("Рік народження"),
            "availability": _("Коли можете допомагати"),
            "skills": _("Що вмієте й що хотіли б робити"),
            "branch": _("Бібліотека, де найбільше хочете допомагати"),
            "guardian_name": _("Імʼя та прізвище одного з батьків або опікуна"),
            "guardian_contact": _("Телефон або е-пошта батьків чи опікуна"),
        }
        help_texts = {
            "email": _("На неї надішлемо особисте посилання волонтера."),
            "phone": _("Потрібна е-пошта або телефон, щоб ми могли звʼязатися."),
            "availability": _("Наприклад: по суботах зранку, влітку щодня."),
            "guardian_name": _("Лише якщо вам менше 18 років."),
            "guardian_contact": _(
                "Бібліотека попросить у них письмову згоду: без неї волонтерство не почнеться. "
                "На е-пошту батьків надішлемо й ваше особисте посилання."
            ),
        }
        widgets = {
            "skills": forms.Textarea(attrs={"rows": 3}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "name": {"required": _("Напишіть, як до вас звертатися.")},
            "birth_year": {
                "required": _(
                    "Вкажіть рік народження: від нього залежить, чи потрібна згода батьків."
                ),
                "invalid": _("Рік народження — чотири цифри, наприклад 2005."),
            },
            "branch": {"required": _("Оберіть бібліотеку, де хотіли б допомагати.")},
            "email": {"invalid": _("Перевірте адресу е-пошти: у ній має бути «@» і домен.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        branches = Branch.objects.public()
        for name in ("branch", "other_branches"):
            self.fields[name].queryset = branches
            self.fields[name].label_from_instance = _branch_label
        self.fields["branch"].empty_label = _("Оберіть бібліотеку")
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(
            {"min": year - OLDEST, "max": year - YOUNGEST}
        )
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"]
        year = timezone.localdate().year
        if value > year - YOUNGEST:
            raise forms.ValidationError(
                _("Перевірте рік народження: волонтерами стають з %(age)s років.")
                % {"age": YOUNGEST}
            )
        if value < year - OLDEST:
            raise forms.ValidationError(
                _("Перевірте рік народження: напишіть його чотирма цифрами, наприклад %(example)s.")
                % {"example": year - 60}
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error("phone", _("Залиште е-пошту або телефон, щоб ми могли звʼязатися."))
        birth_year = cleaned.get("birth_year")
        if birth_year and birth_year > timezone.localdate().year - ADULT_AGE:
            message = self.MINOR_FIELD_MESSAGE
            for name in ("guardian_name", "guardian_contact"):
                if not cleaned.get(name):
                    self.add_error(name, message)
        return cleaned

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def service_data(self):
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data.pop("other_branches")
        return data


class PaperApplicationForm(ApplicationForm):
    """A paper application typed in by staff at the desk: the same rules as the public form,
    and the consents are the applicant's signatures on paper."""

    MINOR_FIELD_MESSAGE = _("Заявникові менше 18 років: це поле потрібно заповнити.")
    STAFF_LABELS = {
        "interests": _("Чим хоче допомагати"),
        "availability": _("Коли може допомагати"),
        "skills": _("Що вміє й що хотів (хотіла) б робити"),
        "branch": _("Бібліотека, якій віддає перевагу"),
        "other_branches": _("Інші бібліотеки, де може допомагати"),
        "guardian_consent": _("Батьки або опікун підписали згоду на паперовій анкеті"),
        "consent": _("Заявник підписав згоду на обробку персональних даних на паперовій анкеті"),
    }

    # Ticked when the guardian signed the paper form in front of staff: recorded as their
    # consent. Without it the consent is recorded later, before activation.
    guardian_consent = forms.BooleanField(required=False)

    class Meta(ApplicationForm.Meta):
        help_texts = {
            "guardian_name": _("Лише якщо заявникові менше 18 років."),
            "phone": _("Потрібна е-пошта або телефон."),
            "email": _("На неї надішлемо особисте посилання, коли волонтера активують."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        for name, label in self.STAFF_LABELS.items():
            self.fields[name].label = label
        self.fields["consent"].error_messages["required"] = _(
            "Без підписаної згоди на обробку даних анкету не вносимо."
        )
        self.fields["consent"].help_text = _("Збережемо, хто з працівників і коли засвідчив згоду.")

    def service_data(self):
        # Not Meta.fields: the admin builds this form with its own field list.
        data = {
            name: self.cleaned_data[name]
            for name in ApplicationForm.Meta.fields
            if name != "other_branches"
        }
        data["notes"] = self.cleaned_data.get("notes", "")
        return data


class DeliveryRequestForm(HoneypotMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=_("Я згоден (згодна) на обробку цих даних бібліотекою для доставки книг"),
        error_messages={"required": _("Без згоди на обробку даних ми не зможемо привезти книги.")},
    )

    class Meta:
        model = DeliveryRequest
        fields = ["name", "phone", "address", "reason", "wishes", "preferred_time", "branch"]
        labels = {
            "name": _("Імʼя та прізвище читача"),
            "phone": _("Телефон"),
            "address": _("Адреса, куди привезти книги"),
            "reason": _("Чому не можете прийти до бібліотеки"),
            "wishes": _("Які книги чи журнали хотіли б отримати"),
            "preferred_time": _("Коли зручно прийняти волонтера"),
            "branch": _("Найближча бібліотека"),
        }
        widgets = {
            "reason": forms.RadioSelect,
            "wishes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": _("Напишіть, кому привезти книги.")},
            "phone": {"required": _("Залиште телефон: волонтер зателефонує перед приходом.")},
            "address": {"required": _("Напишіть адресу доставки.")},
            "reason": {"required": _("Оберіть причину.")},
            "wishes": {"required": _("Напишіть, що хотіли б почитати: автора, тему чи жанр.")},
            "branch": {"required": _("Оберіть бібліотеку, найближчу до вас.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.public()
        self.fields["branch"].label_from_instance = _branch_label
        self.fields["branch"].empty_label = _("Оберіть бібліотеку")
        self.fields["reason"].choices = DeliveryRequest.Reason.choices
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"

    def service_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HoursForm(forms.ModelForm):
    """A volunteer reports hours from their page; staff approve them later."""

    class Meta:
        model = HoursEntry
        fields = ["date", "hours", "activity", "branch", "description"]
        labels = {
            "date": _("Дата"),
            "hours": _("Скільки годин"),
            "activity": _("Напрям"),
            "branch": _("Бібліотека"),
            "description": _("Що зробили"),
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24"}),
        }
        error_messages = {
            "date": {"required": _("Вкажіть дату."), "invalid": _("Дата у форматі РРРР-ММ-ДД.")},
            "hours": {"required": _("Вкажіть кількість годин.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.public()
        self.fields["branch"].label_from_instance = _branch_label
        self.fields["activity"].choices = [("", _("Оберіть напрям"))] + list(Interest.choices)
        self.fields["activity"].error_messages["required"] = _("Оберіть, чим ви допомагали.")

    def clean_date(self):
        value = self.cleaned_data["date"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("Години вносять за дні, що вже минули."))
        if value < today - timedelta(days=366):
            raise forms.ValidationError(_("Години старші за рік вносить бібліотекар."))
        return value

    def clean_hours(self):
        value = self.cleaned_data["hours"]
        if value <= 0 or value > 24:
            raise forms.ValidationError(_("Від 0,5 до 24 годин за день."))
        return value
