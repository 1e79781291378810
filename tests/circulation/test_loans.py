"""Check-out, check-in, renewal and the reading history at the desk."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry

from accounts.models import ReaderProfile
from catalog.models import Item, Record
from circulation.models import Loan, LoanPolicy, Transit
from circulation.services import (
    CirculationRefusal,
    due_date_for,
    hold_place,
    loan_checkin,
    loan_checkout,
    loan_renew,
    loans_renew_all,
    reading_history_delete,
)
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.conftest import MONDAY
from tests.circulation.factories import LoanPolicyFactory, make_reader_profile
from tests.factories import ClosureFactory

pytestmark = pytest.mark.django_db

OLD = datetime(2020, 1, 1, tzinfo=KYIV)


def lend(copy, reader, branch, user, **kwargs):
    return loan_checkout(item=copy, reader=reader, branch=branch, acting_user=user, **kwargs)


# --- due dates -----------------------------------------------------------------------------


def test_a_loan_is_due_thirty_days_later_on_an_open_day(desk, copy, reader_a, librarian_a):
    loan = lend(copy, reader_a, desk["a"], librarian_a)

    # 2 March + 30 days = Wednesday 1 April, a working day of branch A.
    assert loan.due_on == date(2026, 4, 1)
    copy.refresh_from_db()
    assert copy.status == Item.Status.ON_LOAN


def test_a_due_date_on_a_day_off_moves_to_the_next_open_day(desk):
    # 2 March + 5 days = Saturday 7 March: A is closed at weekends, B works on Saturdays.
    assert due_date_for(branch=desk["a"], start=date(2026, 3, 2), days=5) == date(2026, 3, 9)
    assert due_date_for(branch=desk["b"], start=date(2026, 3, 2), days=5) == date(2026, 3, 7)


def test_a_due_date_on_a_closure_moves_past_it(desk):
    ClosureFactory(branch=desk["a"], start_date=date(2026, 4, 1), end_date=date(2026, 4, 3))

    assert due_date_for(branch=desk["a"], start=date(2026, 3, 2), days=30) == date(2026, 4, 6)


def test_a_network_wide_closure_moves_the_due_date_too(desk):
    ClosureFactory(branch=None, start_date=date(2026, 4, 1), end_date=date(2026, 4, 1))

    assert due_date_for(branch=desk["a"], start=date(2026, 3, 2), days=30) == date(2026, 4, 2)


# --- check-out rules -----------------------------------------------------------------------


def test_a_reference_copy_is_never_lent(desk, copy, reader_a, librarian_a):
    Item.objects.filter(pk=copy.pk).update(status=Item.Status.REFERENCE)

    with pytest.raises(CirculationRefusal) as refusal:
        lend(copy, reader_a, desk["a"], librarian_a)

    assert refusal.value.code == "reference"
    assert "читальній залі" in refusal.value.messages[0]
    assert not Loan.objects.exists()


def test_a_copy_already_on_loan_is_not_lent_again(desk, copy, reader_a, reader_b, librarian_a):
    lend(copy, reader_a, desk["a"], librarian_a)

    with pytest.raises(CirculationRefusal) as refusal:
        lend(copy, reader_b, desk["a"], librarian_a)

    assert refusal.value.code == "on_loan"
    assert Loan.objects.open().count() == 1


def test_a_copy_marked_on_the_shelf_while_on_loan_is_still_not_lent_twice(
    desk, copy, reader_a, reader_b, librarian_a
):
    first = lend(copy, reader_a, desk["a"], librarian_a)
    Item.objects.filter(pk=copy.pk).update(status=Item.Status.ON_SHELF)  # e.g. a hand edit

    with pytest.raises(CirculationRefusal) as refusal:
        lend(copy, reader_b, desk["a"], librarian_a)

    assert refusal.value.code == "on_loan"
    assert list(Loan.objects.open()) == [first]
    assert LogEntry.objects.count() == 1  # the refused check-out left no trace


def test_a_reader_at_the_limit_of_five_gets_no_sixth(desk, reader_a, librarian_a):
    copies = ItemFactory.create_batch(6, branch=desk["a"], added_at=OLD)
    for copy in copies[:5]:
        lend(copy, reader_a, desk["a"], librarian_a)

    with pytest.raises(CirculationRefusal) as refusal:
        lend(copies[5], reader_a, desk["a"], librarian_a)

    assert refusal.value.code == "limit"
    assert refusal.value.messages[0] == "У читача вже 5 документів — більше одночасно не можна."


def test_a_library_rule_that_does_not_lend_refuses(desk, copy, reader_a, librarian_a):
    LoanPolicyFactory(branch=desk["a"], lends=False, renewals=0)

    with pytest.raises(CirculationRefusal) as refusal:
        lend(copy, reader_a, desk["a"], librarian_a)

    assert refusal.value.code == "not_lent"


def test_a_child_gets_the_childrens_period(desk, copy, librarian_a):
    child = make_reader_profile(branch=desk["a"], category=ReaderProfile.Category.CHILD)

    loan = lend(copy, child, desk["a"], librarian_a)

    # 2 March + 15 days = Tuesday 17 March.
    assert loan.due_on == date(2026, 3, 17)


def test_a_new_arrival_goes_out_for_fifteen_days(desk, reader_a, librarian_a):
    copy = ItemFactory(branch=desk["a"], added_at=MONDAY - timedelta(days=10))

    assert lend(copy, reader_a, desk["a"], librarian_a).due_on == date(2026, 3, 17)


def test_a_loan_keeps_what_statistics_need(desk, copy, reader_b, librarian_a):
    loan = lend(copy, reader_b, desk["a"], librarian_a)

    assert loan.branch == desk["a"]
    assert loan.home_branch == desk["b"]
    assert loan.reader_category == ReaderProfile.Category.ADULT
    assert loan.material_type == Record.MaterialType.BOOK


def test_the_loan_is_in_the_admin_history_without_the_readers_name(
    desk, copy, reader_a, librarian_a
):
    loan = lend(copy, reader_a, desk["a"], librarian_a)

    entry = LogEntry.objects.get(object_id=str(loan.pk), content_type__model="loan")
    assert entry.user == librarian_a
    assert copy.inventory_number in entry.change_message
    assert reader_a.user.last_name not in entry.change_message + entry.object_repr


# --- check-in ------------------------------------------------------------------------------


def test_a_returned_copy_goes_back_on_the_shelf(desk, copy, reader_a, librarian_a):
    lend(copy, reader_a, desk["a"], librarian_a)

    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    copy.refresh_from_db()
    assert copy.status == Item.Status.ON_SHELF
    assert result.loan.returned_at is not None
    assert (result.hold, result.transit_to) == (None, None)


def test_a_copy_returned_at_another_library_travels_home(
    desk, copy, reader_a, librarian_a, librarian_b
):
    lend(copy, reader_a, desk["a"], librarian_a)

    result = loan_checkin(item=copy, branch=desk["b"], acting_user=librarian_b)

    copy.refresh_from_db()
    assert result.transit_to == desk["a"]
    assert copy.status == Item.Status.IN_TRANSIT
    assert result.loan.returned_branch == desk["b"]
    transit = Transit.objects.get(item=copy)
    assert (transit.from_branch, transit.to_branch) == (desk["b"], desk["a"])

    home = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    copy.refresh_from_db()
    assert copy.status == Item.Status.ON_SHELF
    assert home.transit_to is None
    assert Transit.objects.open().count() == 0


def test_without_the_opt_in_a_returned_loan_forgets_the_reader(desk, copy, reader_a, librarian_a):
    lend(copy, reader_a, desk["a"], librarian_a)

    loan = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a).loan

    loan.refresh_from_db()
    assert loan.reader is None
    assert (loan.reader_category, loan.branch, loan.material_type) == (
        ReaderProfile.Category.ADULT,
        desk["a"],
        Record.MaterialType.BOOK,
    )


def test_with_the_opt_in_the_reader_keeps_and_can_delete_the_history(desk, book, copy, librarian_a):
    reader = make_reader_profile(branch=desk["a"], keeps_reading_history=True)
    other = ItemFactory(branch=desk["a"], added_at=OLD)
    lend(copy, reader, desk["a"], librarian_a)
    lend(other, reader, desk["a"], librarian_a)
    first = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a).loan
    loan_checkin(item=other, branch=desk["a"], acting_user=librarian_a)

    assert Loan.objects.returned().filter(reader=reader).count() == 2

    assert reading_history_delete(reader=reader, loan=first) == 1
    assert Loan.objects.returned().filter(reader=reader).count() == 1
    assert reading_history_delete(reader=reader) == 1
    assert not Loan.objects.filter(reader=reader).exists()


def test_deleting_the_history_leaves_open_loans_alone(desk, copy, librarian_a):
    reader = make_reader_profile(branch=desk["a"], keeps_reading_history=True)
    lend(copy, reader, desk["a"], librarian_a)

    assert reading_history_delete(reader=reader) == 0
    assert Loan.objects.open().get().reader == reader


def test_checking_in_a_copy_that_is_not_lent_says_so(desk, copy, librarian_a):
    Item.objects.filter(pk=copy.pk).update(status=Item.Status.IN_PROCESSING)

    with pytest.raises(CirculationRefusal) as refusal:
        loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    assert refusal.value.code == "not_on_loan"


# --- renewal -------------------------------------------------------------------------------


def test_a_renewal_counts_from_today_and_lands_on_an_open_day(
    desk, copy, reader_a, librarian_a, freeze_now
):
    loan = lend(copy, reader_a, desk["a"], librarian_a)
    freeze_now(datetime(2026, 3, 25, 12, tzinfo=KYIV))  # a Wednesday

    loan = loan_renew(loan=loan, by_reader=True)

    # 25 March + 30 = Friday 24 April.
    assert (loan.due_on, loan.renewals_used) == (date(2026, 4, 24), 1)


def test_renewals_stop_at_the_policy_limit_with_the_reason(
    desk, copy, reader_a, librarian_a, freeze_now
):
    loan = lend(copy, reader_a, desk["a"], librarian_a)
    for day in (20, 45):
        freeze_now(datetime(2026, 3, 2, 12, tzinfo=KYIV) + timedelta(days=day))
        loan = loan_renew(loan=loan, by_reader=True)
    freeze_now(datetime(2026, 3, 2, 12, tzinfo=KYIV) + timedelta(days=70))

    with pytest.raises(CirculationRefusal) as refusal:
        loan_renew(loan=loan, by_reader=True)

    assert refusal.value.code == "renewal_limit"
    assert refusal.value.messages[0] == "Уже продовжено 2 рази — більше не можна."


def test_no_renewal_when_another_reader_waits_and_no_other_copy_is_free(
    desk, book, copy, reader_a, reader_b, librarian_a, freeze_now
):
    loan = lend(copy, reader_a, desk["a"], librarian_a)
    hold_place(record=book, reader=reader_b, pickup_branch=desk["b"])
    freeze_now(datetime(2026, 3, 20, 12, tzinfo=KYIV))

    with pytest.raises(CirculationRefusal) as refusal:
        loan_renew(loan=loan, by_reader=True)

    assert refusal.value.code == "on_hold"
    assert "чекають інші читачі" in refusal.value.messages[0]


def test_a_renewal_is_allowed_when_another_copy_is_on_a_shelf_for_the_waiting_reader(
    desk, book, copy, reader_a, reader_b, librarian_a, freeze_now
):
    loan = lend(copy, reader_a, desk["a"], librarian_a)
    hold_place(record=book, reader=reader_b, pickup_branch=desk["b"])
    ItemFactory(record=book, branch=desk["b"], added_at=OLD)
    freeze_now(datetime(2026, 3, 20, 12, tzinfo=KYIV))

    assert loan_renew(loan=loan, by_reader=True).renewals_used == 1


def test_an_overdue_loan_is_renewed_only_at_the_desk(desk, copy, reader_a, librarian_a, freeze_now):
    loan = lend(copy, reader_a, desk["a"], librarian_a)
    freeze_now(datetime(2026, 4, 10, 12, tzinfo=KYIV))

    with pytest.raises(CirculationRefusal) as refusal:
        loan_renew(loan=loan, by_reader=True)
    assert refusal.value.code == "overdue"

    renewed = loan_renew(loan=loan, acting_user=librarian_a)
    assert renewed.due_on == date(2026, 5, 11)  # 10 April + 30 = Sunday 10 May → Monday


def test_renewing_on_the_day_of_the_loan_is_refused_as_pointless(desk, copy, reader_a, librarian_a):
    loan = lend(copy, reader_a, desk["a"], librarian_a)

    with pytest.raises(CirculationRefusal) as refusal:
        loan_renew(loan=loan, by_reader=True)

    assert refusal.value.code == "too_soon"


def test_renew_all_renews_what_it_can_and_gives_the_reason_for_the_rest(
    desk, book, copy, reader_a, reader_b, librarian_a, freeze_now
):
    held = lend(copy, reader_a, desk["a"], librarian_a)
    free = lend(ItemFactory(branch=desk["a"], added_at=OLD), reader_a, desk["a"], librarian_a)
    hold_place(record=book, reader=reader_b, pickup_branch=desk["a"])
    freeze_now(datetime(2026, 3, 20, 12, tzinfo=KYIV))

    results = {loan.pk: reason for loan, reason in loans_renew_all(reader=reader_a)}

    assert results[free.pk] is None
    assert "чекають інші читачі" in results[held.pk]
    assert Loan.objects.get(pk=free.pk).renewals_used == 1
    assert Loan.objects.get(pk=held.pk).renewals_used == 0


def test_a_periodical_is_renewed_once(desk, reader_a, librarian_a, freeze_now):
    record = RecordFactory(material_type=Record.MaterialType.PERIODICAL)
    copy = ItemFactory(record=record, branch=desk["a"], added_at=OLD)
    loan = lend(copy, reader_a, desk["a"], librarian_a)
    assert LoanPolicy.objects.for_(material_type="periodical").renewals == 1
    freeze_now(datetime(2026, 3, 12, 12, tzinfo=KYIV))
    loan = loan_renew(loan=loan, by_reader=True)
    freeze_now(datetime(2026, 3, 24, 12, tzinfo=KYIV))

    with pytest.raises(CirculationRefusal) as refusal:
        loan_renew(loan=loan, by_reader=True)

    assert refusal.value.messages[0] == "Уже продовжено 1 раз — більше не можна."


def test_a_lent_copy_comes_back_only_through_check_in_not_a_status_change(
    desk, copy, reader_a, librarian_a
):
    from django.core.exceptions import ValidationError

    from catalog.services import item_change_status

    lend(copy, reader_a, desk["a"], librarian_a)

    with pytest.raises(ValidationError):
        item_change_status(item=copy, to=Item.Status.ON_SHELF, acting_user=librarian_a)
    assert Loan.objects.open().filter(item=copy).exists()
