"""The catalogue's public read API: /api/v1/records/ (search with facet filters) and
/api/v1/records/{id}/ with the copies in each library, described in the OpenAPI schema."""

import pytest
import yaml
from django.core.management import call_command

from catalog.indexing import records_reindex
from catalog.models import Item, Record
from tests.catalog.factories import ItemFactory, RecordFactory, SubjectFactory


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def catalogue(branch_a, branch_b):
    poetry = SubjectFactory(name="Українська поезія")
    kobzar = RecordFactory(
        title="Кобзар",
        authors=["Шевченко, Тарас"],
        subjects=[poetry],
        year=2019,
        isbn="9789660345812",
        publisher="Знання",
        age_rating=Record.AgeRating.TWELVE,
    )
    haidamaky = RecordFactory(
        title="Гайдамаки", authors=["Шевченко, Тарас"], subjects=[poetry], year=2015
    )
    song = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], year=2021)
    hamlet = RecordFactory(
        title="Hamlet", authors=["Shakespeare, William"], language="eng", year=2001
    )
    ItemFactory(record=kobzar, branch=branch_a, shelf_mark="84(4УКР)1-5")
    ItemFactory(record=kobzar, branch=branch_a, shelf_mark="84(4УКР)1-5")
    ItemFactory(record=kobzar, branch=branch_b, status=Item.Status.ON_LOAN)
    ItemFactory(record=haidamaky, branch=branch_b)
    ItemFactory(record=song, branch=branch_a, status=Item.Status.ON_LOAN)
    ItemFactory(record=hamlet, branch=branch_a)
    records_reindex(Record.objects.values_list("pk", flat=True))
    return {"kobzar": kobzar, "haidamaky": haidamaky, "poetry": poetry}


def test_api_searches_the_catalogue_like_the_page(client, catalogue):
    response = client.get("/api/v1/records/", {"q": "вірші Шевченка", "sort": "title"})

    assert titles(response) == ["Гайдамаки", "Кобзар"]
    assert response.json()["count"] == 2


def test_api_list_row_has_authors_isbn_availability_and_links(client, catalogue):
    row = client.get("/api/v1/records/", {"q": "Кобзар"}).json()["results"][0]

    assert row["title"] == "Кобзар"
    assert row["contributors"] == [{"name": "Шевченко, Тарас", "role": "author"}]
    assert row["isbn"] == "978-966-03-4581-2"
    assert row["on_shelf_in"] == 1
    assert row["url"] == f"http://testserver/catalog/records/{catalogue['kobzar'].pk}/"


def test_api_finds_a_record_by_isbn_without_hyphens(client, catalogue):
    assert titles(client.get("/api/v1/records/", {"q": "9789660345812"})) == ["Кобзар"]


def test_api_filters_by_facets(client, catalogue):
    def get(**params):
        return titles(client.get("/api/v1/records/", {"sort": "title", **params}))

    assert get(language="eng") == ["Hamlet"]
    assert get(branch="branch-7") == ["Гайдамаки", "Кобзар"]
    assert get(branch="branch-7", available="true") == ["Гайдамаки"]
    assert get(subject=catalogue["poetry"].pk) == ["Гайдамаки", "Кобзар"]
    assert get(year_from=2016, year_to=2020) == ["Кобзар"]
    assert get(material_type="book", age_rating="12+") == ["Кобзар"]


def test_api_sorts_by_newest(client, catalogue):
    assert titles(client.get("/api/v1/records/", {"q": "Шевченко", "sort": "newest"})) == [
        "Кобзар",
        "Гайдамаки",
    ]


def test_api_rejects_bad_parameters_with_a_message_per_field(client, catalogue):
    response = client.get(
        "/api/v1/records/", {"sort": "popular", "year_from": "abc", "material_type": "scroll"}
    )

    assert response.status_code == 400
    assert set(response.json()) == {"sort", "year_from", "material_type"}


def test_api_list_is_paginated_by_twenty(client, catalogue):
    for number in range(25):
        RecordFactory(title=f"Поезії том {number}", authors=["Шевченко, Тарас"])
    records_reindex(Record.objects.values_list("pk", flat=True))

    first = client.get("/api/v1/records/", {"q": "Шевченко", "sort": "title"}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 27
    assert len(first["results"]) == 20
    assert "q=" in first["next"] and "sort=title" in first["next"]
    assert len(second["results"]) == 7


def test_api_record_lists_its_copies_per_library(client, catalogue):
    data = client.get(f"/api/v1/records/{catalogue['kobzar'].pk}/").json()

    assert data["title"] == "Кобзар"
    assert data["publisher"] == "Знання"
    assert data["subjects"] == [{"id": catalogue["poetry"].pk, "name": "Українська поезія"}]
    assert data["on_shelf_in"] == 1
    holdings = {row["branch"]: row for row in data["holdings"]}
    assert holdings["branch-5"]["on_shelf"] == 2
    assert [item["status"] for item in holdings["branch-5"]["items"]] == ["on_shelf", "on_shelf"]
    assert holdings["branch-5"]["items"][0]["shelf_mark"] == "84(4УКР)1-5"
    assert holdings["branch-7"]["on_shelf"] == 0
    assert holdings["branch-7"]["branch_name"] == "Бібліотека-філія № 7"


def test_api_unknown_record_is_not_found(client, catalogue):
    assert client.get("/api/v1/records/999999/").status_code == 404


@pytest.mark.parametrize("count", [5, 40])
def test_api_list_runs_a_constant_number_of_queries(
    client, catalogue, branch_a, count, django_assert_num_queries
):
    for number in range(count):
        record = RecordFactory(title=f"Поезії том {number}", authors=["Шевченко, Тарас"])
        ItemFactory(record=record, branch=branch_a)
    records_reindex(Record.objects.values_list("pk", flat=True))

    # probe, count, page, authors, availability
    with django_assert_num_queries(5):
        response = client.get("/api/v1/records/", {"q": "Шевченко"})
    assert len(response.json()["results"]) == min(20, count + 2)


@pytest.mark.parametrize("count", [5, 40])
def test_api_record_runs_a_constant_number_of_queries(
    client, catalogue, branch_a, branch_b, count, django_assert_num_queries
):
    record = catalogue["kobzar"]
    for number in range(count):
        ItemFactory(record=record, branch=branch_a if number % 2 else branch_b)

    # record, contributors, subjects, copies with their libraries
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/records/{record.pk}/")
    assert sum(len(row["items"]) for row in response.json()["holdings"]) == count + 3


def test_openapi_schema_describes_the_records_endpoints(db, tmp_path, settings):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())

    assert "/api/v1/records/" in schema["paths"]
    assert "/api/v1/records/{id}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/records/"]["get"]["parameters"]}
    assert {
        "q",
        "branch",
        "available",
        "language",
        "material_type",
        "year_from",
        "year_to",
        "subject",
        "age_rating",
        "sort",
        "page",
    } <= parameters
