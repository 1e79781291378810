from datetime import timedelta

import factory
from django.utils import timezone

from branches.models import TourRequest


class TourRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TourRequest

    group_name = factory.Sequence(lambda n: f"{n % 11 + 1}-А клас ліцею № 5")
    kind = TourRequest.Kind.SCHOOL_CLASS
    people = 24
    preferred_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    contact_name = factory.Sequence(lambda n: f"Вчителька Тестова {n}")
    email = factory.Sequence(lambda n: f"teacher{n}@example.org")
    phone = "+380501234567"
    consent_at = factory.LazyFunction(timezone.now)

    class Params:
        agreed = factory.Trait(
            status=TourRequest.Status.AGREED,
            agreed_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=9)),
        )
        done = factory.Trait(
            status=TourRequest.Status.DONE,
            agreed_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3)),
            done_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3)),
        )
