"""A reader who closes their account (accounts.services.reader_close): lending refuses while
books are out, and otherwise lets go of the person — holds cancelled, history forgotten."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import ReaderProfile
from accounts.services import reader_close
from circulation.models import Hold, Loan
from circulation.services import hold_place, loan_checkin, loan_checkout
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.django_db


def test_a_reader_with_a_book_out_cannot_close_the_account_and_keeps_it(
    desk, copy, reader_a, librarian_a
):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)

    with pytest.raises(PermissionDenied, match="У вас на руках 1 документ"):
        reader_close(user=reader_a.user)

    reader_a.refresh_from_db()
    reader_a.user.refresh_from_db()
    assert reader_a.status != ReaderProfile.Status.LEFT
    assert reader_a.user.is_active
    assert Loan.objects.open().get().reader == reader_a


def test_closing_cancels_holds_passes_the_set_aside_copy_on_and_forgets_the_history(
    desk, book, copy, reader_a, librarian_a, branch_a
):
    reader_a.keeps_reading_history = True
    reader_a.save()
    read = loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)
    read.refresh_from_db()
    assert read.reader == reader_a  # kept: the reader keeps a reading history
    other = make_reader_profile(branch=branch_a, username="petro")
    loan_checkout(item=copy, reader=other, branch=desk["a"], acting_user=librarian_a)
    mine = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    next_in_queue = hold_place(
        record=book,
        reader=make_reader_profile(branch=branch_a, username="ira"),
        pickup_branch=desk["a"],
    )
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)
    mine.refresh_from_db()
    assert mine.status == Hold.Status.READY

    reader_close(user=reader_a.user)

    mine.refresh_from_db()
    next_in_queue.refresh_from_db()
    assert mine.status == Hold.Status.CANCELLED and mine.reader is None
    assert next_in_queue.status == Hold.Status.READY
    assert not Loan.objects.filter(reader=reader_a).exists()
    read.refresh_from_db()
    assert read.reader is None and read.returned_at is not None
