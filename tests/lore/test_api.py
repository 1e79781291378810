"""The read API of the local-lore index: people (with the local-writer mark) and places, each
linking to the catalogue's works by and about them in the records API; hidden ones never."""

import pytest

from catalog.models import Person
from lore.models import Place
from tests.catalog.factories import RecordFactory
from tests.lore.factories import FigureFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/lore-people/"
PLACES = "/api/v1/lore-places/"


@pytest.fixture
def lesya(db):
    book = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], year=2019)
    about = RecordFactory(title="Леся Українка в Луцьку", subjects=["Українка Леся"], year=2021)
    person = FigureFactory(
        name="Українка, Леся",
        name_en="Lesya Ukrainka",
        slug="lesya-ukrainka",
        dates="1871–1913",
        is_local_writer=True,
        bio="Поетеса, дитинство минуло в Луцьку.",
        bio_en="Poet; her childhood was spent in Lutsk.",
    )
    person.names.add(Person.objects.get(name="Українка, Леся"))
    person.subjects.add(about.subjects.get())
    return {"person": person, "book": book, "about": about}


def test_a_person_lists_the_works_by_and_about_them_with_their_addresses_in_the_api(client, lesya):
    row = client.get(f"{PEOPLE}lesya-ukrainka/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (row["name"], row["name_en"]) == ("Українка, Леся", "Lesya Ukrainka")
    assert (row["dates"], row["dates_en"], row["is_local_writer"]) == ("1871–1913", None, True)
    assert row["bio_en"] == "Poet; her childhood was spent in Lutsk."
    assert row["url"] == "http://testserver/catalog/local-lore/people/lesya-ukrainka/"
    book, about = lesya["book"], lesya["about"]
    assert row["works_by"] == {
        "count": 1,
        "records": [
            {
                "id": book.pk,
                "title": "Лісова пісня",
                "year": 2019,
                "api_url": f"http://testserver/api/v1/records/{book.pk}/",
            }
        ],
    }
    assert [r["title"] for r in row["works_about"]["records"]] == ["Леся Українка в Луцьку"]
    assert client.get(row["works_about"]["records"][0]["api_url"]).json()["id"] == about.pk


def test_the_people_list_marks_local_writers_and_filters_by_the_mark(client, lesya):
    FigureFactory(name="Кримський, Агатангел", slug="krymsky", photo="lore/people/k.jpg")

    everyone = client.get(PEOPLE).json()["results"]
    writers = client.get(PEOPLE, {"local_writer": "true"}).json()["results"]

    assert [row["slug"] for row in everyone] == ["krymsky", "lesya-ukrainka"]
    assert everyone[0]["photo"] == "http://testserver/media/lore/people/k.jpg"
    assert everyone[1]["photo"] is None and "works_by" not in everyone[1]
    assert [row["slug"] for row in writers] == ["lesya-ukrainka"]
    assert client.get(PEOPLE, {"local_writer": "maybe"}).status_code == 400


def test_hidden_people_and_places_never_appear(client):
    FigureFactory(slug="hidden-person", is_published=False)
    PlaceFactory(slug="hidden-place", is_published=False)

    assert client.get(PEOPLE).json()["count"] == 0
    assert client.get(PLACES).json()["count"] == 0
    assert client.get(f"{PEOPLE}hidden-person/").status_code == 404
    assert client.get(f"{PLACES}hidden-place/").status_code == 404


def test_a_place_lists_the_works_about_it_and_places_filter_by_kind(client):
    castle = PlaceFactory(
        name="Луцький замок", name_en="Lutsk Castle", slug="castle", kind=Place.Kind.BUILDING
    )
    PlaceFactory(name="Боголюби", slug="boholiuby")
    by_heading = RecordFactory(title="Замок Любарта", subjects=["Луцький замок"], year=2020)
    castle.subjects.add(by_heading.subjects.get())

    row = client.get(f"{PLACES}castle/").json()
    buildings = client.get(PLACES, {"kind": "building"}).json()["results"]

    assert (row["name"], row["name_en"], row["description_en"]) == (
        "Луцький замок",
        "Lutsk Castle",
        None,
    )
    assert row["works_about"]["count"] == 1
    assert row["works_about"]["records"][0]["id"] == by_heading.pk
    assert [place["slug"] for place in buildings] == ["castle"]


def test_the_lists_run_a_constant_number_of_queries(client, django_assert_num_queries):
    for n in range(25):
        FigureFactory(is_local_writer=bool(n % 2))
        PlaceFactory()

    # Count and rows: works are listed only on a person's or a place's own address.
    with django_assert_num_queries(2):
        assert len(client.get(PEOPLE).json()["results"]) == 20
    with django_assert_num_queries(2):
        assert len(client.get(PLACES).json()["results"]) == 20


def test_a_persons_address_runs_a_constant_number_of_queries(
    client, lesya, django_assert_num_queries
):
    # The person, then a count and the first works for each of «by» and «about».
    with django_assert_num_queries(5):
        client.get(f"{PEOPLE}lesya-ukrainka/")
    for _ in range(5):
        RecordFactory(authors=["Українка, Леся"], subjects=["Українка Леся"])
    with django_assert_num_queries(5):
        client.get(f"{PEOPLE}lesya-ukrainka/")
