"""The public price list of paid services (plan direction 1) and its admin, scoped by library."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from branches.models import Branch, PaidService
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

URL = "/branches/paid-services/"


def services_of(branch, *names, price="2.00"):
    return [
        PaidService.objects.create(
            branch=branch, name=name, price=Decimal(price), unit="за сторінку"
        )
        for name in names
    ]


def test_the_price_list_shows_each_librarys_active_services_with_prices(client, branch_a, branch_b):
    services_of(branch_a, "Ксерокопіювання (А4)")
    services_of(branch_b, "Ламінування", price="15")
    PaidService.objects.create(branch=branch_b, name="Стара послуга", price=5, is_active=False)
    page = client.get(URL).content.decode()
    assert "Ксерокопіювання (А4)" in page and "2,00 за сторінку" in page
    assert "Ламінування" in page and "15,00" in page
    assert "Стара послуга" not in page
    assert f'id="prices-{branch_a.slug}"' in page and f'id="prices-{branch_b.slug}"' in page
    # Libraries without paid services are not listed.
    other = Branch.objects.exclude(pk__in=[branch_a.pk, branch_b.pk]).first()
    assert f'id="prices-{other.slug}"' not in page


def test_the_price_list_is_in_english_under_en(client, branch_a):
    PaidService.objects.create(
        branch=branch_a, name="Ксерокопіювання", name_en="Photocopying", price=2, unit_en="per page"
    )
    page = client.get("/en" + URL).content.decode()
    assert "Paid services of the libraries" in page
    assert "Photocopying" in page and "per page" in page


def test_the_price_list_runs_the_same_queries_however_many_libraries_and_services(
    client, branch_a, django_assert_num_queries
):
    services_of(branch_a, "Ксерокопіювання", "Друк")
    # The count, the page of libraries, their services, the footer's central library.
    with django_assert_num_queries(4):
        assert client.get(URL).status_code == 200
    for number in range(30):
        services_of(BranchFactory(), f"Послуга {number}", f"Друк {number}", "Сканування")
    with django_assert_num_queries(4):
        page = client.get(URL).content.decode()
    with django_assert_num_queries(3):  # the footer is cached from the page before
        assert client.get(URL, {"page": "2"}).status_code == 200
    assert 'rel="next"' in page


def test_junk_in_the_query_string_gives_a_page_not_an_error(client, branch_a):
    services_of(branch_a, "Ксерокопіювання")
    for junk in ("\x00", "9" * 40, "-1", "abc"):
        assert client.get(URL, {"page": junk}).status_code == 200


def test_a_branch_head_keeps_only_their_own_price_list(client, branch_head_a, branch_a, branch_b):
    services_of(branch_b, "Чужа послуга")
    client.force_login(branch_head_a)
    listing = client.get(reverse("admin:branches_paidservice_changelist")).content.decode()
    assert "Чужа послуга" not in listing
    form = {"name": "Друк", "price": "3", "position": "0", "is_active": "on"}
    response = client.post(
        reverse("admin:branches_paidservice_add"), {**form, "branch": branch_b.pk}
    )
    assert response.status_code == 200 and not PaidService.objects.filter(name="Друк").exists()
    response = client.post(
        reverse("admin:branches_paidservice_add"), {**form, "branch": branch_a.pk}
    )
    assert response.status_code == 302
    assert PaidService.objects.get(name="Друк").branch == branch_a
    response = client.post(
        reverse("admin:branches_paidservice_add"),
        {"branch": branch_a.pk, "name": "Мінус", "price": "-3", "position": "0"},
    )
    assert response.status_code == 200 and not PaidService.objects.filter(name="Мінус").exists()
    response = client.post(
        reverse("admin:branches_paidservice_add"),
        {"branch": branch_a.pk, "name": "Дорого", "price": "9" * 30, "position": "0"},
    )
    assert response.status_code == 200 and not PaidService.objects.filter(name="Дорого").exists()


def test_a_price_changed_in_the_admin_is_kept_logged_and_no_longer_demo(
    client, branch_head_a, branch_a
):
    service = PaidService.objects.create(branch=branch_a, name="Сканування", price=2, is_demo=True)
    client.force_login(branch_head_a)
    response = client.post(
        reverse("admin:branches_paidservice_change", args=[service.pk]),
        {"branch": branch_a.pk, "name": "Сканування", "price": "4.50", "position": "0"},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.price == Decimal("4.50") and not service.is_demo and not service.is_active
    entry = LogEntry.objects.get(object_id=str(service.pk), user=branch_head_a)
    assert "Ціна" in entry.get_change_message() or "ціна" in entry.get_change_message()
