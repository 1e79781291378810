"""Hostile or careless API requests get a clear 4xx answer in Ukrainian, never a server error,
and the published schema says what each answer looks like."""

import pytest
from django.core.management import call_command
from rest_framework.throttling import AnonRateThrottle

from tests.egov.factories import SlotFactory
from tests.events.factories import ClubFactory, EventFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_schema(tmp_path):
    import json

    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    return json.loads(target.read_text())


def test_an_unknown_club_is_not_found_in_ukrainian_without_naming_the_model(client):
    response = client.get("/api/v1/clubs/no-such-club/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Не знайдено."}


@pytest.mark.parametrize(
    "path", ["/api/v1/clubs/chess%00/", "/api/v1/branches/%00/", "/api/v1/egov-guides/a%00b/"]
)
def test_a_nul_character_in_an_address_is_not_found_rather_than_a_server_error(client, path):
    ClubFactory(slug="chess")

    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Не знайдено."}


def test_a_number_address_with_a_dot_is_answered_in_json(client):
    response = client.get("/api/v1/events/1.5/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/events/", "starts_after"),
        ("/api/v1/events/", "starts_before"),
        ("/api/v1/egov-slots/", "after"),
        ("/api/v1/egov-slots/", "before"),
    ],
)
def test_a_utc_offset_of_sixteen_hours_is_refused_with_a_message(client, path, name):
    response = client.get(path, {name: "2026-05-01T10:00:00+16:00"})

    assert response.status_code == 400
    assert response.json() == {
        name: ["Зсув від UTC має бути меншим за 16 годин, наприклад +02:00 або Z."]
    }


def test_an_ordinary_utc_offset_still_filters_events(client):
    EventFactory(title="Пізніше", starts_at=in_days(10))

    response = client.get("/api/v1/events/", {"starts_after": "2020-01-01T00:00:00+15:59"})

    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Пізніше"]


def test_free_slots_filter_with_a_negative_offset(client, branch_a):
    SlotFactory(branch=branch_a)

    response = client.get("/api/v1/egov-slots/", {"after": "2020-01-01T00:00:00-11:00"})

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("page", ["0", "-1", "abc", "", "1.5"])
def test_a_page_number_below_one_or_not_a_number_is_a_bad_request(client, page):
    response = client.get("/api/v1/clubs/", {"page": page})

    assert response.status_code == 400
    assert response.json() == {"page": ["Номер сторінки — ціле число від 1."]}


def test_a_page_past_the_last_is_not_found_in_ukrainian(client):
    response = client.get("/api/v1/clubs/", {"page": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "Такої сторінки немає."}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/clubs/", "kind"),
        ("/api/v1/branches/", "kind"),
        ("/api/v1/events/", "status"),
        ("/api/v1/egov-slots/", "kind"),
        ("/api/v1/volunteer-opportunities/", "activity"),
        ("/api/v1/records/", "material_type"),
        ("/api/v1/records/", "sort"),
        ("/api/v1/egov-guides/", "topic"),
    ],
)
def test_an_empty_value_of_an_enumerated_filter_is_refused(client, path, name):
    response = client.get(path, {name: ""})

    assert response.status_code == 400
    assert response.json() == {name: ["Порожнє значення: вкажіть значення або приберіть параметр."]}


@pytest.mark.parametrize("value", ["", "maybe", "1"])
def test_a_yes_or_no_filter_takes_only_true_or_false(client, value):
    response = client.get("/api/v1/branches/", {"open_now": value})

    assert response.status_code == 400
    assert response.json() == {"open_now": ["Вкажіть true або false."]}


def test_an_unknown_service_or_audience_code_finds_no_library(client, network):
    assert client.get("/api/v1/branches/", {"service": "teleport"}).json()["count"] == 0
    assert client.get("/api/v1/branches/", {"audience": "martians"}).json()["count"] == 0
    assert client.get("/api/v1/branches/", {"service": "egov-point"}).json()["count"] == 1
    assert client.get("/api/v1/branches/", {"audience": "children"}).json()["count"] == 1


def test_a_year_range_backwards_finds_nothing_rather_than_refusing(client):
    response = client.get("/api/v1/records/", {"year_from": 2020, "year_to": 2016})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_year_after_next_is_refused_in_ukrainian(client):
    response = client.get("/api/v1/records/", {"year_to": 3000})

    assert response.status_code == 400
    assert "Переконайтесь" in response.json()["year_to"][0]


def test_too_many_requests_are_told_when_to_come_back_in_ukrainian(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    client.get("/api/v1/clubs/")
    client.get("/api/v1/clubs/")

    response = client.get("/api/v1/clubs/")

    assert response.status_code == 429
    detail = response.json()["detail"]
    assert detail.startswith("Забагато запитів. Спробуйте ще раз через ")
    assert "throttled" not in detail
    assert int(response["Retry-After"]) > 0


def test_the_schema_documents_bad_requests_missing_objects_and_throttling(published_schema):
    paths = published_schema["paths"]

    assert set(paths["/api/v1/clubs/"]["get"]["responses"]) == {"200", "400", "404", "429"}
    assert set(paths["/api/v1/clubs/{slug}/"]["get"]["responses"]) == {"200", "404", "429"}


def test_the_schema_gives_opening_hours_as_local_wall_clock_times(published_schema):
    hours = published_schema["components"]["schemas"]["OpeningHours"]["properties"]

    assert "format" not in hours["opens"]
    assert hours["opens"]["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"


def test_the_schema_says_pages_start_at_one(published_schema):
    parameters = published_schema["paths"]["/api/v1/events/"]["get"]["parameters"]

    page = next(p for p in parameters if p["name"] == "page")
    assert page["schema"]["minimum"] == 1
