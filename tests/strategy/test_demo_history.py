"""The demo's 2016–2021 history in the other apps: what a methodologist sees on first run."""

import random
from collections import defaultdict

import pytest
from django.db import transaction
from django.db.models import Q

from accounts import stats as accounts_stats
from accounts.models import ReaderProfile
from catalog import demo as catalog_demo
from catalog import stats as catalog_stats
from catalog.models import Item, SearchLog
from events import demo as events_demo
from events import stats as events_stats
from events.models import Club, Event
from strategy import demo
from strategy.models import ManualValue

pytestmark = pytest.mark.django_db

YEARS = list(range(2016, 2022))
PLAN_LIBRARIES = 8


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """What `seed_demo` runs, in its order, with a small catalogue: made once for the module
    (tens of thousands of rows) inside a transaction that is rolled back at its end; each test
    runs in a savepoint inside it, so what a test changes is undone as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        catalog_demo.seed(rng=random.Random(3), counts={"records": 60})
        events_demo.seed(rng=random.Random(5))
        demo.seed(rng=random.Random(7))
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once):
    pass


def history_counts():
    return (
        ReaderProfile.objects.filter(user__username__startswith="demo-history-").count(),
        Item.objects.filter(intake__date__year__lt=2022).count(),
        Event.objects.filter(starts_at__year__lt=2022).count(),
        Club.objects.filter(slug__startswith="demo-history-").count(),
        SearchLog.objects.filter(created_at__year__lt=2022).count(),
    )


def test_every_plan_library_has_readers_stock_and_held_events_in_every_plan_year(seeded):
    for figures in (
        accounts_stats.readers(years=YEARS),
        catalog_stats.holdings(years=YEARS),
        catalog_stats.acquisitions(years=YEARS),
        events_stats.held(years=YEARS),
    ):
        per_year = defaultdict(int)
        for (_branch, year), value in figures.items():
            per_year[year] += value > 0
        assert dict(per_year) == dict.fromkeys(YEARS, PLAN_LIBRARIES)


def test_the_yearly_report_of_a_plan_year_has_the_ratios_of_a_real_library(
    seeded, client, methodologist
):
    client.force_login(methodologist)
    response = client.get("/strategy/reports/", {"year": 2018})
    lines = {line.key: line.value for line in response.context["lines"]}
    # 6-НК's users: registered or re-registered in 2018 (the demo readers re-register yearly).
    assert lines["readers"] == ReaderProfile.objects.filter(created_at__year__lte=2018).count()
    assert lines["readers"] > ReaderProfile.objects.filter(created_at__year=2018).count() > 0
    assert 16 <= lines["reading"] <= 24
    assert 8 <= lines["visiting"] <= 12
    assert 1 <= lines["turnover"] <= 3
    assert 6 <= lines["provision"] <= 20
    assert lines["events"] == Event.objects.filter(status="held", starts_at__year=2018).count()


def test_the_acquisition_sources_of_the_report_add_up_to_the_total(seeded, client, methodologist):
    client.force_login(methodologist)
    for year in (2016, 2021):
        lines = client.get("/strategy/reports/", {"year": year}).context["lines"]
        total = next(line.value for line in lines if line.key == "acquisitions")
        parts = [
            line.value
            for line in lines
            if line.key.startswith("acquisitions.") and line.value is not None
        ]
        assert total > 0 and sum(parts) == total


def test_the_dashboard_shows_the_family_reading_events_of_each_plan_year(
    seeded, client, methodologist
):
    client.force_login(methodologist)
    response = client.get("/strategy/plans/2016-2021/")
    family = next(d for d in response.context["directions"] if d.number == 13)
    row = next(r for r in family.rows if r.metric.code == "events.family_held")
    held = Event.objects.filter(status="held").filter(
        Q(kind="family_reading") | Q(audiences__contains=["families"])
    )
    assert {cell.year: cell.value for cell in row.cells} == {
        year: held.filter(starts_at__year=year).count() for year in YEARS
    }
    assert all(cell.value > 0 for cell in row.cells)


def test_a_second_seed_demo_run_leaves_one_history(seeded):
    first = history_counts()
    assert all(first)
    events_demo.seed(rng=random.Random(5))
    demo.seed(rng=random.Random(7))
    assert history_counts() == first


def test_the_clubs_of_the_past_met_in_the_plan_years_but_are_not_offered_to_readers(seeded):
    history = Club.objects.filter(slug__startswith="demo-history-")
    assert history.exists()
    assert not Club.objects.public().filter(pk__in=history).exists()
    meetings = events_stats.club_meetings(years=YEARS)
    assert all(sum(v for (_b, y), v in meetings.items() if y == year) > 0 for year in YEARS)
    learners = events_stats.school_learners(years=YEARS)
    assert all(sum(v for (_b, y), v in learners.items() if y == year) > 0 for year in YEARS)


def test_the_network_finds_more_partners_as_the_plan_goes_on(seeded):
    partners = events_stats.partners(years=YEARS)
    assert partners[(None, 2016)] < partners[(None, 2021)]


def test_hand_entered_demo_figures_move_as_real_ones_do(seeded):
    values = defaultdict(dict)
    for code, branch, year, value in ManualValue.objects.filter(is_demo=True).values_list(
        "metric__code", "branch", "year", "value"
    ):
        values[(code, branch)][year] = value
    branches = {branch for _code, branch in values}
    for branch in branches:
        applied, won = (
            values[("manual.grants.applied", branch)],
            values[("manual.grants.won", branch)],
        )
        assert all(won[year] <= applied[year] for year in YEARS)
        computers = [values[("manual.public_pcs", branch)][year] for year in YEARS]
        assert computers == sorted(computers)


def test_the_history_leaves_this_seasons_new_titles_new(seeded, client):
    old_copies_of_new_titles = Item.objects.filter(
        record__source_id__startswith="demo-new:", intake__date__year__lt=2022
    )
    titles = set(catalog_demo.new_title_records().values_list("title", flat=True))

    page = client.get("/catalog/new/").content.decode()

    assert titles
    assert not old_copies_of_new_titles.exists()
    assert any(title in page for title in titles)
