from datetime import UTC, datetime

import factory

from spaces.models import Booking, Resource


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    kind = Resource.Kind.HALL
    name = factory.Sequence(lambda n: f"Зала {n}")
    capacity = 20
    slot_minutes = 60


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    resource = factory.SubFactory(ResourceFactory)
    # Monday 2026-11-30, 10:00–11:00 in Kyiv.
    starts_at = datetime(2026, 11, 30, 8, tzinfo=UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at.replace(hour=o.starts_at.hour + 1))
    organisation = "Луцький ліцей № 21"
    name = factory.Sequence(lambda n: f"Контакт Тестовий {n}")
    email = factory.Sequence(lambda n: f"group{n}@example.org")
    people = 5
