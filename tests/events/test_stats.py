import random
from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from events import demo, stats
from events.models import Attendance, Club, Event, Registration
from events.services import registration_create
from tests.events.factories import (
    ClubFactory,
    EventFactory,
    MembershipFactory,
    PartnerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def season(branch_a, branch_b):
    """Two held events in A (2025), one in B (2025), one held in A in 2024, one published."""
    shared, own = PartnerFactory(), PartnerFactory()
    reading = TopicFactory(slug="reading", name="Читання")
    history = TopicFactory(slug="history", name="Історія")

    def held(branch, when, kind, counts, partners=(), topics=()):
        event = EventFactory(branch=branch, starts_at=when, kind=kind, capacity=None)
        registration_create(
            event=event, name="Х", email=f"x{event.pk}@example.org", seats=2, now=at(2020, 1, 1)
        )
        event.status = Event.Status.HELD
        event.save()
        event.partners.set(partners)
        event.topics.set(topics)
        for audience, count in counts.items():
            Attendance.objects.create(event=event, audience=audience, count=count)
        return event

    held(branch_a, at(2025, 3, 5), "film", {"youth": 10, "adults": 5}, [shared], [reading])
    held(branch_a, at(2025, 4, 9), "workshop", {"children": 7}, [shared, own], [history])
    held(branch_b, at(2025, 3, 20), "film", {"adults": 4}, [shared])
    held(branch_a, at(2024, 12, 31, 23), "film", {"adults": 100})
    EventFactory(branch=branch_a, starts_at=at(2025, 5, 1))
    return branch_a, branch_b


def test_every_indicator_code_the_strategy_dashboards_read_is_there():
    assert set(stats.COMPUTED) == {
        "events.held",
        "events.attendance",
        "events.registrations",
        "events.clubs",
        "events.club_meetings",
        "events.school_lessons",
        "events.school_learners",
        "events.partners",
        "events.patriotic_held",
        "events.patriotic_attendance",
        "events.family_held",
        "events.family_attendance",
        "events.families",
        "events.club_attendance",
        "events.school_attendance",
        "events.partners_with_agreement",
        "events.joint_events",
    }
    assert [code for code, ind in stats.COMPUTED.items() if not ind.additive] == [
        "events.partners",
        "events.partners_with_agreement",
    ]


def test_held_events_attendance_and_registrations_by_library_and_year(season):
    a, b = season

    assert stats.held(years=[2024, 2025]) == {(a.pk, 2025): 2, (b.pk, 2025): 1, (a.pk, 2024): 1}
    assert stats.attendance(years=[2025]) == {(a.pk, 2025): 22, (b.pk, 2025): 4}
    assert stats.attendance(years=[2025], branch_ids=[b.pk]) == {(b.pk, 2025): 4}
    assert stats.registrations(years=[2025]) == {(a.pk, 2025): 4, (b.pk, 2025): 2}


def test_late_evening_of_new_years_eve_counts_in_the_kyiv_year(season):
    a, _ = season

    assert stats.attendance(years=[2024]) == {(a.pk, 2024): 100}


def test_partners_are_distinct_per_library_and_for_the_network(season):
    a, b = season

    assert stats.partners(years=[2024, 2025]) == {
        (a.pk, 2025): 2,
        (b.pk, 2025): 1,
        (None, 2025): 2,
    }
    assert stats.partners(years=[2025], branch_ids=[b.pk]) == {(b.pk, 2025): 1, (None, 2025): 1}


def test_attendance_breakdowns_by_kind_audience_topic_and_month(season):
    def values(dimension):
        return {row["key"]: row["value"] for row in stats.attendance_by(dimension, years=[2025])}

    assert values("kind") == {"film": 19, "workshop": 7}
    assert values("audience") == {"youth": 10, "adults": 9, "children": 7}
    assert values("topic") == {"reading": 15, "history": 7}
    assert values("month") == {3: 19, 4: 7}
    labels = {row["key"]: row["label"] for row in stats.attendance_by("kind", years=[2025])}
    assert labels["film"] == "Кінопоказ"
    with pytest.raises(ValueError):
        stats.attendance_by("weather", years=[2025])


def test_clubs_active_in_a_year_and_school_learners_still_members(branch_a, branch_b):
    school = ClubFactory(branch=branch_a, kind=Club.Kind.SCHOOL, starts_on=date(2024, 9, 1))
    ClubFactory(branch=branch_b, starts_on=date(2023, 1, 1), ends_on=date(2024, 5, 31))
    MembershipFactory(club=school, joined_on=date(2024, 9, 1))
    MembershipFactory(club=school, joined_on=date(2024, 9, 1), left_on=date(2025, 2, 1))
    MembershipFactory(club=school, joined_on=date(2025, 3, 1))

    assert stats.clubs(years=[2024, 2025]) == {
        (branch_a.pk, 2024): 1,
        (branch_b.pk, 2024): 1,
        (branch_a.pk, 2025): 1,
    }
    assert stats.school_learners(years=[2024, 2025]) == {
        (branch_a.pk, 2024): 2,
        (branch_a.pk, 2025): 2,
    }


def test_meetings_held_follow_the_schedule_minus_skipped_dates_and_not_the_future(
    branch_a, freeze_now
):
    freeze_now(timezone.make_aware(datetime(2026, 2, 1, 9)))
    school = ClubFactory(
        branch=branch_a,
        kind=Club.Kind.SCHOOL,
        weekdays=[0],
        starts_on=date(2025, 12, 1),
        starts_at_time=time(10),
    )
    ClubFactory(branch=branch_a, weekdays=[2], starts_on=date(2026, 1, 1))
    school.exceptions.create(date=date(2026, 1, 5))

    # Mondays in December 2025: 1, 8, 15, 22, 29; January 2026: 12, 19, 26 (the 5th skipped).
    assert stats.school_lessons(years=[2025, 2026]) == {
        (branch_a.pk, 2025): 5,
        (branch_a.pk, 2026): 3,
    }
    # Plus the other club's Wednesdays in January: 7, 14, 21, 28.
    assert stats.club_meetings(years=[2026]) == {(branch_a.pk, 2026): 7}


def test_demo_season_loads_twice_without_duplicates_and_gives_numbers(db):
    demo.seed(rng=random.Random(2016))
    first = Event.objects.count(), Club.objects.count()

    demo.seed(rng=random.Random(2016))

    assert (Event.objects.count(), Club.objects.count()) == first
    assert Event.objects.filter(status=Event.Status.HELD).exists()
    assert Event.objects.filter(status=Event.Status.PUBLISHED, seats_confirmed__gt=0).exists()
    assert Club.objects.filter(kind=Club.Kind.SCHOOL).count() >= 3
    assert Club.objects.values("branch").distinct().count() == 8
    year = timezone.localdate().year
    assert sum(stats.attendance(years=[year - 1, year]).values()) > 0


def test_demo_registrations_were_all_made_before_now_and_before_their_event(db):
    demo.seed(rng=random.Random(2016))
    now = timezone.now()

    registrations = Registration.objects.filter(event__is_demo=True)
    assert registrations.exists()
    assert not registrations.filter(created_at__gt=now).exists()
    assert not registrations.filter(created_at__gt=F("event__starts_at")).exists()
    assert not Event.objects.filter(is_demo=True, published_at__gt=now).exists()
    # The counter agrees with the confirmed rows, so the public page tells the truth.
    for event in Event.objects.filter(is_demo=True, registration_required=True):
        confirmed = event.registrations.filter(status="confirmed").aggregate(n=Sum("seats"))["n"]
        assert event.seats_confirmed == (confirmed or 0)


def test_patriotic_and_family_reading_indicators_count_only_those_events(branch_a, branch_b):
    def held(branch, kind, counts, audiences=(), families=0):
        event = EventFactory(
            branch=branch, starts_at=at(2025, 5, 9), kind=kind, capacity=None, audiences=audiences
        )
        for number in range(families):
            registration_create(
                event=event,
                name="Родина",
                email=f"f{event.pk}-{number}@example.org",
                seats=3,
                now=at(2025, 1, 1),
            )
        event.status = Event.Status.HELD
        event.save()
        for audience, count in counts.items():
            Attendance.objects.create(event=event, audience=audience, count=count)

    held(branch_a, "patriotic", {"youth": 30})
    held(branch_a, "patriotic", {"youth": 12, "adults": 3})
    held(branch_a, "family_reading", {"families": 9}, families=2)
    # A workshop for families is family reading too; a film for adults is neither.
    held(branch_b, "workshop", {"families": 6}, audiences=["families"], families=1)
    held(branch_b, "film", {"adults": 50})

    held_patriotic = stats.COMPUTED["events.patriotic_held"].func(years=[2025])
    assert held_patriotic == {(branch_a.pk, 2025): 2}
    patriotic = stats.COMPUTED["events.patriotic_attendance"].func(years=[2025])
    assert patriotic == {(branch_a.pk, 2025): 45}
    family = stats.COMPUTED["events.family_held"].func(years=[2025])
    assert family == {(branch_a.pk, 2025): 1, (branch_b.pk, 2025): 1}
    attendance = stats.COMPUTED["events.family_attendance"].func(years=[2025])
    assert attendance == {(branch_a.pk, 2025): 9, (branch_b.pk, 2025): 6}
    assert stats.families(years=[2025]) == {(branch_a.pk, 2025): 2, (branch_b.pk, 2025): 1}
    assert stats.families(years=[2025], branch_ids=[branch_b.pk]) == {(branch_b.pk, 2025): 1}


def test_club_and_school_attendance_is_what_staff_recorded_after_each_meeting(branch_a, branch_b):
    from events.models import ClubAttendance

    club = ClubFactory(branch=branch_a, kind=Club.Kind.CLUB, starts_on=date(2024, 1, 1))
    school = ClubFactory(branch=branch_b, kind=Club.Kind.SCHOOL, starts_on=date(2024, 1, 1))
    ClubAttendance.objects.create(club=club, date=date(2025, 3, 4), count=9)
    ClubAttendance.objects.create(club=club, date=date(2025, 3, 11), count=7)
    ClubAttendance.objects.create(club=school, date=date(2025, 3, 5), count=12)
    ClubAttendance.objects.create(club=school, date=date(2024, 12, 31), count=4)

    assert stats.club_attendance(years=[2025]) == {(branch_a.pk, 2025): 16, (branch_b.pk, 2025): 12}
    schools = stats.COMPUTED["events.school_attendance"].func(years=[2024, 2025])
    assert schools == {(branch_b.pk, 2025): 12, (branch_b.pk, 2024): 4}
    assert stats.club_attendance(years=[2025], branch_ids=[branch_a.pk]) == {
        (branch_a.pk, 2025): 16
    }


def test_attendance_cannot_be_recorded_for_a_meeting_still_ahead(branch_a):
    from django.core.exceptions import ValidationError

    from events.models import ClubAttendance

    club = ClubFactory(branch=branch_a)
    ahead = ClubAttendance(club=club, date=timezone.localdate() + timedelta(days=1), count=3)
    with pytest.raises(ValidationError) as refused:
        ahead.full_clean()
    assert refused.value.message_dict["date"] == [
        "Відвідуваність записують після заняття, не наперед."
    ]
