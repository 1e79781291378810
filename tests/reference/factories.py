from datetime import timedelta

import factory
from django.utils import timezone

from reference.models import (
    Enquiry,
    Feedback,
    Question,
    Survey,
    SurveyChoice,
    SurveyQuestion,
    Topic,
)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    topic = Topic.LOCAL_LORE
    name = factory.Sequence(lambda n: f"Читач Тестовий {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    text = "Де почитати про історію Луцького замку?"
    consent_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))

    class Params:
        published = factory.Trait(
            status=Question.Status.PUBLISHED,
            publish_consent=True,
            answer="Радимо нарис «Луцький замок» у відділі краєзнавства.",
            answered_at=factory.LazyFunction(timezone.now),
        )


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    topic = "Рік видання «Лісової пісні»"
    kind = Enquiry.Kind.FACTUAL


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    kind = Feedback.Kind.VISIT
    object_id = factory.SelfAttribute("branch.pk")
    subject = "Бібліотека"
    rating = 5


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = "Як вам наша бібліотека?"
    intro = "Кілька запитань, дві хвилини."
    status = Survey.Status.OPEN


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(int)
    kind = SurveyQuestion.Kind.SCALE
    text = "Наскільки вам зручно в бібліотеці?"


def survey_with_questions(*, branch=None, status=Survey.Status.OPEN, **kwargs):
    """A survey of each kind of question: a scale, one variant, several, a short text."""
    survey = SurveyFactory(branch=branch, status=status, **kwargs)
    SurveyQuestionFactory(survey=survey, text="Наскільки вам зручно в бібліотеці?")
    one = SurveyQuestionFactory(
        survey=survey, kind=SurveyQuestion.Kind.ONE, text="Як часто ви приходите?"
    )
    for n, text in enumerate(["Щотижня", "Щомісяця", "Рідше"]):
        SurveyChoice.objects.create(question=one, position=n, text=text)
    several = SurveyQuestionFactory(
        survey=survey, kind=SurveyQuestion.Kind.SEVERAL, text="Чого вам бракує?"
    )
    for n, text in enumerate(["Нових книжок", "Тиші", "Заходів увечері"]):
        SurveyChoice.objects.create(question=several, position=n, text=text)
    SurveyQuestionFactory(
        survey=survey, kind=SurveyQuestion.Kind.TEXT, text="Що б ви змінили?", required=False
    )
    return survey
