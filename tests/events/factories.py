from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from branches.models import Branch
from events.models import Club, ClubMembership, Event, Partner, Topic


def in_days(days, hour=18):
    """An aware moment `days` from today at `hour`:00 Kyiv time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def workday_in(days, hour=15):
    """An aware moment at `hour`:00 Kyiv time on the first working day (Monday–Friday) at
    least `days` from today: a time every library of the `network` fixture is open, so an
    event there needs no reason for a closed library."""
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Тема {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Партнер {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Зустріч з письменником № {n}")
    kind = Event.Kind.WRITER_MEETING
    branch = factory.LazyFunction(lambda: Branch.objects.order_by("pk").first())
    starts_at = factory.LazyFunction(lambda: workday_in(7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    audiences = factory.LazyFunction(lambda: ["adults"])
    registration_required = True
    capacity = 10


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club

    name = factory.Sequence(lambda n: f"Клуб № {n}")
    slug = factory.Sequence(lambda n: f"club-{n}")
    kind = Club.Kind.CLUB
    focus = Club.Focus.READING
    branch = factory.LazyFunction(lambda: Branch.objects.order_by("pk").first())
    frequency = Club.Frequency.WEEKLY
    weekdays = factory.LazyFunction(lambda: [1])
    starts_at_time = time(17)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClubMembership

    club = factory.SubFactory(ClubFactory)
    name = "Марія Коваль"
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    consent_at = factory.LazyFunction(timezone.now)
