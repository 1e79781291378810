from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.forms import HoneypotMixin
from core.i18n import is_untranslated
from reference.models import Feedback, Question, SurveyQuestion, Topic


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


def _text(obj):
    """A question's or variant's text in the page's language; a Ukrainian fallback on an
    English page is marked lang="uk"."""
    if is_untranslated(obj, "text"):
        return format_html('<span lang="uk">{}</span>', obj.text)
    return obj.text


# The answer a short text question takes at most.
SURVEY_TEXT_LENGTH = 1000


class SurveyForm(HoneypotMixin, forms.Form):
    """A survey's questions as a form: a field «q<id>» for each, in order. A network survey
    also asks (not required) which library the reader visits, for the results per library."""

    def __init__(self, *args, survey, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = {}
        for question in questions:
            name = f"q{question.pk}"
            self.questions[name] = question
            self.fields[name] = self._field(question)
        if survey.branch_id is None:
            self.fields["library"] = forms.ModelChoiceField(
                label=_("Бібліотека, яку ви відвідуєте"),
                queryset=Branch.objects.public(),
                required=False,
                empty_label=_("Не вказувати"),
            )
            self.fields["library"].label_from_instance = _branch_label
        # The honeypot last, as on the other forms.
        self.fields["website"] = self.fields.pop("website")

    @staticmethod
    def _field(question):
        common = {"label": _text(question), "required": question.required}
        kind = question.kind
        if kind == SurveyQuestion.Kind.SCALE:
            return forms.TypedChoiceField(
                choices=[(n, str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 — зовсім ні, 5 — повністю так."),
                error_messages={
                    "required": _("Оберіть оцінку від 1 до 5."),
                    "invalid_choice": _("Оберіть оцінку від 1 до 5."),
                },
                **common,
            )
        # Plain choices from the prefetched variants: no query per field, none to validate.
        choices = [(str(choice.pk), _text(choice)) for choice in question.choices.all()]
        if kind == SurveyQuestion.Kind.ONE:
            return forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Оберіть один варіант."),
                    "invalid_choice": _("Оберіть один із запропонованих варіантів."),
                },
                **common,
            )
        if kind == SurveyQuestion.Kind.SEVERAL:
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Можна обрати кілька."),
                error_messages={
                    "required": _("Оберіть хоча б один варіант."),
                    "invalid_choice": _("Оберіть із запропонованих варіантів."),
                    "invalid_list": _("Оберіть із запропонованих варіантів."),
                },
                **common,
            )
        return forms.CharField(
            max_length=SURVEY_TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={
                "required": _("Напишіть відповідь."),
                "max_length": _("Відповідь задовга: не більше %(limit_value)d символів."),
            },
            **common,
        )

    def clean(self):
        cleaned = super().clean()
        for name, question in self.questions.items():
            value = cleaned.get(name)
            if question.kind == SurveyQuestion.Kind.TEXT and isinstance(value, str):
                if "\x00" in value:
                    self.add_error(name, _("Відповідь містить недопустимі символи."))
                else:
                    cleaned[name] = value.strip()
        return cleaned

    def answers(self) -> dict:
        """{question: answer} as survey_response_create takes it (variants as objects)."""
        answers = {}
        for name, question in self.questions.items():
            value = self.cleaned_data.get(name)
            variants = {str(choice.pk): choice for choice in question.choices.all()}
            if question.kind == SurveyQuestion.Kind.ONE:
                value = variants.get(value)
            elif question.kind == SurveyQuestion.Kind.SEVERAL:
                value = [variants[pk] for pk in value or [] if pk in variants]
            answers[question] = value
        return answers

    def library(self):
        return self.cleaned_data.get("library")
