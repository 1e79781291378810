import random
from decimal import Decimal

import pytest

from strategy import demo
from strategy.models import ManualValue, Milestone, Target

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_library_and_year_and_can_run_twice():
    assert demo.seed(rng=random.Random(7)) > 0
    counts = (Milestone.objects.count(), ManualValue.objects.count(), Target.objects.count())
    assert demo.seed(rng=random.Random(7)) > 0
    assert counts == (
        Milestone.objects.count(),
        ManualValue.objects.count(),
        Target.objects.count(),
    )
    visits = ManualValue.objects.filter(metric__code="manual.visits")
    assert visits.values("branch").distinct().count() == 8
    assert sorted(set(visits.values_list("year", flat=True))) == list(range(2016, 2022))
    assert Milestone.objects.filter(is_demo=True).values("direction").distinct().count() == 16


def test_the_demo_leaves_figures_a_person_entered_alone(branch_a):
    from strategy.models import Metric

    ManualValue.objects.create(
        metric=Metric.objects.get(code="manual.loans"), branch=branch_a, year=2018, value=42
    )
    demo.seed(rng=random.Random(7))
    assert (
        ManualValue.objects.get(metric__code="manual.loans", branch=branch_a, year=2018).value == 42
    )


def test_the_dashboard_shows_the_demo_figures_against_their_demo_targets(client, methodologist):
    from django.db.models import Sum

    demo.seed(rng=random.Random(7))
    budget = ManualValue.objects.filter(metric__code="manual.funding.budget")
    first_year = budget.filter(year=2016).aggregate(total=Sum("value"))["total"]
    last_year = budget.filter(year=2021).aggregate(total=Sum("value"))["total"]
    client.force_login(methodologist)
    response = client.get("/strategy/plans/2016-2021/")
    financing = response.context["directions"][0]
    row = next(r for r in financing.rows if r.metric.code == "manual.funding.budget")
    cells = {cell.year: cell for cell in row.cells}
    assert cells[2016].value == first_year
    assert cells[2016].target == demo.round_target(first_year)
    assert cells[2021].value == last_year
    assert cells[2021].target == demo.round_target(first_year * Decimal("1.25"))
    assert 95 <= cells[2016].percent <= 105
    assert "Демонстраційні дані" in response.content.decode()


def test_the_catalogue_demo_feeds_the_yearly_report(client, methodologist):
    from django.db.models import Max

    from catalog import demo as catalog_demo
    from catalog.models import IntakeBatch, Item

    catalog_demo.seed(rng=random.Random(3), counts={"records": 60})
    year = IntakeBatch.objects.aggregate(last=Max("date"))["last"].year - 1
    received = Item.objects.filter(intake__date__year=year)
    assert received.exists()
    client.force_login(methodologist)
    response = client.get("/strategy/reports/", {"year": year})
    lines = {line.key: line.value for line in response.context["lines"]}
    assert lines["acquisitions"] == received.count()
    assert lines["acquisitions.donation"] == received.filter(intake__source="donation").count()


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (5_412_286, 5_410_000),
        (186_747, 187_000),
        (9_293, 9_300),
        (149, 150),
        (14, 14),
        (Decimal("7.6"), 8),
    ],
)
def test_demo_targets_are_round_figures_as_a_planner_writes_them(value, rounded):
    assert demo.round_target(value) == rounded


def test_the_demo_fills_the_rows_of_6nk_a_library_enters_and_parts_stay_within_wholes(
    client, methodologist, branch_a
):
    demo.seed(rng=random.Random(7))
    client.force_login(methodologist)
    response = client.get("/strategy/reports/", {"year": 2020, "library": "branch-5"})
    values = {line.number: line.value for s in response.context["sections"] for line in s.lines}
    assert values[32] >= values[33] >= values[34]  # staff ≥ librarians ≥ with higher education
    assert values[35] + values[36] + values[37] == values[33]
    assert values[5] >= values[6] >= values[7]  # computers ≥ for users ≥ with the Internet
    assert values[40] == values[41] + values[42] + values[43] + values[44]
    assert values[45] >= values[46]
