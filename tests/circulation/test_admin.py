"""Lending in the admin: methodologists edit the rules, librarians read them; loans and holds
are read-only lists of the reader's libraries, changed only through the services."""

import pytest

from circulation.models import Hold, LoanPolicy
from circulation.services import hold_place, loan_checkout

pytestmark = pytest.mark.django_db


def test_a_methodologist_edits_a_loan_rule(client, methodologist):
    policy = LoanPolicy.objects.get(name="Періодичні видання")
    client.force_login(methodologist)
    url = f"/admin/circulation/loanpolicy/{policy.pk}/change/"

    page = client.get(url)
    assert page.status_code == 200
    data = {
        "name": policy.name,
        "notes": "",
        "branch": "",
        "reader_category": "",
        "material_type": "periodical",
        "loan_class": "",
        "lends": "on",
        "loan_days": "10",
        "max_items": "5",
        "renewals": "1",
        "renewal_days": "10",
        "holds_allowed": "on",
        "hold_shelf_days": "5",
    }
    response = client.post(url, data)

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.loan_days == 10


def test_a_second_rule_for_the_same_scope_is_refused_with_a_message(client, methodologist):
    client.force_login(methodologist)

    response = client.post(
        "/admin/circulation/loanpolicy/add/",
        {
            "name": "Ще одна періодика",
            "material_type": "periodical",
            "loan_days": "7",
            "max_items": "5",
            "renewals": "0",
            "renewal_days": "7",
            "hold_shelf_days": "3",
        },
    )

    assert response.status_code == 200
    assert "Правило для цієї бібліотеки, категорії, виду й класу вже є." in (
        response.content.decode()
    )


def test_a_librarian_reads_the_rules_but_cannot_change_them(client, librarian_a):
    policy = LoanPolicy.objects.first()
    client.force_login(librarian_a)

    assert client.get("/admin/circulation/loanpolicy/").status_code == 200
    response = client.post(
        f"/admin/circulation/loanpolicy/{policy.pk}/change/", {"name": "X", "loan_days": "1"}
    )
    assert response.status_code == 403


def test_a_librarian_sees_the_loans_of_their_library_and_renews_from_the_list(
    client, desk, copy, reader_a, librarian_a, freeze_now
):
    from datetime import datetime

    from core.tz import KYIV

    loan = loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    freeze_now(datetime(2026, 3, 20, 12, tzinfo=KYIV))
    client.force_login(librarian_a)

    listing = client.get("/admin/circulation/loan/")
    assert reader_a.card_number in listing.content.decode()
    assert client.get("/admin/circulation/loan/add/").status_code == 403
    client.post(
        "/admin/circulation/loan/",
        {"action": "renew", "_selected_action": [loan.pk]},
    )

    loan.refresh_from_db()
    assert loan.renewals_used == 1


def test_a_librarian_cancels_a_hold_through_the_service(client, desk, book, reader_a, librarian_a):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    client.force_login(librarian_a)

    client.post("/admin/circulation/hold/", {"action": "cancel", "_selected_action": [hold.pk]})

    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED
    change = client.get(f"/admin/circulation/hold/{hold.pk}/change/").content.decode()
    assert 'name="status"' not in change  # read-only


def test_a_methodologist_sees_no_loans_or_holds(client, methodologist):
    client.force_login(methodologist)

    assert client.get("/admin/circulation/loan/").status_code == 403
    assert client.get("/admin/circulation/hold/").status_code == 403
