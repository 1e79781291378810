from datetime import timedelta

import factory
from django.utils import timezone

from core.secret_links import new_token
from volunteers.models import (
    Application,
    DeliveryRequest,
    HoursEntry,
    Interest,
    Opportunity,
)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Волонтер Тестовий {n}")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.org")
    phone = "+380 50 000 00 00"
    birth_year = factory.LazyFunction(lambda: timezone.localdate().year - 30)
    interests = factory.LazyFunction(lambda: [Interest.EVENTS])
    consent_at = factory.LazyFunction(timezone.now)

    class Params:
        active = factory.Trait(
            status=Application.Status.ACTIVE, access_token=factory.LazyFunction(new_token)
        )


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Допомога на заході {n}")
    activity = Interest.EVENTS
    place = "Читальна зала"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    places = 2


class HoursEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursEntry

    volunteer = factory.SubFactory(
        ApplicationFactory, active=True, branch=factory.SelfAttribute("..branch")
    )
    activity = Interest.EVENTS
    date = factory.LazyFunction(timezone.localdate)
    hours = 3


class DeliveryRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryRequest

    name = factory.Sequence(lambda n: f"Читачка Поважна {n}")
    phone = "+380 67 000 00 00"
    address = "вул. Тиха, 1, кв. 2"
    reason = DeliveryRequest.Reason.AGE
    wishes = "Детективи великим шрифтом"
    consent_at = factory.LazyFunction(timezone.now)
