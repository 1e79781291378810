from datetime import datetime, time

import factory
from django.contrib.auth.models import Group

from accounts.models import ReaderProfile, StaffProfile, User
from branches.models import KYIV, Branch, Closure, OpeningHours, Service, Zone

# The moment the `at_monday_noon` fixture stops the clock at: a working Monday in June.
MONDAY_NOON = datetime(2026, 6, 1, 12, 0, tzinfo=KYIV)


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"Тестова бібліотека № {n + 100}")
    slug = factory.Sequence(lambda n: f"test-branch-{n}")
    kind = Branch.Kind.BRANCH
    number = factory.Sequence(lambda n: n + 100)
    address = factory.Sequence(lambda n: f"вул. Тестова, {n}")
    latitude = "50.747000"
    longitude = "25.325000"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    branch = factory.SubFactory(BranchFactory)
    weekday = 0
    opens = time(10)
    closes = time(18)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    branch = factory.SubFactory(BranchFactory)
    kind = Closure.Kind.SANITARY


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    branch = factory.SubFactory(BranchFactory)
    kind = Zone.Kind.READING_ROOM
    seats = 12


def set_hours(branch, weekdays=range(5), opens=time(10), closes=time(18), breaks=None):
    """The same hours on each of `weekdays` (Monday = 0); `breaks` is (start, end) or None."""
    break_starts, break_ends = breaks or (None, None)
    return [
        OpeningHoursFactory(
            branch=branch,
            weekday=weekday,
            opens=opens,
            closes=closes,
            break_starts=break_starts,
            break_ends=break_ends,
        )
        for weekday in weekdays
    ]


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Послуга {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Олена"
    last_name = factory.Sequence(lambda n: f"Петренко{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery-staple")


def make_staff(*, username, role, branch, group_name):
    user = UserFactory(username=username, is_staff=True)
    StaffProfile.objects.create(user=user, role=role, branch=branch)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def make_reader(*, username, branch, card_sequence=1):
    from django.utils import timezone

    user = UserFactory(username=username)
    ReaderProfile.objects.create(
        user=user,
        card_number=ReaderProfile.card_number_for(card_sequence),
        home_branch=branch,
        category=ReaderProfile.Category.ADULT,
        consent_given_at=timezone.now(),
    )
    return user
