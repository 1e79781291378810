"""The public read API: /api/v1/branches/ and its OpenAPI 3 description."""

import json
from datetime import date, datetime

import pytest
import yaml
from django.core.management import call_command
from rest_framework.throttling import AnonRateThrottle

from branches.models import Closure, PaidService
from core.tz import KYIV
from tests.factories import MONDAY_NOON, BranchFactory, ClosureFactory, ZoneFactory, set_hours

SATURDAY_NOON = datetime(2026, 6, 6, 12, 0, tzinfo=KYIV)


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


# --- list --------------------------------------------------------------------------------------


def test_api_lists_the_eight_libraries_as_a_page(client, at_monday_noon):
    data = client.get("/api/v1/branches/").json()

    assert data["count"] == 8
    assert data["next"] is None
    assert [row["slug"] for row in data["results"]][:3] == [
        "central",
        "central-children",
        "branch-5",
    ]


def test_api_list_pages_by_twenty_with_a_link_to_the_next_page(client, at_monday_noon):
    BranchFactory.create_batch(17)

    first = client.get("/api/v1/branches/").json()
    second = client.get(first["next"]).json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_api_list_entry_has_what_an_app_needs(client, at_monday_noon):
    row = next(
        r for r in client.get("/api/v1/branches/").json()["results"] if r["slug"] == "branch-5"
    )

    assert row["name"] == "Бібліотека-філія № 5"
    assert row["name_en"] == "Branch Library No. 5"
    assert row["kind"] == "branch"
    assert row["address"] == "вул. Ковельська, 50"
    assert row["latitude"] == "50.757400"
    assert row["url"] == "http://testserver/branches/branch-5/"
    assert {s["slug"] for s in row["services"]} == {"egov-point", "internet"}
    assert row["hours"][0] == {
        "weekday": 0,
        "opens": "10:00:00",
        "closes": "18:00:00",
        "break_starts": "13:00:00",
        "break_ends": "14:00:00",
    }
    assert row["open_now"]["is_open"] is True
    assert row["open_now"]["opens_at"] is None


def test_api_open_now_reports_closing_time_as_an_instant_with_offset(client, at_monday_noon):
    row = client.get("/api/v1/branches/branch-7/").json()

    assert datetime.fromisoformat(row["open_now"]["closes_at"]) == datetime(
        2026, 6, 1, 20, 0, tzinfo=KYIV
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"service": "egov-point"}, ["branch-5"]),
        ({"service": "home-delivery"}, ["branch-7"]),
        ({"kind": "children"}, ["children-2", "children-3"]),
        ({"audience": "children"}, ["children-2"]),
        ({"q": "Львівська"}, ["branch-7"]),
    ],
)
def test_api_filters_like_the_library_list(client, at_monday_noon, query, expected):
    assert slugs(client.get("/api/v1/branches/", query)) == expected


def test_api_open_now_filter_on_saturday_returns_the_library_open_on_saturdays(
    client, network, freeze_now
):
    freeze_now(SATURDAY_NOON)

    assert slugs(client.get("/api/v1/branches/", {"open_now": "true"})) == ["branch-7"]
    assert "branch-7" not in slugs(client.get("/api/v1/branches/", {"open_now": "false"}))


def test_api_open_now_respects_a_network_wide_holiday(client, network, freeze_now):
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 1),
    )
    freeze_now(MONDAY_NOON)

    response = client.get("/api/v1/branches/", {"open_now": "true"})

    assert slugs(response) == []
    detail = client.get("/api/v1/branches/branch-5/").json()
    assert detail["open_now"]["is_open"] is False
    assert detail["open_now"]["opens_at"] is not None


def test_api_finds_no_library_for_an_unknown_service_and_refuses_an_unknown_kind(
    client, at_monday_noon
):
    # Any code is a well-formed question (the schema cannot list the codes); a kind is one of
    # the four the schema lists.
    unknown_service = client.get("/api/v1/branches/", {"service": "nonexistent"})
    unknown_kind = client.get("/api/v1/branches/", {"kind": "castle"})

    assert unknown_service.status_code == 200
    assert unknown_service.json()["count"] == 0
    assert unknown_kind.status_code == 400
    assert list(unknown_kind.json()) == ["kind"]


def test_api_list_and_detail_run_a_constant_number_of_queries(
    client, at_monday_noon, django_assert_num_queries
):
    # Count, libraries, hours, closures, services, specializations (zones for the detail).
    with django_assert_num_queries(6):
        client.get("/api/v1/branches/")
    with django_assert_num_queries(6):
        client.get("/api/v1/branches/branch-5/")

    for branch in BranchFactory.create_batch(20):
        set_hours(branch, weekdays=range(7))
        ClosureFactory(branch=branch, start_date=date(2026, 6, 2), end_date=date(2026, 6, 2))
        ZoneFactory(branch=branch)

    with django_assert_num_queries(6):
        client.get("/api/v1/branches/")
    with django_assert_num_queries(6):
        client.get("/api/v1/branches/branch-5/")


# --- detail ------------------------------------------------------------------------------------


def test_api_detail_by_slug_has_hours_closures_and_zones(client, network, freeze_now):
    ClosureFactory(
        branch=network["a"],
        kind=Closure.Kind.SANITARY,
        start_date=date(2026, 6, 3),
        end_date=date(2026, 6, 3),
        reason="Санітарний день",
    )
    ClosureFactory(branch=network["b"], start_date=date(2026, 6, 4), end_date=date(2026, 6, 4))
    freeze_now(MONDAY_NOON)

    response = client.get("/api/v1/branches/branch-5/")
    data = response.json()

    assert response.status_code == 200
    assert data["slug"] == "branch-5"
    assert [row["weekday"] for row in data["hours"]] == [0, 1, 2, 3, 4]
    assert data["closures"] == [
        {
            "kind": "sanitary",
            "start_date": "2026-06-03",
            "end_date": "2026-06-03",
            "reason": "Санітарний день",
            "reason_en": None,
        }
    ]
    assert data["zones"] == [
        {"kind": "coworking", "name": "Коворкінг", "description": "", "seats": 6}
    ]


def test_api_detail_includes_network_wide_closures(client, network, freeze_now):
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 8),
        end_date=date(2026, 6, 8),
        reason="Трійця",
    )
    freeze_now(MONDAY_NOON)

    data = client.get("/api/v1/branches/branch-7/").json()

    assert [c["reason"] for c in data["closures"]] == ["Трійця"]


def test_api_detail_of_an_unknown_library_is_404(client, at_monday_noon):
    assert client.get("/api/v1/branches/no-such-library/").status_code == 404


def test_api_answers_a_browser_with_json(client, at_monday_noon):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    response = client.get("/api/v1/branches/", HTTP_ACCEPT=accept)

    # DEBUG is off, so there is no browsable HTML API: JSON is what every client gets.
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_api_is_read_only(client, at_monday_noon):
    assert client.post("/api/v1/branches/", {"slug": "x"}).status_code == 405
    assert client.delete("/api/v1/branches/branch-5/").status_code == 405


# --- throttling --------------------------------------------------------------------------------


def test_anonymous_client_is_throttled_with_429_after_the_limit(client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)

    answers = [client.get("/api/v1/branches/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    throttled = client.get("/api/v1/branches/branch-5/")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0


def test_throttling_counts_each_address_separately(client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)

    for _ in range(2):
        client.get("/api/v1/branches/", REMOTE_ADDR="10.0.0.1")

    assert client.get("/api/v1/branches/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/v1/branches/", REMOTE_ADDR="10.0.0.2").status_code == 200


# --- OpenAPI -----------------------------------------------------------------------------------


def test_schema_is_an_openapi_3_document_with_the_branches_paths(client, db):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/branches/" in schema["paths"]
    assert "/api/v1/branches/{slug}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/branches/"]["get"]["parameters"]}
    assert {"service", "audience", "kind", "open_now", "q", "page"} <= parameters


def test_schema_is_also_served_as_json(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_schema_passes_drf_spectacular_validation_without_warnings(tmp_path, capsys):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert "Warning" not in capsys.readouterr().err
    assert yaml.safe_load(target.read_text())["openapi"].startswith("3.")


def test_api_docs_page_answers(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


# --- the paid services' price list (/api/v1/paid-services/) -------------------------------------


def test_the_price_list_has_the_active_services_of_each_library_in_both_languages(
    client, branch_a, branch_b, django_assert_num_queries
):
    PaidService.objects.create(
        branch=branch_a, name="Ксерокопія", name_en="Photocopy", price="2.50", unit="за сторінку"
    )
    PaidService.objects.create(branch=branch_b, name="Ламінування", price=15)
    PaidService.objects.create(branch=branch_b, name="Стара послуга", price=5, is_active=False)

    rows = client.get("/api/v1/paid-services/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    of_a = client.get("/api/v1/paid-services/", {"branch": "branch-5"}).json()["results"]

    assert [row["name"] for row in rows] == ["Ксерокопія", "Ламінування"]
    assert rows[0] | {"id": 0} == {
        "id": 0,
        "branch": "branch-5",
        "name": "Ксерокопія",
        "name_en": "Photocopy",
        "price": "2.50",
        "unit": "за сторінку",
        "unit_en": None,
        "note": "",
        "note_en": None,
        "url": "http://testserver/branches/paid-services/",
    }
    assert [row["name"] for row in of_a] == ["Ксерокопія"]
    for n in range(25):
        PaidService.objects.create(branch=branch_a, name=f"Послуга {n}", price=n)
    # Count, services with their library.
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/paid-services/").json()["results"]) == 20
