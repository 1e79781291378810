import pytest
from django.core.management import call_command

from events.models import Event
from events.services import registration_create
from tests.events.factories import ClubFactory, EventFactory, TopicFactory, in_days, workday_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"


def titles(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


def test_api_lists_public_events_without_drafts_or_online_links(client):
    EventFactory(title="Вебінар", is_online=True, online_url="https://meet.example.org/secret")
    EventFactory(title="Чернетка", status=Event.Status.DRAFT)

    response = client.get(URL)

    assert titles(client) == {"Вебінар"}
    assert "secret" not in response.content.decode()
    row = response.json()["results"][0]
    assert row["seats_left"] == 10
    assert row["url"].endswith(f"/events/{row['id']}/")


def test_api_filters_by_library_kind_audience_topic_dates_and_free_seats(client, network):
    history = TopicFactory(slug="history")
    film = EventFactory(title="Кіно", branch=network["b"], kind="film", audiences=["youth"])
    film.topics.add(history)
    full = EventFactory(title="Повний", branch=network["a"], capacity=1, starts_at=workday_in(30))
    registration_create(event=full, name="Іра", email="ira@example.org")

    assert titles(client, branch=network["b"].slug) == {"Кіно"}
    assert titles(client, kind="film") == {"Кіно"}
    assert titles(client, audience="youth") == {"Кіно"}
    assert titles(client, topic="history") == {"Кіно"}
    assert titles(client, has_seats="true") == {"Кіно"}
    assert titles(client, starts_after=in_days(20).isoformat()) == {"Повний"}
    assert client.get(URL, {"kind": "rave"}).status_code == 400


def test_api_lists_clubs_with_their_schedule(client):
    ClubFactory(slug="chess", weekdays=[2, 4])

    response = client.get("/api/v1/clubs/chess/")

    assert response.status_code == 200
    assert response.json()["weekdays"] == [2, 4]


def test_events_are_in_the_openapi_schema_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert "/api/v1/events/" in text
    assert "/api/v1/clubs/{slug}/" in text


def test_api_list_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    topic = TopicFactory()
    for _ in range(25):
        EventFactory().topics.add(topic)

    # Count, events with their library, topics, partners.
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(response.json()["results"]) == 20
