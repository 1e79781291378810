"""The demo: readers with loans out, overdue loans, a history, holds waiting and ready."""

import random
from datetime import datetime

import pytest
from django.conf import settings

from branches.models import Branch
from circulation import demo
from circulation.models import Hold, Loan
from circulation.tasks import holds_expire_task
from core.tz import KYIV
from tests.catalog.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_lending_state_and_adds_nothing_when_run_again():
    for slug in ("central", "branch-5", "branch-7", "children-2"):
        ItemFactory.create_batch(
            8, branch=Branch.objects.get(slug=slug), added_at=datetime(2020, 1, 1, tzinfo=KYIV)
        )

    made = demo.seed(rng=random.Random(1))

    assert made > 0
    assert Loan.objects.overdue().exists()
    assert Loan.objects.open().filter(due_on__gte=datetime.now(KYIV).date()).exists()
    assert Loan.objects.returned().filter(reader__isnull=False).exists()  # opted-in history
    assert Loan.objects.returned().filter(reader__isnull=True).exists()
    statuses = set(Hold.objects.values_list("status", flat=True))
    assert {Hold.Status.WAITING, Hold.Status.READY} <= statuses
    assert demo.seed(rng=random.Random(1)) == 0


def test_the_demo_without_a_catalogue_makes_readers_and_nothing_else():
    assert demo.seed(rng=random.Random(1)) == 0
    assert not Loan.objects.exists()


def test_the_hold_expiry_is_scheduled_and_runs():
    entry = settings.CELERY_BEAT_SCHEDULE["circulation-expire-holds"]

    assert entry["task"] == holds_expire_task.name
    assert holds_expire_task.apply().get() == 0


def test_the_lending_demo_runs_after_the_accounts_demo_of_waiting_readers():
    """`seed_demo` seeds accounts (readers waiting for the desk) before lending; the two
    demos must not take each other's readers for their own."""
    from accounts import demo as accounts_demo

    ItemFactory.create_batch(
        8, branch=Branch.objects.get(slug="branch-5"), added_at=datetime(2020, 1, 1, tzinfo=KYIV)
    )
    accounts_demo.seed(rng=random.Random(1))

    assert demo.seed(rng=random.Random(1)) > 0
    assert Loan.objects.open().exists()
