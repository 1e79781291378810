"""«Біля мене»: the libraries list sorted by the great-circle distance from where the reader
is — coordinates from the browser (or typed) or a part of the city chosen without JavaScript.
No third-party service is asked and nothing is stored."""

import math
from decimal import Decimal

import pytest

from branches.models import Branch
from branches.places import PLACES
from tests.branches.test_pages import (
    LIST_QUERIES,
    add_twenty_busy_libraries,
    listed,
    text,
)

pytestmark = pytest.mark.django_db

# Three libraries with coordinates: A in the north-west, B in the south-west, the central
# children's library in the centre; the other five of the plan have none.
A = ("50.757400", "25.312100")
B = ("50.728100", "25.301900")
CHILDREN = ("50.739900", "25.323400")


@pytest.fixture
def placed(at_monday_noon, branch_a, branch_b):
    for slug, (lat, lon) in [
        (branch_a.slug, A),
        (branch_b.slug, B),
        ("central-children", CHILDREN),
    ]:
        Branch.objects.filter(slug=slug).update(latitude=Decimal(lat), longitude=Decimal(lon))
    return at_monday_noon


def haversine_km(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_the_database_computes_the_great_circle_distance(placed):
    kyiv = (50.4501, 30.5234)
    rows = {b.slug: b.distance for b in Branch.objects.with_distance(*kyiv)}

    assert rows["branch-5"] == pytest.approx(haversine_km(*kyiv, 50.7574, 25.3121), rel=1e-9)
    # Lutsk to Kyiv is about 370 km as the crow flies.
    assert 360 < rows["branch-5"] < 380
    assert rows["central"] is None


def test_the_far_side_of_the_earth_is_half_its_circumference_away_not_an_error(client, placed):
    antipode = {"lat": "-50.7281", "lon": "-154.6981"}
    response = client.get("/branches/", antipode)
    assert response.status_code == 200
    assert listed(response)[0] == "branch-5"
    assert "20\xa0015,1 км" in text(response) or "20015,1 км" in text(response)


def test_coordinates_sort_the_list_nearest_first_and_show_the_distance(client, placed):
    near_b = {"lat": "50.7290", "lon": "25.3040"}

    response = client.get("/branches/", near_b)

    assert response.status_code == 200
    order = listed(response)
    assert order[:3] == ["branch-7", "central-children", "branch-5"]
    assert len(order) == 8  # those without coordinates follow, none is lost
    page = text(response)
    assert "Спершу найближчі до вказаного місця." in page
    distance = haversine_km(50.7290, 25.3040, 50.7281, 25.3019)
    assert f"Відстань: {distance:.1f} км".replace(".", ",") in page


def test_the_english_page_writes_the_distance_in_kilometres_with_a_point(client, placed):
    response = client.get("/en/branches/", {"lat": "50.7290", "lon": "25.3040"})
    assert "Distance: 0.2 km" in text(response)


def test_coordinates_typed_with_a_comma_are_understood(client, placed):
    response = client.get("/branches/", {"lat": "50,7574", "lon": "25,3121"})
    assert listed(response)[0] == "branch-5"
    assert "Відстань: 0,0 км" in text(response)


def test_choosing_a_part_of_the_city_works_without_javascript(client, placed):
    page = client.get("/branches/").content.decode()
    assert '<select name="place"' in page and "Гнідава" in page

    response = client.get("/branches/", {"place": "vyshkiv"})

    place = PLACES["vyshkiv"]
    expected = sorted(
        ["branch-5", "branch-7", "central-children"],
        key=lambda slug: haversine_km(
            place.lat, place.lon, *map(float, {"branch-5": A, "branch-7": B}.get(slug, CHILDREN))
        ),
    )
    assert listed(response)[:3] == expected


def test_near_me_combines_with_the_filters(client, placed):
    response = client.get("/branches/", {"lat": "50.7290", "lon": "25.3040", "open_now": "true"})
    # Open at Monday noon: A and B (placed on the map) and the children's library No. 2
    # (not placed): the nearest first, the one without coordinates after them.
    assert listed(response) == ["branch-7", "branch-5", "children-2"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"lat": "пів", "lon": "25.3"}, "Широту вкажіть числом"),
        ({"lat": "91", "lon": "25.3"}, "Широта — число від -90 до 90."),
        ({"lat": "50.7", "lon": "-181"}, "Довгота — число від -180 до 180."),
        ({"lat": "1e400", "lon": "25.3"}, "Широту вкажіть числом"),
        ({"lat": "nan", "lon": "inf"}, "вкажіть числом"),
        ({"lat": "9" * 500, "lon": "25.3"}, "Широту вкажіть числом"),
        ({"lat": "50.7\x00", "lon": "25.3"}, "Широту вкажіть числом"),
        ({"lat": "50.7"}, "Вкажіть і широту, і довготу"),
        ({"place": "atlantis"}, "Оберіть район зі списку."),
    ],
)
def test_invalid_coordinates_get_a_clear_message_and_the_usual_list(client, placed, query, message):
    response = client.get("/branches/", query)

    assert response.status_code == 200
    assert message.lower() in text(response).lower()
    assert len(listed(response)) == 8
    assert "Відстань:" not in text(response)


def test_the_page_asks_for_the_location_only_through_a_button_the_reader_presses(client, placed):
    page = client.get("/branches/").content.decode()
    # The button is hidden until the script can use it; the script asks nothing by itself.
    assert 'id="near-me-button"' in page and '<div class="near-me-locate" hidden>' in page
    assert "не зберігається і нікуди не надсилається" in page
    assert "/static/js/near-me.js" in page


def test_sorting_by_distance_runs_the_same_queries_for_8_or_28_libraries(
    client, placed, django_assert_num_queries
):
    near = {"lat": "50.7290", "lon": "25.3040"}
    with django_assert_num_queries(LIST_QUERIES):
        assert len(listed(client.get("/branches/", near))) == 8

    add_twenty_busy_libraries()

    with django_assert_num_queries(LIST_QUERIES):
        assert len(listed(client.get("/branches/", near))) == 20
    with django_assert_num_queries(LIST_QUERIES - 1):  # the footer is cached from the page before
        assert len(listed(client.get("/branches/", {**near, "page": 2}))) == 8
