"""Librarians take in new copies under an intake act and write copies off under a withdrawal
act, in Django admin, each within their own library."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from catalog.models import IntakeBatch, Item, Record, Withdrawal
from catalog.services import (
    IntakeLine,
    intake_add_copies,
    inventory_numbers_reserve,
    withdrawal_create,
)
from tests.factories import BranchFactory


@pytest.fixture
def record(db):
    return Record.objects.create(title="Лісова пісня", year=2021)


@pytest.fixture
def batch_a(branch_a):
    return IntakeBatch.objects.create(
        branch=branch_a, source=IntakeBatch.Source.DONATION, act_number="17"
    )


def test_intake_gives_consecutive_inventory_numbers_of_the_library(batch_a, record, librarian_a):
    items = intake_add_copies(
        batch=batch_a,
        lines=[IntakeLine(record=record, copies=3, price=Decimal("120.50"), shelf_mark="84.4")],
        acting_user=librarian_a,
    )

    prefix = f"{batch_a.branch.pk:02d}-"
    assert [i.inventory_number for i in items] == [f"{prefix}000000{n}" for n in (1, 2, 3)]
    assert {i.status for i in items} == {Item.Status.IN_PROCESSING}
    assert all(i.intake_id == batch_a.pk and i.branch_id == batch_a.branch_id for i in items)


def test_numbering_continues_after_copies_loaded_from_elsewhere(batch_a, record, librarian_a):
    prefix = f"{batch_a.branch.pk:02d}-"
    Item.objects.create(record=record, branch=batch_a.branch, inventory_number=f"{prefix}0000041")

    items = intake_add_copies(
        batch=batch_a, lines=[IntakeLine(record=record, copies=1)], acting_user=librarian_a
    )

    assert items[0].inventory_number == f"{prefix}0000042"


@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_never_share_an_inventory_number():
    # Transactional tests may run after others have flushed the migrations' libraries.
    branch_a = BranchFactory()
    reserved = []
    errors = []

    def reserve():
        from django.db import transaction

        try:
            with transaction.atomic():
                reserved.extend(inventory_numbers_reserve(branch=branch_a, count=20))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert len(reserved) == 80
    assert len(set(reserved)) == 80


def test_withdrawal_writes_off_all_copies_or_none(batch_a, record, branch_b, librarian_a):
    items = intake_add_copies(
        batch=batch_a, lines=[IntakeLine(record=record, copies=2)], acting_user=librarian_a
    )
    other = Item.objects.create(record=record, branch=branch_b, inventory_number="B-1")

    with pytest.raises(ValidationError) as error:
        withdrawal_create(
            branch=batch_a.branch,
            act_number="3",
            reason=Withdrawal.Reason.WORN_OUT,
            inventory_numbers=[items[0].inventory_number, other.inventory_number, "NOPE"],
            acting_user=librarian_a,
        )

    assert "B-1: примірник належить іншій бібліотеці." in error.value.messages
    assert "NOPE: такого примірника немає." in error.value.messages
    assert not Withdrawal.objects.exists()
    assert Item.objects.filter(status=Item.Status.WITHDRAWN).count() == 0


def test_withdrawn_copies_point_at_their_act(batch_a, record, librarian_a):
    items = intake_add_copies(
        batch=batch_a, lines=[IntakeLine(record=record, copies=2)], acting_user=librarian_a
    )

    act = withdrawal_create(
        branch=batch_a.branch,
        act_number="4",
        reason=Withdrawal.Reason.OUTDATED,
        inventory_numbers=[i.inventory_number for i in items],
        acting_user=librarian_a,
    )

    assert set(act.items.values_list("status", flat=True)) == {Item.Status.WITHDRAWN}


def test_librarian_adds_copies_through_the_admin_flow(client, librarian_a, batch_a, record):
    client.force_login(librarian_a)
    url = reverse("admin:catalog_intakebatch_add_copies", args=[batch_a.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-record": record.pk,
            "lines-0-copies": "2",
            "lines-0-price": "99.90",
            "lines-0-shelf_mark": "84(4Укр)",
            # The second row is left as the page shows it: untouched, so it is skipped.
            "lines-1-query": "",
            "lines-1-copies": "",
            "lines-1-price": "",
            "_add": "Додати примірники",
        },
    )

    assert response.status_code == 302
    assert batch_a.items.count() == 2
    assert set(batch_a.items.values_list("shelf_mark", flat=True)) == {"84(4Укр)"}


def test_librarian_cannot_add_copies_to_another_librarys_act(client, librarian_b, batch_a):
    client.force_login(librarian_b)

    response = client.get(reverse("admin:catalog_intakebatch_add_copies", args=[batch_a.pk]))

    assert response.status_code == 404


def test_withdrawal_form_names_each_bad_number_and_keeps_what_was_typed(
    client, branch_head_a, batch_a, record
):
    intake_add_copies(
        batch=batch_a, lines=[IntakeLine(record=record, copies=1)], acting_user=branch_head_a
    )
    client.force_login(branch_head_a)
    typed = "NOPE-1\nNOPE-2"

    response = client.post(
        reverse("admin:catalog_withdrawal_add"),
        {
            "branch": batch_a.branch.pk,
            "date": "2026-11-20",
            "act_number": "9",
            "reason": "worn_out",
            "inventory_numbers": typed,
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "NOPE-1: такого примірника немає." in content
    assert "NOPE-2: такого примірника немає." in content
    assert "NOPE-1\nNOPE-2" in content
    assert not Withdrawal.objects.exists()


def test_branch_head_writes_off_copies_through_the_admin(client, branch_head_a, batch_a, record):
    items = intake_add_copies(
        batch=batch_a, lines=[IntakeLine(record=record, copies=2)], acting_user=branch_head_a
    )
    client.force_login(branch_head_a)

    response = client.post(
        reverse("admin:catalog_withdrawal_add"),
        {
            "branch": batch_a.branch.pk,
            "date": "2026-11-20",
            "act_number": "10",
            "reason": "worn_out",
            "inventory_numbers": ", ".join(i.inventory_number for i in items),
        },
    )

    assert response.status_code == 302
    act = Withdrawal.objects.get()
    assert act.items.count() == 2
