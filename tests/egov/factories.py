from datetime import timedelta

import factory
from django.utils import timezone

from egov.models import Booking, Guide, GuideLink, HelpRequest, Slot, Topic, WalkIn
from egov.services import guide_reindex


def topic(slug="diia"):
    return Topic.objects.get(slug=slug)


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide
        skip_postgeneration_save = True

    topic = factory.LazyFunction(topic)
    title = factory.Sequence(lambda n: f"Інструкція {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "Коротко про послугу."
    steps = "Відкрийте сайт.\nУвійдіть.\nЗаповніть заяву."
    what_to_bring = "Паспорт"
    last_reviewed = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def indexed(guide, create, extracted, **kwargs):
        if create:
            guide_reindex(guide=guide)


class GuideLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideLink

    guide = factory.SubFactory(GuideFactory)
    title = "Портал Дія"
    url = "https://diia.gov.ua/"


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest

    topic = factory.LazyFunction(topic)
    name = "Ганна Коваль"
    contact = "050 123 45 67"
    description = "Не можу увійти в Дію."
    consent_at = factory.LazyFunction(timezone.now)


class WalkInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WalkIn

    topic = factory.LazyFunction(topic)
    minutes = 15
    resolved = True


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    kind = Slot.Kind.DIIA
    starts_at = factory.Sequence(lambda n: timezone.now() + timedelta(days=2, hours=n))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(minutes=45))


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    name = "Петро Мельник"
    email = "petro@example.org"
