"""No request, however hostile, gets a server error: every URL pattern with hostile values in
its path, every GET parameter a page reads, every public form's fields in a POST. The portal
answers 4xx, or the normal page with a message, never 500.

Property-based (hypothesis; the profile is in tests/conftest.py); the example counts are
bounded so the module runs in about a minute. The pages' parameters and fields are read from
the pages themselves (form fields, links with a query), so a new filter is fuzzed without
touching this file."""

import re
from html import unescape
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import User
from events.models import Registration
from tests.branches.factories import TourRequestFactory
from tests.catalog.factories import RecordFactory
from tests.egov.factories import BookingFactory, GuideFactory, SlotFactory
from tests.events.factories import ClubFactory, EventFactory, MembershipFactory
from tests.volunteers.factories import ApplicationFactory, OpportunityFactory

# Values that broke, or could break, a parser, a converter or the database.
NASTY = [
    "\x00",
    "a\x00b",
    "%00",
    "x" * 5000,
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "10000-01-01",
    "2026-02-30",
    "31.12.9999",
    "01.01.0001",
    "9999-12-31T23:59:59+15:59",
    "0001-01-01T00:00:00-15:59",
    "24:00",
    "23:59:60",
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59.999999-15:00",
    "0001-01-01T00:00:00+15:00",
    "10000-01-01T00:00:00Z",
    "25:00",
    "23:59:59.9999999",
    "9" * 40,
    "-" + "9" * 40,
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "Ї😀ґ\u202e\ufeff",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    " ",
    "",
    "true",
    "on",
    "[]",
    "{}",
]

hostile_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
hostile_int = st.one_of(
    st.sampled_from([0, 1, 9999, 2**31, 2**63, 10**40]), st.integers(min_value=0, max_value=10**30)
)


# --- Every URL pattern ------------------------------------------------------------------------

ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _regex_to_route(regex):
    """`^events/(?P<pk>[^/.]+)/$` → `events/<str:pk>/` (DRF's and the admin's patterns)."""
    out, i = [], 0
    regex = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name = regex[i + 4 : regex.index(">", i)]
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if regex[j] == "\\":
                    j += 1
                elif depth == 0:
                    break
                j += 1
            out.append(f"<str:{name}>")
            i = j + 1
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        elif regex[i] in "?^$":
            i += 1
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        text = str(pattern)
        if pattern.__class__.__name__ == "RegexPattern":
            text = _regex_to_route(pattern.regex.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            yield prefix + text


ROUTES = sorted({route for route in _routes() if ROUTE_PARAM.search(route)})


def _fill(route, values):
    def value(match):
        raw = values[match.group("name")]
        return quote(str(raw), safe="")

    return "/" + ROUTE_PARAM.sub(value, route)


@pytest.fixture
def some_of_everything(network):
    """One of each thing a detail page shows, so a well-formed value reaches the view."""
    event = EventFactory(branch=network["a"])
    club = ClubFactory(branch=network["a"])
    MembershipFactory(club=club)
    slot = SlotFactory(branch=network["a"])
    BookingFactory(slot=slot)
    GuideFactory()
    RecordFactory()
    OpportunityFactory(branch=network["a"])
    registration = Registration.objects.create(
        event=event, name="Олена Ткач", email="olena@example.org", consent_at=timezone.now()
    )
    return {
        "event": event,
        "club": club,
        "slot": slot,
        "booking": BookingFactory(slot=SlotFactory(branch=network["a"])),
        "registration": registration,
        "membership": MembershipFactory(club=club),
        "volunteer": ApplicationFactory(active=True, branch=network["a"]),
        "tour": TourRequestFactory(branch=network["a"]),
        "attended": BookingFactory(
            slot=SlotFactory(branch=network["a"]), status="attended", feedback_token="F" * 32
        ),
    }


@pytest.fixture
def superuser_client(db):
    user = User.objects.create_superuser(username="root", email="root@example.org", password="x")
    client = Client()
    client.force_login(user)
    return client


def _urls(routes):
    """Addresses of `routes` with each path parameter filled with something hostile."""

    def filled(route):
        converters = {m.group("name"): m.group("converter") for m in ROUTE_PARAM.finditer(route)}
        values = {
            name: hostile_int if converter == "int" else st.one_of(hostile_text, hostile_int)
            for name, converter in converters.items()
        }
        return st.fixed_dictionaries(values).map(lambda chosen: _fill(route, chosen))

    return st.sampled_from(routes).flatmap(filled)


PUBLIC_ROUTES = [route for route in ROUTES if not route.startswith("admin/")]
# Each model's change, history and delete pages (and the bare object address) are the same
# ModelAdmin code for every model: fuzzed as one group per kind, models drawn at random.
ADMIN_OBJECT_PAGE = re.compile(
    r"^admin/\w+/\w+/<path:object_id>/(?P<kind>change/|history/|delete/|)$"
)
ADMIN_OBJECT_ROUTES = {}
for _route in ROUTES:
    if _match := ADMIN_OBJECT_PAGE.match(_route):
        ADMIN_OBJECT_ROUTES.setdefault(_match.group("kind") or "object", []).append(_route)
OTHER_ADMIN_ROUTES = [
    route for route in ROUTES if route.startswith("admin/") and not ADMIN_OBJECT_PAGE.match(route)
]


def _visit_all(visitor, urls, examples):
    @settings(max_examples=examples)
    @given(urls)
    def check(url):
        response = visitor.get(url)
        assert response.status_code < 500, url

    check()


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
def test_no_public_url_gives_a_server_error_whatever_fills_its_path(
    route, some_of_everything, client
):
    _visit_all(client, _urls([route]), examples=10)


@pytest.mark.parametrize("route", OTHER_ADMIN_ROUTES)
def test_no_admin_url_gives_a_curious_librarian_a_server_error(
    route, some_of_everything, superuser_client
):
    _visit_all(superuser_client, _urls([route]), examples=10)


@pytest.mark.parametrize("kind", sorted(ADMIN_OBJECT_ROUTES))
def test_no_admin_object_page_gives_a_server_error_whatever_the_object_id(
    kind, some_of_everything, superuser_client
):
    _visit_all(superuser_client, _urls(ADMIN_OBJECT_ROUTES[kind]), examples=40)


PLAIN_PUBLIC_ROUTES = sorted(
    {route for route in _routes() if not ROUTE_PARAM.search(route)} - {"admin/"}
)


@pytest.mark.parametrize("method", ["options", "put", "patch", "delete", "head"])
def test_no_public_url_gives_a_server_error_whatever_the_method(method, some_of_everything, client):
    urls = [f"/{route}" for route in PLAIN_PUBLIC_ROUTES if not route.startswith("admin/")]
    for url in [*urls, *(page for page, _url in _public_forms(some_of_everything))]:
        if method == "head":
            response = client.head(url)
        else:
            response = getattr(client, method)(url, "\x00", content_type="application/json")
        assert response.status_code < 500, (method, url)


# --- Every GET parameter of every list page ---------------------------------------------------

LIST_PAGES = [
    "home",
    "branches:list",
    "catalog:search",
    "catalog:new",
    "catalog:local_lore",
    "catalog:resources",
    "catalog:autocomplete",
    "catalog:search_feed",
    "catalog:suggestions",
    "catalog:opensearch",
    "catalog:suggest",
    "events:index",
    "events:clubs",
    "volunteers:index",
    "volunteers:opportunities",
    "egov:index",
    "egov:guides",
    "egov:help_request",
    "egov:slots",
    "news:index",
    "news:press",
    "digital:index",
]
STAFF_LIST_PAGES = [
    "catalog:unsatisfied",
    "strategy:report",
    "strategy:report_print",
    "strategy:report_xlsx",
]
API_LISTS = [
    "branch",
    "event",
    "club",
    "record",
    "egov-guide",
    "egov-slot",
    "volunteer-opportunity",
]

NAME_ATTRIBUTE = re.compile(r'\bname="([^"]+)"')
HREF = re.compile(r'\bhref="([^"]*\?[^"]*)"')
# Parameters a page reads without offering them in a form or a link on an empty page.
ALWAYS = ["page", "q", "sort", "format", "year", "month", "date_from", "date_to", "topic", "kind"]


def _parameters_of(client, url):
    """The names a page offers: its form fields and the query keys of its links."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode() if "html" in response.get("Content-Type", "") else ""
    names = set(NAME_ATTRIBUTE.findall(html))
    for href in HREF.findall(html):
        names.update(key for key, _value in parse_qsl(urlsplit(unescape(href)).query))
    names.discard("csrfmiddlewaretoken")
    return sorted(names | set(ALWAYS))


# Every parameter at once at each extreme, before hypothesis picks its own mixtures.
EXTREMES = [
    "\x00",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "9999-12-31T23:59:59.999999-15:59",
    "0001-01-01T00:00:00+15:59",
    "9" * 40,
    "-1",
    "x" * 5000,
]


def _fuzz_get(client, url):
    names = _parameters_of(client, url)
    for value in EXTREMES:
        query = dict.fromkeys(names, value)
        assert client.get(url, query).status_code < 500, (url, value)

    @settings(max_examples=8)
    @given(
        st.dictionaries(
            st.sampled_from(names), st.one_of(hostile_text, st.lists(hostile_text, max_size=3))
        )
    )
    def check(query):
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)

    check()


@pytest.mark.parametrize("url_name", LIST_PAGES)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_no_list_page_gives_a_server_error_whatever_its_parameters(
    url_name, language, some_of_everything, client
):
    url = reverse(url_name)
    _fuzz_get(client, url if language == "uk" else "/en" + url)


@pytest.mark.parametrize("url_name", STAFF_LIST_PAGES)
def test_no_staff_report_gives_a_server_error_whatever_its_parameters(
    url_name, some_of_everything, superuser_client
):
    _fuzz_get(superuser_client, reverse(url_name))


def test_no_plan_page_gives_a_server_error_whatever_its_parameters(
    some_of_everything, superuser_client
):
    _fuzz_get(superuser_client, reverse("strategy:plan", kwargs={"slug": "2016-2021"}))


@pytest.fixture(scope="module")
def api_parameters():
    """The query parameters each API list documents in its OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: sorted({parameter["name"] for parameter in operation["get"].get("parameters", [])})
        for path, operation in schema["paths"].items()
        if "get" in operation
    }


@pytest.mark.parametrize("basename", API_LISTS)
def test_no_api_list_gives_a_server_error_whatever_its_parameters(
    basename, api_parameters, some_of_everything, client
):
    url = reverse(f"{basename}-list")
    names = sorted(set(api_parameters[url]) | set(ALWAYS))
    # One parameter at a time: the API refuses a request with any wrong parameter (400), so
    # all at once would never reach the filter that a single extreme value could break.
    for name in names:
        for value in ["\x00", "9999-12-31T23:59:59.999999-15:59", "0001-01-01T00:00:00+15:59"]:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, value)

    @settings(max_examples=8)
    @given(st.dictionaries(st.sampled_from(names), hostile_text))
    def check(query):
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)

    check()


def _changelists():
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        hierarchy = model_admin.date_hierarchy
        extra = [f"{hierarchy}__{part}" for part in ("year", "month", "day")] if hierarchy else []
        yield pytest.param(url, extra, id=url)


@pytest.mark.parametrize(("url", "hierarchy"), list(_changelists()))
def test_no_admin_list_gives_a_server_error_whatever_its_filters(
    url, hierarchy, some_of_everything, superuser_client
):
    # The admin's own parameters: search, ordering, page, and the date drill-down.
    names = sorted({*_parameters_of(superuser_client, url), "q", "o", "p", "e", *hierarchy})
    for value in ["\x00", "9999-12-31", "9" * 40, "0"]:
        query = dict.fromkeys(names, value)
        assert superuser_client.get(url, query).status_code < 500, (url, value)

    @settings(max_examples=4)
    @given(st.dictionaries(st.sampled_from(names), hostile_text, min_size=1))
    def check(query):
        response = superuser_client.get(url, query)
        assert response.status_code < 500, (url, query)

    check()


# --- Every public form ------------------------------------------------------------------------


def _public_forms(objects):
    """(the page showing the form, the address it posts to)."""
    event, club = objects["event"], objects["club"]
    simple = ["catalog:suggest", "volunteers:apply", "volunteers:delivery", "egov:help_request"]
    slot = reverse("egov:slot_book", kwargs={"pk": objects["slot"].pk})
    booking = objects["booking"].get_absolute_url()
    secret_pages = [
        objects["registration"].get_absolute_url(),
        reverse("events:membership", kwargs={"token": objects["membership"].token}),
        booking,
        objects["volunteer"].get_personal_url(),
    ]
    return [
        *((reverse(name), reverse(name)) for name in simple),
        (slot, slot),
        (event.get_absolute_url(), reverse("events:register", kwargs={"pk": event.pk})),
        (club.get_absolute_url(), reverse("events:club_join", kwargs={"slug": club.slug})),
        # The pages behind secret links: cancelling, leaving, logging hours.
        *((page, page) for page in secret_pages),
        (booking, reverse("egov:booking_cancel", kwargs={"token": objects["booking"].token})),
        # Library tourism: the tour request form, the requester's link, consultation feedback.
        (
            reverse("branches:history", kwargs={"slug": objects["tour"].branch.slug}),
            reverse("branches:history", kwargs={"slug": objects["tour"].branch.slug}),
        ),
        (objects["tour"].get_absolute_url(), objects["tour"].get_cancel_url()),
        (
            reverse("reference:consultation_feedback", kwargs={"token": "F" * 32}),
            reverse("reference:consultation_feedback", kwargs={"token": "F" * 32}),
        ),
    ]


PLAUSIBLE = [
    "Марія Коваль",
    "maria@example.org",
    "+380501234567",
    "050 123 45 67",
    "2012-05-01",
    "1",
    "2",
    "on",
    "branch-5",
]


@pytest.mark.parametrize("form_index", range(15))
@pytest.mark.parametrize("language", ["uk", "en"])
def test_no_public_form_gives_a_server_error_whatever_is_posted(
    form_index, language, some_of_everything, client
):
    page, url = _public_forms(some_of_everything)[form_index]
    if language == "en":
        page, url = "/en" + page, "/en" + url
    response = client.get(page)
    assert response.status_code == 200, page
    names = sorted(set(NAME_ATTRIBUTE.findall(response.content.decode())) - {"csrfmiddlewaretoken"})
    value = st.one_of(hostile_text, st.sampled_from(PLAUSIBLE))

    @settings(max_examples=12)
    @given(
        st.fixed_dictionaries(
            {}, optional={name: st.one_of(value, st.lists(value, max_size=3)) for name in names}
        )
    )
    def check(data):
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)

    check()


# --- What the fuzzing found, pinned ------------------------------------------------------------


def test_a_calendar_range_into_year_9999_is_refused_with_a_message(network, client):
    response = client.get(reverse("events:index"), {"date_to": "9999-12-31"})
    assert response.status_code == 200
    assert "Вкажіть дату від 01.01.2000 до 31.12.2100." in response.content.decode()


def test_an_english_reader_is_told_the_calendar_range_in_english(network, client):
    response = client.get("/en" + reverse("events:index"), {"date_from": "0001-01-01"})
    assert response.status_code == 200
    assert "Enter a date from 01.01.2000 to 31.12.2100." in response.content.decode()


def test_the_calendar_date_pickers_offer_only_the_years_it_accepts(network, client):
    html = client.get(reverse("events:index")).content.decode()
    assert 'min="2000-01-01"' in html
    assert 'max="2100-12-31"' in html


def test_a_nul_byte_as_the_help_topic_opens_the_form_with_no_topic_chosen(network, client):
    response = client.get(reverse("egov:help_request"), {"topic": "\x00"})
    assert response.status_code == 200
    assert response.context["form"].initial == {}


@pytest.mark.parametrize("year", ["9999", "9" * 40])
def test_an_admin_date_drill_down_past_year_9999_is_a_wrong_filter_not_a_crash(
    year, superuser_client
):
    url = reverse("admin:core_outgoingmail_changelist")
    response = superuser_client.get(url, {"created_at__year": year})
    assert response.status_code == 302
    assert response.url == f"{url}?e=1"


@pytest.mark.parametrize("method", ["options", "post", "delete"])
def test_the_api_docs_page_refuses_other_methods_rather_than_crash(method, client):
    response = getattr(client, method)(reverse("api-docs"))
    assert response.status_code == 405


def test_the_api_docs_page_still_opens(client):
    assert client.get(reverse("api-docs")).status_code == 200
