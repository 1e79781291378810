from datetime import datetime, time

import pytest

from catalog.models import Item
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.factories import make_reader_profile
from tests.factories import set_hours

# A working Monday in March (no holiday): branch A is open Mon–Fri, branch B Mon–Sat.
MONDAY = datetime(2026, 3, 2, 11, 0, tzinfo=KYIV)


@pytest.fixture
def desk(freeze_now, branch_a, branch_b):
    """Two libraries with hours (A: Mon–Fri, B: Mon–Sat) at 11:00 on a working Monday."""
    set_hours(branch_a, weekdays=range(5))
    set_hours(branch_b, weekdays=range(6), opens=time(9), closes=time(20))
    freeze_now(MONDAY)
    return {"a": branch_a, "b": branch_b}


@pytest.fixture
def book(branch_a):
    """A book (catalogued long ago, so not a new arrival) with one copy on A's shelf."""
    record = RecordFactory(title="Лісова пісня")
    ItemFactory(
        record=record,
        branch=branch_a,
        status=Item.Status.ON_SHELF,
        added_at=datetime(2020, 1, 1, tzinfo=KYIV),
    )
    return record


@pytest.fixture
def copy(book):
    return book.items.get()


@pytest.fixture
def reader_a(branch_a):
    return make_reader_profile(branch=branch_a, username="olena")


@pytest.fixture
def reader_b(branch_b):
    return make_reader_profile(branch=branch_b, username="taras")
