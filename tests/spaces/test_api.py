"""The read API of the spaces: what can be booked in each library and the slots of a day still
free, never who booked the others."""

from datetime import date, datetime, time

import pytest

from core.tz import KYIV
from spaces.models import Booking, Resource
from tests.spaces.factories import BookingFactory, ResourceFactory

pytestmark = pytest.mark.django_db

SPACES = "/api/v1/spaces/"
SLOTS = "/api/v1/space-slots/"
TUESDAY = date(2026, 6, 2)  # the day after MONDAY_NOON (conftest.at_monday_noon)


def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=KYIV)


def local_hours(rows):
    return [datetime.fromisoformat(row["starts_at"]).astimezone(KYIV).hour for row in rows]


@pytest.fixture
def hall(at_monday_noon):
    """A hall of branch A (Mon–Fri 10–18, lunch 13–14), hour slots."""
    return ResourceFactory(
        branch=at_monday_noon["a"], name="Зала", name_en="Hall", description="На 20 місць"
    )


def test_bookable_spaces_are_listed_by_library_without_inactive_ones(client, hall, network):
    ResourceFactory(branch=network["a"], name="На ремонті", is_active=False)
    ResourceFactory(
        branch=network["b"], name="Компʼютер 1", kind=Resource.Kind.COMPUTER, capacity=1
    )

    rows = client.get(SPACES).json()["results"]
    computers = client.get(SPACES, {"kind": "computer"}).json()["results"]

    assert [row["name"] for row in rows] == ["Зала", "Компʼютер 1"]
    hall_row = rows[0]
    assert (hall_row["name_en"], hall_row["description_en"]) == ("Hall", None)
    assert (hall_row["branch"], hall_row["slot_minutes"], hall_row["capacity"]) == (
        "branch-5",
        60,
        20,
    )
    assert hall_row["url"] == "http://testserver/spaces/branch-5/"
    assert [row["name"] for row in computers] == ["Компʼютер 1"]
    assert [
        row["name"] for row in client.get(SPACES, {"branch": "branch-5"}).json()["results"]
    ] == ["Зала"]


def test_only_free_slots_of_the_day_are_listed_and_no_booker_is_named(client, hall):
    BookingFactory(
        resource=hall,
        starts_at=at(TUESDAY, 10),
        ends_at=at(TUESDAY, 11),
        name="Ірина Савчук",
        organisation="Ліцей № 21",
        email="savchuk@example.org",
    )
    BookingFactory(
        resource=hall,
        starts_at=at(TUESDAY, 15),
        ends_at=at(TUESDAY, 16),
        status=Booking.Status.CANCELLED,
    )

    response = client.get(SLOTS, {"date": "2026-06-02"})

    rows = response.json()["results"]
    # 10–18 in hours with lunch at 13: 10:00 is taken, the cancelled 15:00 is free again.
    assert local_hours(rows) == [11, 12, 14, 15, 16, 17]
    assert rows[0]["space"] == hall.pk and rows[0]["space_name"] == "Зала"
    assert rows[0]["book_url"] == (
        f"http://testserver/spaces/branch-5/{hall.pk}/book/?date=2026-06-02&time=11%3A00"
    )
    content = response.content.decode()
    for private in ("Савчук", "Ліцей", "savchuk"):
        assert private not in content


def test_today_only_the_slots_still_ahead_are_free(client, hall):
    # Monday noon: the 12:00 slot has begun.
    assert local_hours(client.get(SLOTS).json()["results"]) == [14, 15, 16, 17]


def test_slots_filter_by_library_kind_and_space(client, hall, network):
    computer = ResourceFactory(
        branch=network["b"], name="Компʼютер 1", kind=Resource.Kind.COMPUTER, capacity=1
    )
    query = {"date": "2026-06-02"}

    by_library = client.get(SLOTS, {**query, "branch": "branch-7"}).json()["results"]
    by_kind = client.get(SLOTS, {**query, "kind": "hall"}).json()["results"]
    by_space = client.get(SLOTS, {**query, "space": computer.pk}).json()["results"]

    assert {row["space"] for row in by_library} == {computer.pk}
    assert len(by_library) == 11  # Mon–Sat 09–20
    assert {row["space"] for row in by_kind} == {hall.pk}
    assert {row["space"] for row in by_space} == {computer.pk}


@pytest.mark.parametrize("day", ["2026-05-31", "2026-12-31", "9999-12-31", "2026-06-06"])
def test_a_past_day_a_day_too_far_ahead_or_a_closed_day_has_no_free_slots(client, hall, day):
    response = client.get(SLOTS, {"date": day})

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("query", [{"date": "завтра"}, {"date": ""}, {"kind": "sauna"}])
def test_odd_parameters_get_a_ukrainian_message(client, hall, query):
    response = client.get(SLOTS, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_the_slots_run_the_same_queries_however_many_spaces_and_bookings(
    client, hall, network, django_assert_num_queries
):
    # The libraries, their hours and closures, the spaces, the bookings.
    with django_assert_num_queries(5):
        client.get(SLOTS, {"date": "2026-06-02"})
    for branch in (network["a"], network["b"]):
        for number in range(3):
            space = ResourceFactory(branch=branch, name=f"Зона {number}", kind="zone")
            BookingFactory(resource=space, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 11))
    with django_assert_num_queries(5):
        response = client.get(SLOTS, {"date": "2026-06-02"})
    assert response.json()["count"] > 20


def test_the_list_of_spaces_runs_a_constant_number_of_queries(
    client, hall, network, django_assert_num_queries
):
    for number in range(25):
        ResourceFactory(branch=network["b"], name=f"Зона {number}", kind="zone")

    # Count, spaces with their library.
    with django_assert_num_queries(2):
        assert len(client.get(SPACES).json()["results"]) == 20
