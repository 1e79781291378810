"""A library's page shows what is on there; the home page shows what is on in the city."""

import re

import pytest

from events.models import Event
from tests.events.factories import ClubFactory, EventFactory, in_days

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_library_page_lists_its_next_events_and_its_clubs(client, branch_a, branch_b):
    EventFactory(branch=branch_a, title="Зустріч з Оксаною Забужко", starts_at=in_days(3))
    EventFactory(branch=branch_b, title="Кінопоказ у філії № 7", starts_at=in_days(3))
    EventFactory(branch=branch_a, title="Чернетка презентації", status=Event.Status.DRAFT)
    ClubFactory(branch=branch_a, name="Клуб англійської розмови")

    page = text(client.get(branch_a.get_absolute_url()))

    assert "Зустріч з Оксаною Забужко" in page
    assert "Клуб англійської розмови" in page
    assert "наступна зустріч:" in page
    assert "Кінопоказ у філії № 7" not in page
    assert "Чернетка презентації" not in page


def test_library_without_plans_says_so_and_links_to_all_events(client, branch_b):
    page = text(client.get(branch_b.get_absolute_url()))

    assert "Найближчих подій у цій бібліотеці ще не заплановано." in page


def test_library_page_query_count_does_not_grow_with_its_programme(
    client, branch_a, django_assert_num_queries
):
    EventFactory(branch=branch_a)
    ClubFactory(branch=branch_a)
    client.get(branch_a.get_absolute_url())  # warm the per-process caches

    with django_assert_num_queries(15):  # with its news, social pages and spaces to book
        client.get(branch_a.get_absolute_url())

    EventFactory.create_batch(10, branch=branch_a)
    ClubFactory.create_batch(6, branch=branch_a)

    with django_assert_num_queries(15):  # with its news, social pages and spaces to book
        client.get(branch_a.get_absolute_url())


def test_home_page_shows_the_next_published_events_of_the_network(client, branch_a, branch_b):
    EventFactory(branch=branch_b, title="Літературний вечір", starts_at=in_days(2))
    EventFactory(branch=branch_a, title="Подія, що скасована", status=Event.Status.CANCELLED)
    EventFactory(branch=branch_a, title="Вчорашній майстер-клас", starts_at=in_days(-1))

    page = text(client.get("/"))

    assert "Найближчі події" in page
    assert "Літературний вечір" in page
    assert "Подія, що скасована" not in page
    assert "Вчорашній майстер-клас" not in page
