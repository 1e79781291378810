from datetime import timedelta

import factory
from django.utils import timezone

from reference.models import Enquiry, Feedback, Question, Topic


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
