"""The 2016–2021 plan arrives with the migrations, as the plan's text has it."""

import json
from pathlib import Path

import pytest

from strategy.models import Direction, Metric, Plan

pytestmark = pytest.mark.django_db

DATA = json.loads(
    (Path(__file__).resolve().parents[2] / "strategy/data/strategy_2016_2021.json").read_text()
)


def test_the_2016_2021_plan_has_its_sixteen_directions_in_order():
    plan = Plan.objects.get(slug="2016-2021")
    assert (plan.period_start, plan.period_end) == (2016, 2021)
    titles = list(plan.directions.values_list("number", "title"))
    assert titles == [(d["number"], d["title"]) for d in DATA["directions"]]
    assert len(titles) == 16


def test_directions_keep_the_periods_scopes_and_coordinators_of_the_plan():
    promotion = Direction.objects.get(plan__slug="2016-2021", number=6)
    assert (promotion.period_start, promotion.period_end) == (2016, 2017)
    assert promotion.coordinator.slug == "central"
    assert promotion.scope == Direction.Scope.ALL_LIBRARIES
    family = Direction.objects.get(plan__slug="2016-2021", number=13)
    assert family.coordinator.slug == "central-children"
    assert sorted(family.participants.values_list("slug", flat=True)) == sorted(
        DATA["directions"][12]["family_reading_libraries"]
    )
    online = Direction.objects.get(plan__slug="2016-2021", number=7)
    assert online.scope == Direction.Scope.COORDINATOR_ONLY
    assert "електронний каталог" in online.activity_lines


def test_every_direction_is_measured_by_at_least_one_indicator():
    plan = Plan.objects.get(slug="2016-2021")
    assert not plan.directions.filter(indicators__isnull=True).exists()


def test_computed_metrics_use_the_codes_of_the_stats_contract():
    codes = set(Metric.objects.filter(source=Metric.Source.COMPUTED).values_list("code", flat=True))
    assert {
        "catalog.acquisitions",
        "catalog.zero_hit_searches",
        "events.held",
        "volunteers.hours",
        "egov.requests",
        "accounts.readers",
    } <= codes


def test_directions_are_measured_by_what_the_portal_records_where_it_records_it():
    plan = Plan.objects.get(slug="2016-2021")

    def codes(number):
        direction = plan.directions.get(number=number)
        return list(direction.indicators.values_list("metric__code", flat=True))

    assert "branches.repairs" in codes(3) and "manual.repairs" not in codes(3)
    assert {"branches.zones", "branches.zones_opened"} <= set(codes(8))
    assert "manual.zones" not in codes(8)
    assert {"branches.tours_done", "branches.tour_visitors"} <= set(codes(10))
    assert {"events.family_held", "events.families"} <= set(codes(13))
    assert "events.held" not in codes(13)
    assert codes(14) == [
        "events.patriotic_held",
        "events.patriotic_attendance",
        "lore.local_writers_copies",
        "lore.local_writers_records",
    ]
    assert "catalog.analytics_added" in codes(11)
    assert "events.school_attendance" in codes(12)
    assert "events.club_attendance" in codes(15)
    assert codes(1) == [
        "manual.funding.budget",
        "strategy.income.sponsors",
        "strategy.income.charity",
        "strategy.income.paid_services",
    ]
    assert codes(2) == ["strategy.grants_applied", "strategy.grants_won", "strategy.grants_amount"]
    assert {"events.partners_with_agreement", "events.joint_events"} <= set(codes(9))
    assert "strategy.training_hours_per_staff" in codes(5)
    assert "strategy.study_trips" in codes(10) and "manual.study_trips" not in codes(10)


def test_every_direction_shows_an_indicator_computed_from_recorded_work():
    plan = Plan.objects.get(slug="2016-2021")
    typed_only = plan.directions.exclude(indicators__metric__source=Metric.Source.COMPUTED)
    assert list(typed_only.values_list("number", flat=True)) == []


def test_every_computed_indicator_says_in_words_what_it_counts():
    from strategy.sources import computed_indicators

    silent = [code for code, indicator in computed_indicators().items() if not indicator.counts]
    assert not silent, f"indicators without a description of what they count: {silent}"
