"""Title-level holds: the queue, capture at check-in, transit to the pickup library, the hold
shelf and its expiry, suspension that keeps the place, pickup changes and cancellation."""

from datetime import date, datetime

import pytest
from django.db import IntegrityError

from branches.models import Branch
from catalog.models import Item, Record
from circulation.models import Hold, Transit
from circulation.services import (
    CirculationRefusal,
    hold_cancel,
    hold_change_pickup,
    hold_place,
    hold_queue_position,
    hold_resume,
    hold_suspend,
    holds_expire,
    holds_pull_list,
    loan_checkin,
    loan_checkout,
    transit_receive,
)
from core.tz import KYIV
from tests.catalog.factories import ItemFactory
from tests.circulation.factories import LoanPolicyFactory, make_reader_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def lent(desk, copy, librarian_a):
    """The only copy of the book is out with a third reader."""
    holder = make_reader_profile(branch=desk["a"])
    return loan_checkout(item=copy, reader=holder, branch=desk["a"], acting_user=librarian_a)


def test_the_queue_tells_each_reader_their_place(desk, book, lent):
    readers = [make_reader_profile(branch=desk["a"]) for _ in range(5)]
    holds = [hold_place(record=book, reader=r, pickup_branch=desk["a"]) for r in readers]

    assert [hold_queue_position(hold) for hold in holds] == [(n, 5) for n in range(1, 6)]
    annotated = Hold.objects.with_queue_position().get(pk=holds[2].pk)
    assert (annotated.queue_position, annotated.queue_length) == (3, 5)


def test_a_reader_has_one_active_hold_per_title(desk, book, lent, reader_a):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    with pytest.raises(CirculationRefusal) as refusal:
        hold_place(record=book, reader=reader_a, pickup_branch=desk["b"])

    assert refusal.value.code == "already_held"


def test_the_database_refuses_a_second_active_hold_too(desk, book, lent, reader_a):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    with pytest.raises(IntegrityError):
        Hold.objects.create(record=book, reader=reader_a, pickup_branch=desk["b"])


def test_a_reader_cannot_reserve_what_they_already_have(desk, book, copy, reader_a, librarian_a):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)

    with pytest.raises(CirculationRefusal) as refusal:
        hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    assert refusal.value.code == "already_on_loan"


def test_a_title_with_only_reference_copies_cannot_be_reserved(desk, book, copy, reader_a):
    Item.objects.filter(pk=copy.pk).update(status=Item.Status.REFERENCE)

    with pytest.raises(CirculationRefusal) as refusal:
        hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    assert refusal.value.code == "no_copies"


def test_a_library_that_takes_no_holds_refuses(desk, book, lent, reader_a):
    LoanPolicyFactory(branch=desk["b"], holds_allowed=False)

    with pytest.raises(CirculationRefusal) as refusal:
        hold_place(record=book, reader=reader_a, pickup_branch=desk["b"])

    assert refusal.value.code == "holds_not_allowed"


def test_check_in_puts_the_copy_aside_for_the_first_reader_picking_up_here(
    desk, book, copy, lent, reader_a, reader_b, librarian_a
):
    first = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    hold_place(record=book, reader=reader_b, pickup_branch=desk["a"])

    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    first.refresh_from_db()
    copy.refresh_from_db()
    assert result.hold == first
    assert first.status == Hold.Status.READY
    assert first.item == copy
    assert copy.status == Item.Status.ON_HOLD_SHELF
    # Monday 2 March + 5 days on the hold shelf = Saturday; A is closed → Monday 9 March.
    assert first.expires_on == date(2026, 3, 9)


def test_check_in_sends_the_copy_to_the_first_readers_pickup_library(
    desk, book, copy, lent, reader_a, librarian_a, librarian_b
):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["b"])

    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    hold.refresh_from_db()
    assert result.transit_to == desk["b"]
    assert hold.status == Hold.Status.IN_TRANSIT
    assert Transit.objects.open().get().to_branch == desk["b"]

    arrived = transit_receive(item=copy, branch=desk["b"], acting_user=librarian_b)

    hold.refresh_from_db()
    copy.refresh_from_db()
    assert arrived.hold == hold
    assert hold.status == Hold.Status.READY
    assert copy.status == Item.Status.ON_HOLD_SHELF


def test_a_suspended_hold_keeps_its_place_but_is_passed_over(
    desk, book, copy, lent, reader_a, reader_b, librarian_a
):
    first = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    second = hold_place(record=book, reader=reader_b, pickup_branch=desk["a"])
    hold_suspend(hold=first, until=date(2026, 4, 1))

    assert hold_queue_position(first) == (1, 2)
    assert hold_queue_position(second) == (2, 2)

    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    assert result.hold == second
    first.refresh_from_db()
    assert first.status == Hold.Status.SUSPENDED


def test_a_resumed_hold_is_served_first_again(
    desk, book, copy, lent, reader_a, reader_b, librarian_a
):
    first = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    hold_place(record=book, reader=reader_b, pickup_branch=desk["a"])
    hold_suspend(hold=first)
    hold_resume(hold=first)

    assert loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a).hold == first


def test_only_the_reader_the_copy_waits_for_can_borrow_it(
    desk, book, copy, lent, reader_a, reader_b, librarian_a
):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    with pytest.raises(CirculationRefusal) as refusal:
        loan_checkout(item=copy, reader=reader_b, branch=desk["a"], acting_user=librarian_a)
    assert refusal.value.code == "held_for_another"

    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    assert Hold.objects.get(reader=reader_a).status == Hold.Status.FULFILLED


def test_an_uncollected_copy_goes_to_the_next_in_the_queue(
    desk, book, copy, lent, reader_a, reader_b, librarian_a
):
    first = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    second = hold_place(record=book, reader=reader_b, pickup_branch=desk["a"])
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    assert holds_expire(today=date(2026, 3, 9)) == 0  # still its last day
    assert holds_expire(today=date(2026, 3, 10)) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Hold.Status.EXPIRED
    assert second.status == Hold.Status.READY
    assert second.item == copy


def test_an_expired_hold_with_nobody_next_returns_the_copy_to_the_shelf(
    desk, book, copy, lent, reader_a, librarian_a
):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    holds_expire(today=date(2026, 3, 10))

    copy.refresh_from_db()
    assert copy.status == Item.Status.ON_SHELF


def test_cancelling_a_ready_hold_frees_the_copy_for_the_next_reader(
    desk, book, copy, lent, reader_a, reader_b, librarian_a
):
    first = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    second = hold_place(record=book, reader=reader_b, pickup_branch=desk["b"])
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    hold_cancel(hold=first)

    second.refresh_from_db()
    copy.refresh_from_db()
    assert second.status == Hold.Status.IN_TRANSIT
    assert copy.status == Item.Status.IN_TRANSIT


def test_a_cancelled_hold_cannot_be_cancelled_or_suspended_again(desk, book, lent, reader_a):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    hold_cancel(hold=hold)

    with pytest.raises(CirculationRefusal) as refusal:
        hold_suspend(hold=hold)

    assert refusal.value.code == "invalid_transition"
    assert "Скасовано" in refusal.value.messages[0]


def test_the_pickup_library_changes_while_the_hold_waits_only(
    desk, book, copy, lent, reader_a, librarian_a
):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    hold_change_pickup(hold=hold, pickup_branch=desk["b"])
    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    assert result.transit_to == desk["b"]
    with pytest.raises(CirculationRefusal):
        hold_change_pickup(hold=hold, pickup_branch=desk["a"])


def test_a_copy_on_the_shelf_is_on_the_pull_list_and_captured_when_scanned(
    desk, book, copy, reader_a, librarian_a
):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    assert list(holds_pull_list(branch=desk["a"])) == [copy]
    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    assert result.loan is None
    assert result.hold == hold
    assert list(holds_pull_list(branch=desk["a"])) == []


def test_borrowing_another_copy_fulfils_the_readers_hold(desk, book, lent, reader_a, librarian_a):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    other = ItemFactory(record=book, branch=desk["a"], added_at=datetime(2020, 1, 1, tzinfo=KYIV))

    loan_checkout(item=other, reader=reader_a, branch=desk["a"], acting_user=librarian_a)

    hold.refresh_from_db()
    assert hold.status == Hold.Status.FULFILLED


def test_a_copy_is_not_captured_for_a_reader_whose_rules_forbid_it(desk, copy, lent, librarian_a):
    """A child whose category may not borrow this type is passed over in the queue."""
    record = copy.record
    Record.objects.filter(pk=record.pk).update(material_type=Record.MaterialType.AUDIO)
    child = make_reader_profile(branch=desk["a"], category="child")
    adult = make_reader_profile(branch=desk["a"])
    child_hold = Hold.objects.create(record=record, reader=child, pickup_branch=desk["a"])
    adult_hold = hold_place(record=record, reader=adult, pickup_branch=desk["a"])
    LoanPolicyFactory(reader_category="child", material_type="audio", lends=False, renewals=0)

    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    assert result.hold == adult_hold
    child_hold.refresh_from_db()
    assert child_hold.status == Hold.Status.WAITING


def test_a_copy_that_arrives_at_the_wrong_library_is_sent_on_to_the_pickup_library(
    desk, book, copy, lent, reader_a, librarian_a
):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["b"])
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)
    third = Branch.objects.exclude(pk__in=[desk["a"].pk, desk["b"].pk]).first()

    result = transit_receive(item=copy, branch=third, acting_user=librarian_a)

    assert result.transit_to == desk["b"]
    hold.refresh_from_db()
    assert hold.status == Hold.Status.IN_TRANSIT
    assert Transit.objects.open().get().from_branch == third


def test_borrowing_another_copy_releases_the_one_waiting_on_the_hold_shelf(
    desk, book, copy, lent, reader_a, reader_b, librarian_a
):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    second = hold_place(record=book, reader=reader_b, pickup_branch=desk["a"])
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)  # ready for reader_a
    other = ItemFactory(record=book, branch=desk["a"], added_at=datetime(2020, 1, 1, tzinfo=KYIV))

    loan_checkout(item=other, reader=reader_a, branch=desk["a"], acting_user=librarian_a)

    second.refresh_from_db()
    assert second.status == Hold.Status.READY
    assert second.item == copy


def test_a_suspension_that_is_over_lets_the_hold_be_served(
    desk, book, copy, lent, reader_a, librarian_a, freeze_now
):
    hold = hold_suspend(
        hold=hold_place(record=book, reader=reader_a, pickup_branch=desk["a"]),
        until=date(2026, 3, 5),
    )
    freeze_now(datetime(2026, 3, 6, 11, tzinfo=KYIV))

    result = loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)

    assert result.hold == hold
    hold.refresh_from_db()
    assert (hold.status, hold.suspended_until) == (Hold.Status.READY, None)


def test_a_suspension_cannot_end_in_the_past(desk, book, lent, reader_a):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    with pytest.raises(CirculationRefusal) as refusal:
        hold_suspend(hold=hold, until=date(2026, 3, 1))

    assert refusal.value.code == "past_date"


def test_staff_actions_on_holds_are_in_the_admin_history_without_names(
    desk, book, lent, reader_a, librarian_a
):
    from django.contrib.admin.models import LogEntry

    hold = hold_place(
        record=book, reader=reader_a, pickup_branch=desk["a"], acting_user=librarian_a
    )
    hold_cancel(hold=hold, acting_user=librarian_a)

    messages = list(
        LogEntry.objects.filter(content_type__model="hold", object_id=str(hold.pk)).values_list(
            "change_message", "object_repr"
        )
    )
    assert len(messages) == 2
    assert all(reader_a.user.last_name not in text for pair in messages for text in pair)
    assert ("Стан: У черзі → Скасовано", f"Замовлення № {hold.pk}") in messages
