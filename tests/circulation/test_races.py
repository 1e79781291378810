"""Two desks at once, on real connections: one copy is never lent twice, and a reader never
gets two active holds for one title."""

import threading
from datetime import datetime

import pytest
from django.db import connection

from accounts.models import StaffProfile
from catalog.models import Item
from circulation.models import Hold, Loan
from circulation.services import CirculationRefusal, hold_place, loan_checkin, loan_checkout
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.factories import make_reader_profile
from tests.factories import BranchFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*actions):
    """Start each action in its own thread (its own database connection) at the same moment;
    return what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 — the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def library():
    branch = BranchFactory()
    staff = [UserFactory(is_staff=True) for _ in range(2)]
    for user in staff:
        StaffProfile.objects.create(user=user, role=StaffProfile.Role.LIBRARIAN, branch=branch)
    copy = ItemFactory(
        record=RecordFactory(), branch=branch, added_at=datetime(2020, 1, 1, tzinfo=KYIV)
    )
    return branch, staff, copy


def test_two_desks_lending_one_copy_to_two_readers_make_exactly_one_loan(library):
    branch, (desk_1, desk_2), copy = library
    readers = [make_reader_profile(branch=branch) for _ in range(2)]

    outcomes = run_together(
        lambda: loan_checkout(item=copy, reader=readers[0], branch=branch, acting_user=desk_1),
        lambda: loan_checkout(item=copy, reader=readers[1], branch=branch, acting_user=desk_2),
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "CirculationRefusal",
        "Loan",
    ]
    refusal = next(o for o in outcomes if isinstance(o, CirculationRefusal))
    assert refusal.code == "on_loan"
    assert Loan.objects.filter(item=copy).count() == 1
    assert Item.objects.get(pk=copy.pk).status == Item.Status.ON_LOAN


def test_two_desks_scanning_one_copy_for_one_reader_make_exactly_one_loan(library):
    branch, (desk_1, desk_2), copy = library
    reader = make_reader_profile(branch=branch)

    outcomes = run_together(
        lambda: loan_checkout(item=copy, reader=reader, branch=branch, acting_user=desk_1),
        lambda: loan_checkout(item=copy, reader=reader, branch=branch, acting_user=desk_2),
    )

    assert sum(isinstance(outcome, Loan) for outcome in outcomes) == 1
    assert Loan.objects.filter(item=copy).count() == 1


def test_the_last_copy_returned_while_two_readers_reserve_it_goes_to_the_first_in_line(library):
    branch, (desk_1, _desk_2), copy = library
    holder, first, second = (make_reader_profile(branch=branch) for _ in range(3))
    loan_checkout(item=copy, reader=holder, branch=branch, acting_user=desk_1)

    outcomes = run_together(
        lambda: hold_place(record=copy.record, reader=first, pickup_branch=branch),
        lambda: hold_place(record=copy.record, reader=second, pickup_branch=branch),
    )
    assert all(isinstance(outcome, Hold) for outcome in outcomes)

    result = loan_checkin(item=copy, branch=branch, acting_user=desk_1)

    queue = list(Hold.objects.filter(record=copy.record).order_by("placed_at", "pk"))
    assert result.hold == queue[0]
    assert [hold.status for hold in queue] == [Hold.Status.READY, Hold.Status.WAITING]


def test_one_reader_reserving_the_same_title_twice_at_once_gets_one_hold(library):
    branch, (desk_1, _desk_2), copy = library
    reader = make_reader_profile(branch=branch)

    outcomes = run_together(
        *[lambda: hold_place(record=copy.record, reader=reader, pickup_branch=branch)] * 3
    )

    assert sum(isinstance(outcome, Hold) for outcome in outcomes) == 1
    assert all(isinstance(outcome, Hold) or outcome.code == "already_held" for outcome in outcomes)
    assert Hold.objects.filter(reader=reader).count() == 1


def test_two_desks_lending_the_last_free_places_of_one_reader_stop_at_the_limit(library):
    """A reader with four loans at two desks at once: the fifth is lent, the sixth refused."""
    branch, (desk_1, desk_2), _copy = library
    reader = make_reader_profile(branch=branch)
    old = datetime(2020, 1, 1, tzinfo=KYIV)
    copies = [ItemFactory(branch=branch, added_at=old) for _ in range(6)]
    for copy in copies[:4]:
        loan_checkout(item=copy, reader=reader, branch=branch, acting_user=desk_1)

    outcomes = run_together(
        lambda: loan_checkout(item=copies[4], reader=reader, branch=branch, acting_user=desk_1),
        lambda: loan_checkout(item=copies[5], reader=reader, branch=branch, acting_user=desk_2),
    )

    assert sum(isinstance(outcome, Loan) for outcome in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, CirculationRefusal)] == ["limit"]
    assert Loan.objects.open().filter(reader=reader).count() == 5


def test_a_returned_copy_someone_waits_for_never_goes_to_another_reader_at_the_next_desk(
    library,
):
    branch, (desk_1, desk_2), copy = library
    holder, waiting, walk_in = (make_reader_profile(branch=branch) for _ in range(3))
    loan_checkout(item=copy, reader=holder, branch=branch, acting_user=desk_1)
    hold = hold_place(record=copy.record, reader=waiting, pickup_branch=branch)

    outcomes = run_together(
        lambda: loan_checkin(item=copy, branch=branch, acting_user=desk_1),
        lambda: loan_checkout(item=copy, reader=walk_in, branch=branch, acting_user=desk_2),
    )

    refusal = outcomes[1]
    assert isinstance(refusal, CirculationRefusal)
    assert refusal.code in {"on_loan", "held_for_another"}
    hold.refresh_from_db()
    assert hold.status == Hold.Status.READY
    assert not Loan.objects.filter(reader=walk_in).exists()
