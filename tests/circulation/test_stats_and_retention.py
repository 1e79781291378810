"""What lending hands to the plan's indicators, and what it forgets."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from circulation import stats
from circulation.models import Hold, Loan
from circulation.services import hold_cancel, hold_place, loan_checkin, loan_checkout
from core.retention import personal_data_anonymise
from core.tz import KYIV
from tests.catalog.factories import ItemFactory
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.django_db

OLD = datetime(2020, 1, 1, tzinfo=KYIV)


def test_loans_count_at_the_lending_library_in_the_year_of_the_loan(
    desk, copy, reader_a, reader_b, librarian_a, librarian_b, django_assert_num_queries
):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    loan_checkin(item=copy, branch=desk["b"], acting_user=librarian_b)
    other = ItemFactory(branch=desk["b"], added_at=OLD)
    loan_checkout(item=other, reader=reader_b, branch=desk["b"], acting_user=librarian_b)

    with django_assert_num_queries(1):
        values = stats.loans(years=[2026])

    assert values == {(desk["a"].pk, 2026): 1, (desk["b"].pk, 2026): 1}
    assert stats.loans(years=[2026], branch_ids=[desk["a"].pk]) == {(desk["a"].pk, 2026): 1}


def test_the_overdue_share_counts_late_returns_and_loans_still_out_past_due(
    desk, reader_a, librarian_a, freeze_now
):
    copies = ItemFactory.create_batch(4, branch=desk["a"], added_at=OLD)
    for copy in copies:
        loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    loan_checkin(item=copies[0], branch=desk["a"], acting_user=librarian_a)  # on time
    freeze_now(datetime(2026, 4, 20, 12, tzinfo=KYIV))  # due 1 April
    loan_checkin(item=copies[1], branch=desk["a"], acting_user=librarian_a)  # late

    share = stats.overdue_share(years=[2026])

    assert stats.overdue_loans(years=[2026]) == {(desk["a"].pk, 2026): 3}
    assert share == {(desk["a"].pk, 2026): Decimal("75.0"), (None, 2026): Decimal("75.0")}


def test_loans_break_down_by_category_type_and_month(desk, copy, librarian_a):
    child = make_reader_profile(branch=desk["a"], category="child")
    loan_checkout(item=copy, reader=child, branch=desk["a"], acting_user=librarian_a)

    by_category = stats.loans_by("category", years=[2026])
    by_month = stats.loans_by("month", years=[2026])
    by_branch = stats.loans_by("branch", years=[2026])

    assert [(r["key"], r["label"], r["loans"]) for r in by_category] == [
        ("child", "Дитина (до 14 років)", 1)
    ]
    assert [(r["key"], r["loans"]) for r in by_month] == [(3, 1)]
    assert by_branch[0]["label"] == desk["a"].name
    with pytest.raises(ValueError):
        stats.loans_by("colour", years=[2026])


def test_holds_count_at_the_pickup_library(desk, book, copy, reader_a, librarian_a):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["b"])

    assert stats.holds(years=[2026]) == {(desk["b"].pk, 2026): 1}
    assert stats.holds_fulfilled(years=[2026]) == {}


def test_retention_forgets_the_reader_of_old_finished_holds_and_unwanted_history(
    desk, book, copy, reader_a, librarian_a, freeze_now
):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    hold_cancel(hold=hold)
    opted_in = make_reader_profile(branch=desk["a"], keeps_reading_history=True)
    loan_checkout(item=copy, reader=opted_in, branch=desk["a"], acting_user=librarian_a)
    loan = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a).loan
    opted_in.keeps_reading_history = False  # the reader changed their mind
    opted_in.save()
    open_loan = loan_checkout(
        item=ItemFactory(branch=desk["a"], added_at=OLD),
        reader=reader_a,
        branch=desk["a"],
        acting_user=librarian_a,
    )
    freeze_now(datetime(2026, 3, 2, 11, tzinfo=KYIV) + timedelta(days=800))

    results = {r.shredder.name: r for r in personal_data_anonymise()}

    assert results["circulation.loans"].count == 1
    assert results["circulation.holds"].count == 1
    assert Hold.objects.get(pk=hold.pk).reader is None
    assert Loan.objects.get(pk=loan.pk).reader is None
    assert Loan.objects.get(pk=open_loan.pk).reader == reader_a
