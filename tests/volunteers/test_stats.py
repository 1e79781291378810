from datetime import date, datetime
from decimal import Decimal

import pytest

from core.tz import KYIV
from tests.volunteers.factories import ApplicationFactory, DeliveryRequestFactory, HoursEntryFactory
from volunteers import stats

pytestmark = pytest.mark.django_db


def approved(**kwargs):
    return HoursEntryFactory(approved_at=datetime(2025, 12, 31, tzinfo=KYIV), **kwargs)


def test_computed_has_the_four_codes_the_strategy_reads():
    assert set(stats.COMPUTED) == {
        "volunteers.applications",
        "volunteers.active",
        "volunteers.hours",
        "volunteers.home_deliveries",
    }
    assert stats.COMPUTED["volunteers.active"].additive is False


def test_applications_count_by_preferred_library_and_year(branch_a, branch_b):
    ApplicationFactory(branch=branch_a, applied_on=date(2025, 3, 1))
    ApplicationFactory(branch=branch_a, applied_on=date(2025, 9, 1))
    ApplicationFactory(branch=branch_b, applied_on=date(2024, 9, 1))
    assert stats.applications(years=[2025]) == {(branch_a.pk, 2025): 2}
    assert stats.applications(years=[2024, 2025], branch_ids=[branch_b.pk]) == {
        (branch_b.pk, 2024): 1
    }


def test_a_volunteer_helping_two_libraries_is_one_volunteer_of_the_network(branch_a, branch_b):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    approved(volunteer=volunteer, branch=branch_a, date=date(2025, 4, 1))
    approved(volunteer=volunteer, branch=branch_b, date=date(2025, 5, 1))
    HoursEntryFactory(branch=branch_b, date=date(2025, 5, 1))  # not approved: not counted
    assert stats.active(years=[2025]) == {
        (branch_a.pk, 2025): 1,
        (branch_b.pk, 2025): 1,
        (None, 2025): 1,
    }


def test_hours_sum_only_approved_hours_by_library_of_the_work(branch_a, branch_b):
    approved(branch=branch_a, date=date(2025, 4, 1), hours=Decimal("2.5"))
    approved(branch=branch_a, date=date(2025, 6, 1), hours=3)
    HoursEntryFactory(branch=branch_a, date=date(2025, 6, 1), hours=8)
    assert stats.hours(years=[2025]) == {(branch_a.pk, 2025): Decimal("5.5")}


def test_home_deliveries_count_completed_ones_in_the_year_they_were_delivered(branch_b):
    volunteer = ApplicationFactory(branch=branch_b, active=True)
    DeliveryRequestFactory(
        branch=branch_b,
        status="delivered",
        volunteer=volunteer,
        delivered_at=datetime(2025, 12, 31, 23, 30, tzinfo=KYIV),
    )
    DeliveryRequestFactory(branch=branch_b, status="cancelled")
    assert stats.home_deliveries(years=[2025]) == {(branch_b.pk, 2025): 1}


def test_hours_by_activity_and_by_month(branch_a):
    approved(branch=branch_a, activity="book_repair", date=date(2025, 4, 1), hours=2)
    approved(branch=branch_a, activity="book_repair", date=date(2025, 4, 20), hours=1)
    approved(branch=branch_a, activity="events", date=date(2025, 7, 1), hours=4)
    assert stats.hours_by("activity", years=[2025]) == [
        {"year": 2025, "activity": "book_repair", "hours": Decimal("3")},
        {"year": 2025, "activity": "events", "hours": Decimal("4")},
    ]
    assert stats.hours_by("month", years=[2025]) == [
        {"year": 2025, "month": 4, "hours": Decimal("3")},
        {"year": 2025, "month": 7, "hours": Decimal("4")},
    ]
    with pytest.raises(ValueError):
        stats.hours_by("weather", years=[2025])
