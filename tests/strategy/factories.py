"""Strategy factories, plus small helpers that put known numbers into the catalogue and the
reader registry for the indicator tests."""

from datetime import date, datetime
from decimal import Decimal

import factory

from accounts.models import ReaderProfile
from catalog.models import IntakeBatch, Item, Withdrawal
from core.tz import KYIV
from strategy.models import Direction, ManualValue, Metric, Milestone, Target, TrainingRecord
from tests.catalog.factories import ItemFactory
from tests.factories import UserFactory


def direction(number, plan_slug="2016-2021"):
    return Direction.objects.get(plan__slug=plan_slug, number=number)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    direction = factory.LazyFunction(lambda: direction(4))
    title = factory.Sequence(lambda n: f"Етап {n}")
    due_date = date(2020, 6, 30)


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.Sequence(lambda n: f"Працівниця {n}")
    kind = TrainingRecord.Kind.WEBINAR
    course = "Соціальні мережі для бібліотек"
    hours = Decimal("2")
    date = date(2019, 3, 1)


def manual_value(code, branch, year, value):
    return ManualValue.objects.create(
        metric=Metric.objects.get(code=code), branch=branch, year=year, value=value
    )


def target(code, direction_number, year, value, branch=None):
    indicator = direction(direction_number).indicators.get(metric__code=code)
    return Target.objects.create(indicator=indicator, year=year, value=value, branch=branch)


_act = iter(range(1, 10**6))


def intake(branch, day, source=IntakeBatch.Source.BUDGET, copies=1):
    batch = IntakeBatch.objects.create(
        branch=branch, date=day, source=source, act_number=f"A-{next(_act)}"
    )
    return [ItemFactory(branch=branch, intake=batch) for _ in range(copies)]


def withdraw(items, day):
    act = Withdrawal.objects.create(
        branch=items[0].branch,
        date=day,
        act_number=f"W-{next(_act)}",
        reason=Withdrawal.Reason.WORN_OUT,
    )
    Item.objects.filter(pk__in=[i.pk for i in items]).update(
        withdrawal=act, status=Item.Status.WITHDRAWN
    )
    return act


def register_readers(branch, year, count, category=ReaderProfile.Category.ADULT):
    """`count` readers whose cards were written in `year` at `branch`."""
    start = ReaderProfile.objects.count() + 1000
    profiles = []
    for offset in range(count):
        user = UserFactory()
        profile = ReaderProfile.objects.create(
            user=user,
            card_number=ReaderProfile.card_number_for(start + offset),
            home_branch=branch,
            category=category,
            consent_given_at=datetime(year, 2, 1, tzinfo=KYIV),
        )
        profiles.append(profile.pk)
    # created_at is auto_now_add; the registry's year is what the statistics read.
    ReaderProfile.objects.filter(pk__in=profiles).update(
        created_at=datetime(year, 2, 1, tzinfo=KYIV)
    )
