"""The public pages a reader opens: home, the list of libraries, a library's page, sections."""

import html
import json
import re
from datetime import date, datetime, time

import pytest

from branches.filters import BranchFilter
from branches.models import Branch, Closure
from core.tz import KYIV
from tests.factories import (
    MONDAY_NOON,
    BranchFactory,
    ClosureFactory,
    ServiceFactory,
    ZoneFactory,
    set_hours,
)

MONDAY_LUNCH = datetime(2026, 6, 1, 13, 30, tzinfo=KYIV)
SATURDAY_NOON = datetime(2026, 6, 6, 12, 0, tzinfo=KYIV)
SUNDAY_NOON = datetime(2026, 6, 7, 12, 0, tzinfo=KYIV)


def text(response):
    """The page as a reader reads it: no tags, entities decoded, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def h1(response):
    found = re.findall(r"<h1\b[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)
    assert len(found) == 1, "a page has exactly one h1"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[0])).split())


def listed(response):
    return [branch.slug for branch, _status in response.context["rows"]]


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


# --- every page answers, in both languages -----------------------------------------------------

PAGES = [
    "/",
    "/branches/",
    "/branches/branch-5/",
    "/catalog/",
    "/events/",
    "/volunteers/",
    "/e-services/",
]


@pytest.mark.parametrize("path", PAGES)
def test_ukrainian_page_answers_with_one_heading_in_ukrainian(client, at_monday_noon, path):
    response = client.get(path)

    assert response.status_code == 200
    assert '<html lang="uk">' in response.content.decode()
    assert h1(response)


@pytest.mark.parametrize("path", PAGES)
def test_english_page_lives_under_en_and_says_it_is_english(client, at_monday_noon, path):
    response = client.get("/en" + path)

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert h1(response)


def test_unknown_library_page_is_not_found(client, at_monday_noon):
    assert client.get("/branches/no-such-library/").status_code == 404
    assert client.get("/en/branches/no-such-library/").status_code == 404


def test_library_hidden_from_the_site_has_no_page_and_is_not_listed(client, at_monday_noon):
    Branch.objects.filter(slug="branch-11").update(is_active=False)

    assert client.get("/branches/branch-11/").status_code == 404
    assert "branch-11" not in listed(client.get("/branches/"))


# --- the library's page ------------------------------------------------------------------------


def test_library_page_shows_name_address_phone_and_open_status(client, at_monday_noon):
    response = client.get("/branches/branch-5/")
    page = text(response)

    assert h1(response) == "Бібліотека-філія № 5"
    assert "вул. Ковельська, 50, 43010" in page
    assert "0332 000 005" in page
    assert 'href="tel:+380332000005"' in response.content.decode()
    assert "Відчинено · зачиняється о 13:00" in page


def test_library_page_hours_table_lists_every_weekday_with_hours_and_break(client, at_monday_noon):
    response = client.get("/branches/branch-5/")
    table = re.search(r'<table class="hours">.*?</table>', response.content.decode(), re.S)
    rows = re.findall(r"<tr\b.*?</tr>", table.group(0), re.S)[1:]  # without the header row
    cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]

    assert len(cells) == 7
    assert cells[0].startswith("Понеділок")
    assert "10:00–18:00 13:00–14:00" in cells[0]
    assert "10:00–18:00 13:00–14:00" in cells[4]
    assert cells[5].startswith("Субота") and "вихідний" in cells[5]
    assert cells[6].startswith("Неділя") and "вихідний" in cells[6]


def test_library_page_during_lunch_says_break_and_reopening_time(client, network, freeze_now):
    freeze_now(MONDAY_LUNCH)

    page = text(client.get("/branches/branch-5/"))

    assert "Перерва · відчиниться о 14:00" in page


def test_library_page_on_a_sanitary_day_says_closed_today_with_the_reason(
    client, network, freeze_now
):
    ClosureFactory(
        branch=network["a"],
        kind=Closure.Kind.SANITARY,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 1),
    )
    freeze_now(MONDAY_NOON)

    page = text(client.get("/branches/branch-5/"))

    assert "Зачинено: Санітарний день · відчиниться завтра о 10:00" in page
    assert "Сьогодні зачинено: Санітарний день." in page


def test_library_page_lists_a_coming_network_wide_holiday(client, network, freeze_now):
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 10),
        end_date=date(2026, 6, 10),
        reason="Трійця",
    )
    freeze_now(MONDAY_NOON)

    page = text(client.get("/branches/branch-5/"))

    assert "Трійця" in page


def test_library_page_on_a_network_wide_holiday_says_closed(client, network, freeze_now):
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 1),
        reason="Трійця",
    )
    freeze_now(MONDAY_NOON)

    page = text(client.get("/branches/branch-5/"))

    assert "Зачинено: Трійця · відчиниться завтра о 10:00" in page


def test_library_page_shows_its_services_and_spaces(client, at_monday_noon):
    page = text(client.get("/branches/branch-5/"))

    assert "Пункт доступу до електронних послуг" in page
    assert "Коворкінг" in page


def test_english_library_page_uses_the_english_name_and_address(client, at_monday_noon):
    response = client.get("/en/branches/branch-5/")

    assert h1(response) == "Branch Library No. 5"
    assert "50 Kovelska St" in text(response)


def test_english_page_falls_back_to_the_ukrainian_address_when_none_is_given(
    client, at_monday_noon
):
    assert "вул. Львівська, 70" in text(client.get("/en/branches/branch-7/"))


# --- JSON-LD for search engines ----------------------------------------------------------------


def test_library_page_describes_itself_as_a_schema_org_library(client, at_monday_noon):
    data = json_ld(client.get("/branches/branch-5/"))

    assert data["@type"] == "Library"
    assert data["name"] == "Бібліотека-філія № 5"
    assert data["address"]["streetAddress"] == "вул. Ковельська, 50"
    assert data["telephone"] == "+380332000005"
    assert data["url"].endswith("/branches/branch-5/")
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 50.7574, "longitude": 25.3121}


def test_json_ld_splits_each_day_around_the_lunch_break(client, at_monday_noon):
    data = json_ld(client.get("/branches/branch-5/"))
    monday = [
        (spec["opens"], spec["closes"])
        for spec in data["openingHoursSpecification"]
        if spec["dayOfWeek"] == "https://schema.org/Monday"
    ]

    assert monday == [("10:00", "13:00"), ("14:00", "18:00")]
    assert len(data["openingHoursSpecification"]) == 10  # five days, two stretches each


def test_json_ld_marks_closures_as_closed_all_day(client, network, freeze_now):
    ClosureFactory(branch=network["a"], start_date=date(2026, 6, 3), end_date=date(2026, 6, 3))
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 10),
        end_date=date(2026, 6, 10),
    )
    freeze_now(MONDAY_NOON)

    data = json_ld(client.get("/branches/branch-5/"))

    assert data["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-06-03",
            "validThrough": "2026-06-03",
            "opens": "00:00",
            "closes": "00:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-06-10",
            "validThrough": "2026-06-10",
            "opens": "00:00",
            "closes": "00:00",
        },
    ]


def test_json_ld_cannot_be_broken_out_of_by_a_library_name(client, at_monday_noon):
    Branch.objects.filter(slug="branch-5").update(name="Філія </script><script>alert(1)</script>")

    response = client.get("/branches/branch-5/")

    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["name"] == "Філія </script><script>alert(1)</script>"


# --- the list of libraries and its filters -----------------------------------------------------


def test_library_list_shows_all_eight_libraries_in_plan_order(client, at_monday_noon):
    response = client.get("/branches/")

    assert h1(response) == "Бібліотеки Луцька"
    assert listed(response) == [
        "central",
        "central-children",
        "branch-5",
        "branch-7",
        "branch-10",
        "branch-11",
        "children-2",
        "children-3",
    ]


def test_library_list_cards_carry_address_link_and_open_status(client, at_monday_noon):
    response = client.get("/branches/")
    page = text(response)

    assert 'href="/branches/branch-5/"' in response.content.decode()
    assert "вул. Ковельська, 50" in page
    assert "Відчинено · зачиняється о 13:00" in page  # branch 5 before lunch
    assert "Відчинено · зачиняється о 20:00" in page  # branch 7


def test_english_library_list_links_to_english_pages(client, at_monday_noon):
    response = client.get("/en/branches/")

    assert 'href="/en/branches/branch-5/"' in response.content.decode()
    assert "Branch Library No. 5" in text(response)


def test_filter_by_service_lists_only_libraries_offering_it(client, at_monday_noon):
    assert listed(client.get("/branches/", {"service": "egov-point"})) == ["branch-5"]
    assert listed(client.get("/branches/", {"service": "internet"})) == ["branch-5", "branch-7"]


def test_filter_by_audience_lists_libraries_for_that_audience(client, at_monday_noon):
    assert listed(client.get("/branches/", {"audience": "children"})) == ["children-2"]
    assert listed(client.get("/branches/", {"audience": "special-needs"})) == ["branch-7"]


def test_filter_by_kind_lists_childrens_libraries(client, at_monday_noon):
    assert listed(client.get("/branches/", {"kind": "children"})) == ["children-2", "children-3"]


def test_search_finds_a_library_by_a_street_name(client, at_monday_noon):
    assert listed(client.get("/branches/", {"q": "Ковельська"})) == ["branch-5"]


def test_search_matches_every_word_of_the_query(client, at_monday_noon):
    assert listed(client.get("/branches/", {"q": "філія 5"})) == ["branch-5"]
    assert listed(client.get("/branches/", {"q": "Львівська 70"})) == ["branch-7"]
    assert listed(client.get("/branches/", {"q": "Львівська 50"})) == []


def test_search_ignores_letter_case_and_knows_english_addresses(client, at_monday_noon):
    assert listed(client.get("/branches/", {"q": "ковельська"})) == ["branch-5"]
    assert listed(client.get("/branches/", {"q": "kovelska"})) == ["branch-5"]


@pytest.mark.parametrize("query", ["№5", "№ 5", "N5", "філія №5", "філія № 5", "No. 5"])
def test_search_finds_a_library_by_its_number_however_the_number_sign_is_typed(
    client, at_monday_noon, query
):
    assert "branch-5" in listed(client.get("/branches/", {"q": query}))
    assert "branch-7" not in listed(client.get("/branches/", {"q": query}))


def test_search_finds_a_street_typed_in_latin_letters_without_an_english_address(
    client, at_monday_noon
):
    Branch.objects.filter(slug="branch-5").update(address_en="")

    assert listed(client.get("/branches/", {"q": "Kovelska"})) == ["branch-5"]
    assert listed(client.get("/branches/", {"q": "lvivska 70"})) == ["branch-7"]


def test_open_now_on_saturday_lists_only_the_library_open_on_saturdays(client, network, freeze_now):
    freeze_now(SATURDAY_NOON)

    assert listed(client.get("/branches/", {"open_now": "true"})) == ["branch-7"]


def test_open_now_during_lunch_leaves_out_the_library_on_break(client, network, freeze_now):
    freeze_now(MONDAY_LUNCH)

    assert listed(client.get("/branches/", {"open_now": "true"})) == ["branch-7", "children-2"]


def test_open_now_on_a_network_wide_holiday_lists_nothing(client, network, freeze_now):
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 1),
    )
    freeze_now(MONDAY_NOON)

    response = client.get("/branches/", {"open_now": "true"})

    assert response.status_code == 200
    assert listed(response) == []


def test_filters_combine(client, network, freeze_now):
    freeze_now(MONDAY_LUNCH)

    assert listed(client.get("/branches/", {"service": "internet", "open_now": "true"})) == [
        "branch-7"
    ]


def test_unknown_service_gives_the_page_with_an_error_not_a_server_error(client, at_monday_noon):
    response = client.get("/branches/", {"service": "nonexistent"})
    expected = BranchFilter({"service": "nonexistent"}).form.errors["service"][0]

    assert response.status_code == 200
    assert expected in text(response)
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"kind": "castle"}, {"audience": "dragons"}, {"open_now": "maybe"}, {"page": "x"}]
)
def test_nonsense_filter_values_never_break_the_page(client, at_monday_noon, query):
    assert client.get("/branches/", query).status_code == 200


def test_list_is_paginated_by_twenty(client, at_monday_noon):
    BranchFactory.create_batch(20)

    first = client.get("/branches/")
    second = client.get("/branches/", {"page": 2})

    assert len(listed(first)) == 20
    assert len(listed(second)) == 8
    assert 'rel="next"' in first.content.decode()
    assert set(listed(first)).isdisjoint(listed(second))


def test_pagination_links_keep_the_filters(client, at_monday_noon):
    BranchFactory.create_batch(21, kind=Branch.Kind.CHILDREN)

    response = client.get("/branches/", {"kind": "children"})

    assert "?kind=children&amp;page=2" in response.content.decode()


# --- home and the section pages ----------------------------------------------------------------


def test_home_lists_libraries_open_now_with_their_status(client, at_monday_noon):
    response = client.get("/")
    open_now = [branch.slug for branch, _status in response.context["open_now"]]

    assert open_now == ["branch-5", "branch-7", "children-2"]
    assert "Відчинено · зачиняється о 13:00" in text(response)


def test_home_on_sunday_shows_closed_libraries_and_when_they_open(client, network, freeze_now):
    freeze_now(SUNDAY_NOON)

    response = client.get("/")

    assert response.context["open_now"] == []
    assert "Зачинено · відчиниться завтра о 10:00" in text(response)


def test_home_announces_a_coming_closure(client, network, freeze_now):
    ClosureFactory(
        branch=network["b"],
        kind=Closure.Kind.SANITARY,
        start_date=date(2026, 6, 4),
        end_date=date(2026, 6, 4),
        reason="Санітарний день у філії № 7",
    )
    freeze_now(MONDAY_NOON)

    assert "Санітарний день у філії № 7" in text(client.get("/"))


# --- constant number of queries ----------------------------------------------------------------

LIST_QUERIES = 8
DETAIL_QUERIES = 14  # + the library's next events and its clubs, its news, its social pages,
# whether it has spaces to book


def add_twenty_busy_libraries():
    for number, branch in enumerate(BranchFactory.create_batch(20)):
        set_hours(branch, weekdays=range(6), breaks=(time(13), time(14)))
        ClosureFactory(branch=branch, start_date=date(2026, 6, 1), end_date=date(2026, 6, 2))
        ClosureFactory(branch=branch, start_date=date(2026, 6, 9), end_date=date(2026, 6, 9))
        branch.services.add(ServiceFactory(slug=f"extra-service-{number}"))
        ZoneFactory(branch=branch)
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 8),
        end_date=date(2026, 6, 8),
    )


def test_library_list_runs_the_same_number_of_queries_for_8_or_28_libraries(
    client, at_monday_noon, django_assert_num_queries
):
    with django_assert_num_queries(LIST_QUERIES):
        assert len(listed(client.get("/branches/"))) == 8

    add_twenty_busy_libraries()

    with django_assert_num_queries(LIST_QUERIES):
        assert len(listed(client.get("/branches/"))) == 20
    with django_assert_num_queries(LIST_QUERIES - 1):  # the footer is cached from the page before
        assert len(listed(client.get("/branches/", {"page": 2}))) == 8


def test_open_now_filter_adds_the_same_queries_whatever_the_number_of_libraries(
    client, at_monday_noon, django_assert_num_queries
):
    with django_assert_num_queries(LIST_QUERIES + 3):
        client.get("/branches/", {"open_now": "true"})

    add_twenty_busy_libraries()

    with django_assert_num_queries(LIST_QUERIES + 3):
        client.get("/branches/", {"open_now": "true"})


def test_library_page_runs_the_same_number_of_queries_however_busy_the_network(
    client, at_monday_noon, django_assert_num_queries
):
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get("/branches/branch-5/")

    add_twenty_busy_libraries()
    branch = at_monday_noon["a"]
    ZoneFactory.create_batch(5, branch=branch)
    for day in (3, 10, 17):
        ClosureFactory(branch=branch, start_date=date(2026, 6, day), end_date=date(2026, 6, day))

    with django_assert_num_queries(DETAIL_QUERIES):
        client.get("/branches/branch-5/")


def home_open_section(response):
    body = response.content.decode()
    return body[
        body.index('id="open-title"') : body.index("</section>", body.index('id="open-title"'))
    ]


def test_home_when_all_are_closed_titles_the_block_opening_soonest_in_that_order(
    client, network, freeze_now
):
    freeze_now(SUNDAY_NOON)

    section = home_open_section(client.get("/"))
    linked = re.findall(r'href="/branches/([\w-]+)/"', section)

    assert "Найближче відчиняться" in section
    assert "Зараз відчинено" not in section
    # Mon 09:00 (branch 7, children's 2) before Mon 10:00 (branch 5); no hours come last.
    assert linked[:3] == ["branch-7", "children-2", "branch-5"]


def test_open_now_list_when_everything_is_closed_says_when_the_next_library_opens(
    client, network, freeze_now
):
    freeze_now(SUNDAY_NOON)

    response = client.get("/branches/", {"open_now": "true"})
    page = text(response)

    assert listed(response) == []
    assert "Зараз усі бібліотеки зачинені. Найближче відчиниться завтра о 09:00:" in page
    assert 'href="/branches/branch-7/"' in response.content.decode()
    assert "Показати всі бібліотеки" in page


def test_open_now_with_another_filter_says_none_of_those_is_open_and_which_opens_next(
    client, network, freeze_now
):
    freeze_now(SUNDAY_NOON)

    page = text(client.get("/branches/", {"open_now": "true", "service": "egov-point"}))

    assert "Серед вибраних бібліотек зараз жодна не відчинена." in page
    assert "Найближче відчиниться завтра о 10:00: Бібліотека-філія № 5" in page
