"""The portal's one search box (/search/): one query over books, events, clubs, e-services
guides and libraries, a few hits per kind with the count and a link to the section's search."""

import pytest
from django.urls import reverse

from catalog.indexing import records_reindex
from core.text import word_beginnings
from tests.catalog.factories import RecordFactory
from tests.conftest import _clear_cache
from tests.digital.factories import DigitalPageFactory
from tests.egov.factories import GuideFactory
from tests.events.factories import ClubFactory, EventFactory
from tests.factories import BranchFactory
from tests.lore.factories import FigureFactory, PlaceFactory


@pytest.fixture
def shevchenko_everywhere(branch_a):
    """Something about Шевченко in every section."""
    BranchFactory(name="Бібліотека імені Тараса Шевченка", address="вул. Шевченка, 3")
    records = [
        RecordFactory(title="Кобзар", authors=["Шевченко, Тарас"]),
        RecordFactory(title="Гайдамаки", authors=["Шевченко, Тарас"]),
        RecordFactory(title="Лісова пісня", authors=["Українка, Леся"]),
    ]
    records_reindex([record.pk for record in records])
    EventFactory(title="Шевченківські читання", description="Читаємо «Кобзар» Шевченка вголос.")
    EventFactory(title="Майстер-клас з вишивки")
    ClubFactory(name="Клуб шанувальників Шевченка", slug="shevchenko-club")
    ClubFactory(name="Шахи", slug="chess")
    GuideFactory(title="Як отримати пенсію через Дію", slug="pension")


def sections_of(response):
    return {result.section.key: result for result in response.context["results"]}


def test_one_query_finds_books_events_clubs_and_libraries_grouped_by_kind(
    client, shevchenko_everywhere
):
    response = client.get(reverse("search"), {"q": "Шевченка"})

    assert response.status_code == 200
    found = sections_of(response)
    assert [hit.title for hit in found["catalog"].found.hits] in (
        ["Кобзар", "Гайдамаки"],
        ["Гайдамаки", "Кобзар"],
    )
    assert [hit.title for hit in found["events"].found.hits] == ["Шевченківські читання"]
    assert [hit.title for hit in found["clubs"].found.hits] == ["Клуб шанувальників Шевченка"]
    assert found["branches"].found.count == 1
    assert found["egov"].found.count == 0
    page = response.content.decode()
    assert "Книги й інші документи" in page and "Клуби та школи" in page


def test_each_kind_links_to_its_own_search_with_the_query_and_finds_the_same(
    client, shevchenko_everywhere
):
    found = sections_of(client.get(reverse("search"), {"q": "шевченка"}))

    assert (
        found["catalog"].more_url == "/catalog/?q=%D1%88%D0%B5%D0%B2%D1%87%D0%B5%D0%BD%D0%BA%D0%B0"
    )
    events_page = client.get(found["events"].more_url)
    assert [event.title for event in events_page.context["events"]] == ["Шевченківські читання"]
    clubs_page = client.get(found["clubs"].more_url)
    assert [item["club"].name for item in clubs_page.context["clubs"]] == [
        "Клуб шанувальників Шевченка"
    ]
    assert "Майстер-клас з вишивки" not in events_page.content.decode()


def test_guides_are_found_by_a_word_form_as_in_their_own_search(client, shevchenko_everywhere):
    found = sections_of(client.get(reverse("search"), {"q": "пенсії"}))

    assert [hit.title for hit in found["egov"].found.hits] == ["Як отримати пенсію через Дію"]
    assert found["egov"].more_url.startswith("/e-services/guides/?q=")


def test_word_beginnings_find_any_case_form_of_a_word():
    assert word_beginnings("бібліотеках Франка") == [("бібліотек",), ("франк",)]


def test_the_english_page_is_in_english(client, shevchenko_everywhere):
    response = client.get("/en/search/", {"q": "Кобзар"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Books and other items" in page and "Search the portal" in page
    assert "Книги й інші документи" not in page


@pytest.mark.parametrize(
    "query", ["", "   ", "a" * 5000, "Шевч\x00енко", "9999", "' OR 1=1 --", "%", "ʼ"]
)
def test_hostile_or_empty_queries_get_a_page_not_an_error(client, branch_a, query):
    response = client.get(reverse("search"), {"q": query})

    assert response.status_code == 200
    if len(query) > 200:
        assert "Запит задовгий" in response.content.decode()


def test_the_results_page_runs_the_same_number_of_queries_for_few_or_many_matches(
    client, branch_a, django_assert_num_queries
):
    def add(count):
        records = [
            RecordFactory(title=f"Поезії, том {n}", authors=["Шевченко, Тарас"])
            for n in range(count)
        ]
        records_reindex([record.pk for record in records])
        for n in range(count):
            EventFactory(title=f"Поезія вечора {n}")
            ClubFactory(name=f"Поезія для всіх {n}", slug=f"poetry-{n}-{count}")
            DigitalPageFactory(document__branch=branch_a, document__title=f"Листівка з поезією {n}")
            FigureFactory(bio="Автор збірки «Поезія Волині».")
            PlaceFactory(description="Місце, оспіване в поезії.")

    add(6)
    # Each section: its count and its first hits (digitised documents: two more; the
    # local-lore index's people and places: a count and the first few each).
    with django_assert_num_queries(17) as few:
        client.get(reverse("search"), {"q": "поезія"})
    add(30)
    _clear_cache()  # the catalogue's search cache would spare the second search a query
    with django_assert_num_queries(17):
        client.get(reverse("search"), {"q": "поезія"})
    assert few


def test_every_page_has_the_search_box_in_its_header(client, branch_a):
    page = client.get(reverse("branches:list")).content.decode()

    assert 'role="search" aria-label="Пошук на порталі"' in page
    assert 'for="site-search-q"' in page and 'action="/search/"' in page
