from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.forms import HoneypotMixin
from reference.models import Feedback, Question, Topic


def _branch_label(branch):
    return branch.name


class QuestionForm(HoneypotMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=_("Я згоден (згодна) на обробку моїх даних бібліотекою, щоб отримати відповідь"),
        error_messages={"required": _("Без згоди на обробку даних ми не зможемо відповісти.")},
    )

    class Meta:
        model = Question
        fields = ["topic", "branch", "text", "name", "email", "publish_consent"]
        labels = {
            "topic": _("Тема запитання"),
            "branch": _("Бібліотека, яка відповість"),
            "text": _("Ваше запитання"),
            "name": _("Як до вас звертатися (необовʼязково)"),
            "email": _("Е-пошта для відповіді"),
            "publish_consent": _(
                "Можна опублікувати запитання й відповідь на сайті (без імені та е-пошти)"
            ),
        }
        widgets = {
            "topic": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "topic": {"required": _("Оберіть тему.")},
            "branch": {"required": _("Оберіть бібліотеку.")},
            "text": {"required": _("Напишіть запитання.")},
            "email": {
                "required": _("Залиште е-пошту: на неї надійде відповідь."),
                "invalid": _("Перевірте адресу е-пошти."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.public()
        self.fields["branch"].label_from_instance = _branch_label
        self.fields["branch"].empty_label = _("Оберіть бібліотеку")
        self.fields["topic"].choices = Topic.choices
        self.fields["email"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if "\x00" in text:
            raise forms.ValidationError(_("Запитання містить недопустимі символи."))
        return text

    def service_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class FeedbackForm(HoneypotMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Ваша оцінка"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Оберіть оцінку від 1 до 5.")},
    )
    comment = forms.CharField(
        label=_("Що сподобалося або що варто змінити (необовʼязково)"),
        required=False,
        max_length=Feedback._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Пошук у відповідях"), required=False, max_length=200)

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()
