"""The numbers the catalogue and the reader registry hand to the plan (docs/stats.md): one
aggregate query each, counted by library and year."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from accounts import stats as accounts_stats
from accounts.models import ReaderProfile
from catalog import stats as catalog_stats
from catalog.models import IntakeBatch, SearchLog
from core.tz import KYIV
from strategy.sources import computed_indicators
from tests.catalog.factories import RecordFactory
from tests.strategy.factories import intake, register_readers, withdraw

pytestmark = pytest.mark.django_db
YEARS = [2019, 2020, 2021]


@pytest.fixture
def stock(branch_a, branch_b):
    """Branch A: 3 bought in 2019, 2 donated in 2020 (one written off in 2021).
    Branch B: 4 from a grant in 2020."""
    intake(branch_a, date(2019, 5, 1), copies=3)
    donated = intake(branch_a, date(2020, 12, 31), IntakeBatch.Source.DONATION, copies=2)
    intake(branch_b, date(2020, 1, 1), IntakeBatch.Source.GRANT, copies=4)
    withdraw(donated[:1], date(2021, 3, 1))
    return branch_a, branch_b


def test_acquisitions_are_counted_by_library_and_year_of_the_intake_act(
    stock, django_assert_num_queries
):
    a, b = stock
    with django_assert_num_queries(1):
        values = catalog_stats.acquisitions(years=YEARS)
    assert values == {(a.pk, 2019): 3, (a.pk, 2020): 2, (b.pk, 2020): 4}


def test_acquisitions_by_source_count_only_that_source(stock):
    a, b = stock
    donations = catalog_stats.COMPUTED["catalog.acquisitions.donation"].func(years=YEARS)
    assert donations == {(a.pk, 2020): 2}
    grants = catalog_stats.COMPUTED["catalog.acquisitions.grant"].func(
        years=YEARS, branch_ids=[a.pk]
    )
    assert grants == {}


def test_holdings_at_year_end_leave_out_copies_written_off_by_then(
    stock, django_assert_num_queries
):
    a, b = stock
    with django_assert_num_queries(1):
        values = catalog_stats.holdings(years=YEARS)
    assert values[(a.pk, 2019)] == 3
    assert values[(a.pk, 2020)] == 5
    assert values[(a.pk, 2021)] == 4
    assert values[(b.pk, 2021)] == 4
    assert (b.pk, 2019) not in values


def test_withdrawals_count_copies_in_the_year_of_the_act(stock):
    a, _b = stock
    assert catalog_stats.withdrawals(years=YEARS) == {(a.pk, 2021): 1}


def test_catalogue_records_are_one_network_figure_growing_by_year_end():
    for day in (datetime(2019, 6, 1, tzinfo=KYIV), datetime(2020, 6, 1, tzinfo=KYIV)):
        RecordFactory(created_at=day)
    RecordFactory(created_at=datetime(2020, 7, 1, tzinfo=KYIV), is_local_lore=True)
    assert catalog_stats.records(years=YEARS) == {
        (None, 2019): 1,
        (None, 2020): 3,
        (None, 2021): 3,
    }
    assert catalog_stats.local_lore_records(years=YEARS) == {(None, 2020): 1, (None, 2021): 1}
    assert catalog_stats.COMPUTED["catalog.records"].additive is False


def test_zero_hit_searches_count_per_library_filter_and_for_the_whole_network(branch_a):
    at = datetime(2021, 4, 1, tzinfo=KYIV)
    SearchLog.objects.create(query="а", normalized="а", hits=0, created_at=at)
    SearchLog.objects.create(query="б", normalized="б", hits=0, created_at=at, branch=branch_a)
    SearchLog.objects.create(query="в", normalized="в", hits=7, created_at=at, branch=branch_a)
    assert catalog_stats.zero_hit_searches(years=YEARS) == {
        (None, 2021): 2,
        (branch_a.pk, 2021): 1,
    }


def test_readers_are_counted_in_the_year_and_library_of_registration(
    branch_a, branch_b, django_assert_num_queries
):
    register_readers(branch_a, 2020, 3)
    register_readers(branch_a, 2021, 1, ReaderProfile.Category.CHILD)
    register_readers(branch_b, 2021, 2, ReaderProfile.Category.CHILD)
    with django_assert_num_queries(1):
        values = accounts_stats.readers(years=YEARS)
    assert values == {(branch_a.pk, 2020): 3, (branch_a.pk, 2021): 1, (branch_b.pk, 2021): 2}
    assert accounts_stats.readers_total(years=[2021], branch_ids=[branch_a.pk]) == {
        (branch_a.pk, 2021): 4
    }
    with django_assert_num_queries(1):
        rows = accounts_stats.readers_by_category(years=[2021])
    assert sorted((r["branch_id"], r["category"], r["count"]) for r in rows) == sorted(
        [(branch_a.pk, "child", 1), (branch_b.pk, "child", 2)]
    )


def test_the_registry_gathers_every_apps_computed_indicators():
    registry = computed_indicators()
    assert "catalog.holdings" in registry
    assert "accounts.readers" in registry
    assert "strategy.training_hours" in registry


def test_breakdowns_by_document_type_and_withdrawal_reason_group_the_same_copies(
    stock, django_assert_num_queries
):
    a, _b = stock
    with django_assert_num_queries(1):
        by_type = catalog_stats.acquisitions_by_material(years=[2020], branch_ids=[a.pk])
    assert [(r["kind"], r["count"], str(r["label"])) for r in by_type] == [("book", 2, "Книга")]
    with django_assert_num_queries(1):
        by_reason = catalog_stats.withdrawals_by_reason(years=YEARS)
    assert [(r["branch_id"], r["year"], r["kind"], r["count"]) for r in by_reason] == [
        (a.pk, 2021, "worn_out", 1)
    ]


def test_grant_applications_count_when_submitted_and_when_the_funder_decided(branch_a, branch_b):
    from django.core.exceptions import ValidationError

    from strategy import stats as strategy_stats
    from strategy.models import GrantApplication

    def application(branch, status, submitted=None, decided=None, amount=None):
        return GrantApplication.objects.create(
            title="Проєкт",
            funder="УКФ",
            branch=branch,
            author="Олена К.",
            status=status,
            deadline=date(2020, 3, 1),
            submitted_on=submitted,
            decided_on=decided,
            amount_won=amount,
        )

    application(branch_a, "preparing")
    application(branch_a, "rejected", date(2020, 2, 20), date(2020, 5, 1))
    application(branch_a, "won", date(2020, 11, 20), date(2021, 2, 1), Decimal("40000"))
    application(branch_b, "reported", date(2020, 2, 1), date(2020, 4, 1), Decimal("15000.50"))

    assert strategy_stats.grants_applied(years=[2020, 2021]) == {
        (branch_a.pk, 2020): 2,
        (branch_b.pk, 2020): 1,
    }
    assert strategy_stats.grants_won(years=[2020, 2021]) == {
        (branch_a.pk, 2021): 1,
        (branch_b.pk, 2020): 1,
    }
    assert strategy_stats.grants_amount(years=[2020, 2021], branch_ids=[branch_b.pk]) == {
        (branch_b.pk, 2020): Decimal("15000.50")
    }

    unfinished = GrantApplication(
        title="Проєкт",
        funder="УКФ",
        branch=branch_a,
        author="Олена К.",
        status="won",
        deadline=date(2020, 3, 1),
    )
    with pytest.raises(ValidationError) as refused:
        unfinished.full_clean()
    assert refused.value.message_dict == {
        "submitted_on": ["Вкажіть, коли заявку подано."],
        "decided_on": ["Вкажіть дату рішення грантодавця."],
        "amount_won": ["Вкажіть, скільки коштів отримано."],
    }


def test_income_outside_the_budget_is_summed_by_kind_library_and_year(branch_a, branch_b):
    from strategy.models import ExtraIncome
    from strategy.sources import computed_indicators

    for branch, kind, day, amount in [
        (branch_a, "sponsors", date(2019, 3, 1), "5000"),
        (branch_a, "sponsors", date(2019, 9, 1), "2500.25"),
        (branch_a, "charity", date(2019, 9, 1), "700"),
        (branch_b, "paid_services", date(2020, 1, 10), "340"),
    ]:
        ExtraIncome.objects.create(branch=branch, kind=kind, date=day, amount=Decimal(amount))
    registry = computed_indicators()

    sponsors = registry["strategy.income.sponsors"].func(years=[2019, 2020])
    assert sponsors == {(branch_a.pk, 2019): Decimal("7500.25")}
    paid = registry["strategy.income.paid_services"].func(years=[2019, 2020])
    assert paid == {(branch_b.pk, 2020): Decimal("340")}
