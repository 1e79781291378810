"""The desk's actions cost the same number of queries however busy the reader and the title
are: check-out and check-in stay fast at a city's scale."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circulation.services import hold_place, loan_checkin, loan_checkout
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.django_db

OLD = datetime(2020, 1, 1, tzinfo=KYIV)


def costs(desk, librarian, *, busy):
    """Queries of one check-out and one check-in, with `busy` other loans and holds around."""
    branch = desk["a"]
    reader = make_reader_profile(branch=branch)
    record = RecordFactory()
    copy = ItemFactory(record=record, branch=branch, added_at=OLD)
    for _ in range(busy):
        other = make_reader_profile(branch=branch)
        hold_place(record=record, reader=other, pickup_branch=desk["b"])
        loan_checkout(
            item=ItemFactory(branch=branch, added_at=OLD),
            reader=other,
            branch=branch,
            acting_user=librarian,
        )
    branch.refresh_from_db()  # a fresh desk: opening hours are read again
    with CaptureQueriesContext(connection) as checkout:
        loan_checkout(item=copy, reader=reader, branch=branch, acting_user=librarian)
    branch.refresh_from_db()
    with CaptureQueriesContext(connection) as checkin:
        loan_checkin(item=copy, branch=branch, acting_user=librarian)
    return len(checkout), len(checkin)


def test_check_out_and_check_in_cost_the_same_queries_whatever_the_load(desk, librarian_a):
    light, heavy = costs(desk, librarian_a, busy=1), costs(desk, librarian_a, busy=4)
    assert light == heavy == (12, 12)
