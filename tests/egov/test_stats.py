"""The numbers the strategy dashboards read from the help desk (docs/stats.md)."""

from datetime import date, datetime

import pytest

from core.tz import KYIV
from egov import stats
from egov.models import Booking, HelpRequest
from tests.egov.factories import (
    BookingFactory,
    HelpRequestFactory,
    SlotFactory,
    WalkInFactory,
    topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(branch_a, branch_b):
    """Branch A, 2025: three requests (one done in 40 minutes, one cancelled, one received on
    New Year's Eve night Kyiv time — 2025 in Kyiv, still 2025 in UTC too), two walk-ins
    (one resolved, 10 + 20 minutes), a booking attended and one cancelled.
    Branch B, 2024: one walk-in of 15 minutes, resolved."""
    HelpRequestFactory(
        branch=branch_a,
        topic=topic("diia"),
        status=HelpRequest.Status.DONE,
        minutes_spent=40,
        created_at=datetime(2025, 3, 5, 10, tzinfo=KYIV),
    )
    HelpRequestFactory(
        branch=branch_a,
        topic=topic("pension-fund"),
        status=HelpRequest.Status.CANCELLED,
        created_at=datetime(2025, 3, 20, 10, tzinfo=KYIV),
    )
    HelpRequestFactory(
        branch=branch_a,
        topic=topic("diia"),
        created_at=datetime(2026, 1, 1, 0, 30, tzinfo=KYIV),
    )
    WalkInFactory(branch=branch_a, topic=topic("diia"), date=date(2025, 3, 1), minutes=10)
    WalkInFactory(
        branch=branch_a, topic=topic("utilities"), date=date(2025, 7, 1), minutes=20, resolved=False
    )
    WalkInFactory(branch=branch_b, topic=topic("diia"), date=date(2024, 5, 1), minutes=15)
    slot = SlotFactory(branch=branch_a, starts_at=datetime(2025, 4, 1, 10, tzinfo=KYIV))
    BookingFactory(slot=slot, status=Booking.Status.ATTENDED)
    other = SlotFactory(branch=branch_a, starts_at=datetime(2025, 4, 2, 10, tzinfo=KYIV))
    BookingFactory(slot=other, status=Booking.Status.CANCELLED)
    return branch_a, branch_b


def test_the_codes_the_strategy_app_reads_are_all_there():
    assert set(stats.COMPUTED) == {
        "egov.requests",
        "egov.walk_ins",
        "egov.resolved",
        "egov.minutes",
        "egov.slot_bookings",
    }


def test_each_indicator_counts_per_library_and_kyiv_year(desk):
    a, b = desk
    values = {
        code: indicator.func(years=[2024, 2025, 2026]) for code, indicator in stats.COMPUTED.items()
    }

    assert values["egov.requests"] == {(a.pk, 2025): 2, (a.pk, 2026): 1}
    assert values["egov.walk_ins"] == {(a.pk, 2025): 2, (b.pk, 2024): 1}
    assert values["egov.resolved"] == {(a.pk, 2025): 2, (b.pk, 2024): 1}
    assert values["egov.minutes"] == {(a.pk, 2025): 70, (b.pk, 2024): 15}
    assert values["egov.slot_bookings"] == {(a.pk, 2025): 1}


def test_indicators_are_limited_to_the_libraries_and_years_asked(desk):
    a, b = desk

    assert stats.walk_ins(years=[2024, 2025], branch_ids=[b.pk]) == {(b.pk, 2024): 1}
    assert stats.requests_received(years=[2024]) == {}


def test_each_indicator_is_one_aggregate_query(desk, django_assert_num_queries):
    for indicator in stats.COMPUTED.values():
        with django_assert_num_queries(1):
            indicator.func(years=range(2016, 2027))


def test_cases_by_library_add_requests_and_walk_ins_of_each(desk):
    a, b = desk

    rows = stats.cases_by("branch", years=[2024, 2025])

    assert [(r["key"], r["label"], r["cases"], r["resolved"], r["minutes"]) for r in rows] == [
        (a.pk, a.name, 4, 2, 70),
        (b.pk, b.name, 1, 1, 15),
    ]


def test_cases_by_topic_give_the_resolved_share_and_time(desk):
    rows = stats.cases_by("topic", years=[2025])

    assert [(r["key"], r["cases"], r["resolved"], r["minutes"]) for r in rows] == [
        ("diia", 2, 2, 50),
        ("pension-fund", 1, 0, 0),
        ("utilities", 1, 0, 20),
    ]
    assert rows[0]["resolved_share"] == 1.0


def test_cases_by_month_add_requests_and_walk_ins(desk):
    a, _b = desk

    rows = stats.cases_by("month", years=[2025], branch_ids=[a.pk])

    assert [(r["key"], r["cases"], r["resolved"]) for r in rows] == [(3, 3, 2), (7, 1, 0)]


def test_an_unknown_breakdown_is_an_error():
    with pytest.raises(ValueError):
        stats.cases_by("weather", years=[2025])
