"""The demo: readers with loans out, overdue loans, a history, holds waiting and ready."""

import random
from datetime import datetime

import pytest
from django.conf import settings

from accounts.models import ReaderProfile
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


def test_the_printed_demo_reader_sees_every_state_on_their_formular_at_first_sign_in(
    settings, tmp_path, client
):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    ItemFactory.create_batch(
        10, branch=Branch.objects.get(slug="branch-5"), added_at=datetime(2020, 1, 1, tzinfo=KYIV)
    )
    demo.seed(rng=random.Random(1))
    call_command("create_demo_admin", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("create_demo_admin", stdout=io.StringIO(), stderr=io.StringIO())  # adds nothing

    reader = ReaderProfile.objects.get(user__username="reader-branch-5")
    today = datetime.now(KYIV).date()
    open_loans = Loan.objects.open().filter(reader=reader)
    assert open_loans.count() == 2
    assert open_loans.filter(due_on__lt=today).count() == 1
    assert Loan.objects.returned().filter(reader=reader).count() == 1  # the reading history
    assert sorted(Hold.objects.filter(reader=reader).values_list("status", flat=True)) == [
        Hold.Status.READY,
        Hold.Status.WAITING,
    ]
    client.force_login(reader.user)
    html = client.get("/me/").content.decode()
    assert "<strong>прострочено</strong>" in html
    assert "чекає на вас до" in html
    assert "ви 1-й з 1 у черзі" in html
    assert 'id="me-history-heading"' in html
