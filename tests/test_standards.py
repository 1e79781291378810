"""What other programs read from the portal passes their validators: OpenSearch, Atom feeds,
iCalendar files, schema.org JSON-LD and the sitemap (see tests/standards.py)."""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from icalendar import Calendar

from branches.models import Closure
from catalog.models import Item
from tests.catalog.test_pages import arrivals, catalogue  # noqa: F401 (fixtures)
from tests.egov.factories import BookingFactory, SlotFactory
from tests.events.factories import ClubFactory, EventFactory
from tests.news.factories import NewsItemFactory
from tests.standards import (
    LIBICAL,
    atom_problems,
    ical_problems,
    json_ld_items,
    sitemap_problems,
    sitemap_xsd_available,
)

pytestmark = pytest.mark.django_db

OS = "{http://a9.com/-/spec/opensearch/1.1/}"
ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom_problems(response.content) == []
    return ElementTree.fromstring(response.content)


# --- OpenSearch ------------------------------------------------------------------------------


def opensearch_templates(client, prefix=""):
    response = client.get(f"{prefix}/catalog/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{OS}OpenSearchDescription"
    assert 0 < len(root.findtext(f"{OS}ShortName")) <= 16  # the spec's limit
    assert root.findtext(f"{OS}InputEncoding") == "UTF-8"
    assert root.findtext(f"{OS}Description")
    return {url.get("type"): url.get("template") for url in root.findall(f"{OS}Url")}


def fill(template, terms):
    return (
        template.replace("http://testserver", "")
        .replace("{searchTerms}", terms)
        .replace("{startPage?}", "1")
    )


def test_browsers_find_the_catalogue_as_a_search_engine_in_each_language(client, catalogue):  # noqa: F811
    home = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert (
        '<link rel="search" type="application/opensearchdescription+xml" '
        'href="/catalog/opensearch.xml"' in home
    )
    assert 'href="/en/catalog/opensearch.xml"' in english

    templates = opensearch_templates(client)
    assert set(templates) >= {
        "text/html",
        "application/atom+xml",
        "application/x-suggestions+json",
    }
    page = client.get(fill(templates["text/html"], "Кобзар"))
    assert "Кобзар" in [record.title for record in page.context["records"]]
    assert opensearch_templates(client, "/en")["text/html"].startswith(
        "http://testserver/en/catalog/"
    )


def test_opensearch_atom_results_are_the_search_page_results_with_their_counts(
    client,
    catalogue,  # noqa: F811
):
    templates = opensearch_templates(client)
    root = atom(client, fill(templates["application/atom+xml"], "Шевченко"))
    page = client.get("/catalog/?q=Шевченко")

    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert titles == [
        f"{r.title}: {r.subtitle}" if r.subtitle else r.title for r in page.context["records"]
    ]
    assert root.findtext(f"{OS}totalResults") == str(page.context["hits"])
    assert root.findtext(f"{OS}itemsPerPage") == "20"
    assert atom_problems(client.get("/catalog/search.atom").content) == []  # nothing asked
    # A control character XML cannot carry is dropped, not a server error.
    assert atom_problems(client.get("/catalog/search.atom?q=Коб%01зар").content) == []


def test_opensearch_suggestions_come_from_the_autocomplete(client, catalogue):  # noqa: F811
    templates = opensearch_templates(client)
    response = client.get(fill(templates["application/x-suggestions+json"], "кобз"))
    assert response["Content-Type"].startswith("application/x-suggestions+json")
    query, completions = json.loads(response.content)
    assert query == "кобз"
    assert completions == json.loads(client.get("/catalog/autocomplete/?q=кобз").content)
    assert "Кобзар" in " ".join(completions)


# --- Atom ------------------------------------------------------------------------------------


def test_every_atom_feed_is_valid_rfc_4287_with_stable_tag_ids(client, arrivals, branch_a):  # noqa: F811
    EventFactory(title="Зустріч з поетом")
    NewsItemFactory(branch=branch_a, title="Нові книжки для дітей")
    urls = [
        "/catalog/new/feed/",
        f"/catalog/new/{branch_a.slug}/feed/",
        "/events/feed/",
        "/news/feed/",
        "/catalog/search.atom?q=Шевченко",
    ]
    for url in urls:
        uk, en = atom(client, url), atom(client, f"/en{url}")
        ids = [entry.findtext(f"{ATOM}id") for entry in uk.findall(f"{ATOM}entry")]
        assert ids, url
        assert all(entry_id.startswith("tag:") for entry_id in ids)
        # The same entry keeps its id in the English feed (and from one day to the next).
        assert ids == [entry.findtext(f"{ATOM}id") for entry in en.findall(f"{ATOM}entry")]
        assert uk.findtext(f"{ATOM}author/{ATOM}name") == "ЦБС м. Луцька"
        assert uk.findtext(f"{ATOM}id") != en.findtext(f"{ATOM}id")


def test_the_atom_check_rejects_what_the_feeds_had_before():
    old = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>http://x/</id>'
        b'<updated>2026-01-01T00:00:00Z</updated><link rel="self" href="http://x/f"/>'
        b'<entry><title>e</title><link href="http://x/e"/><id>event-70</id>'
        b"<updated>2026-01-01T00:00:00Z</updated></entry></feed>"
    )
    problems = atom_problems(old)
    assert "entry 1: id 'event-70' is not an absolute IRI" in problems
    assert "entry 1: no author, and the feed has none either" in problems


# --- iCalendar -------------------------------------------------------------------------------


def test_every_calendar_file_passes_icalendar_and_libical(client, network):
    event = EventFactory(branch=network["a"])
    club = ClubFactory(branch=network["a"])
    for url in (
        f"/events/{event.pk}/event.ics",
        "/events/calendar.ics",
        f"/events/calendar/{network['a'].slug}.ics",
        f"/events/clubs/{club.slug}/calendar.ics",
        f"/en/events/calendar/{network['a'].slug}.ics",
    ):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/calendar"), url
        assert ical_problems(response.content) == [], url


@pytest.mark.skipif(LIBICAL is None, reason="libical.so.3 (Debian libical3) is not installed")
def test_libical_rejects_a_published_event_without_organizer():
    bare = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//UK\r\nMETHOD:PUBLISH\r\n"
        b"BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART:20260101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert any("ORGANIZER" in problem for problem in ical_problems(bare))


def test_booking_calendar_file_describes_the_consultation(client, network):
    slot = SlotFactory(branch=network["a"], consultant="Олена Коваль")
    booking = BookingFactory(slot=slot)

    response = client.get(f"/e-services/bookings/{booking.token}/calendar.ics")

    assert ical_problems(response.content) == []
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    description = str(vevent["DESCRIPTION"])
    assert "Допомога з Дією" in str(vevent["SUMMARY"])
    assert "вул. Ковельська, 50" in str(vevent["LOCATION"])
    assert "Олена Коваль" in description
    assert "паспорт" in description
    assert booking.get_cancel_url() in description
    assert vevent.decoded("DTSTART") == slot.starts_at.replace(microsecond=0)


def test_library_page_and_events_page_link_the_library_calendar(client, network):
    branch = network["a"]
    calendar_url = f"/events/calendar/{branch.slug}.ics"

    assert calendar_url in client.get(branch.get_absolute_url()).content.decode()
    assert calendar_url in client.get(f"/events/?branch={branch.slug}").content.decode()


# --- JSON-LD ---------------------------------------------------------------------------------


def test_record_json_ld_has_the_edition_with_availability_in_each_library(
    client,
    catalogue,  # noqa: F811
    branch_a,
    branch_b,
):
    (book,) = json_ld_items(client.get(catalogue["kobzar"].get_absolute_url()), "Book")
    # Search engines' book results: the work, and its edition with an ISBN and a way to borrow.
    for field in ("@id", "name", "url", "author", "workExample"):
        assert book[field], field
    (edition,) = book["workExample"]
    for field in ("@id", "isbn", "inLanguage", "bookFormat", "offers", "potentialAction"):
        assert edition[field], field
    offers = edition["offers"]
    availability = {offer["offeredBy"]["name"]: offer["availability"] for offer in offers}
    assert availability == {
        branch_a.name: "https://schema.org/InStock",
        branch_b.name: "https://schema.org/OutOfStock",  # its only copy is on loan
    }
    assert {offer["price"] for offer in edition["offers"]} == {"0"}
    assert {action["@type"] for action in edition["potentialAction"]} == {"BorrowAction"}

    Item.objects.filter(record=catalogue["kobzar"]).update(status=Item.Status.ON_LOAN)
    (book,) = json_ld_items(client.get(catalogue["kobzar"].get_absolute_url()), "Book")
    assert {o["availability"] for o in book["workExample"][0]["offers"]} == {
        "https://schema.org/OutOfStock"
    }


def test_event_json_ld_has_image_location_and_a_free_offer(client, network):
    event = EventFactory(branch=network["a"], capacity=10)

    (data,) = json_ld_items(client.get(event.get_absolute_url()), "Event")

    for field in ("name", "startDate", "location", "image", "offers", "organizer", "endDate"):
        assert data[field], field
    assert data["image"][0].startswith("http://testserver/")
    assert data["offers"]["price"] == "0"
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_library_json_ld_states_dated_closures_as_special_opening_hours(client, network):
    branch = network["a"]
    day = timezone.localdate() + timedelta(days=3)
    Closure.objects.create(branch=branch, start_date=day, end_date=day, reason="Санітарний день")

    (library,) = json_ld_items(client.get(branch.get_absolute_url()), "Library")

    for field in ("name", "address", "url", "openingHoursSpecification"):
        assert library[field], field
    assert {
        "validFrom": day.isoformat(),
        "validThrough": day.isoformat(),
        "opens": "00:00",
        "closes": "00:00",
    }.items() <= library["specialOpeningHoursSpecification"][0].items()


# --- sitemap ---------------------------------------------------------------------------------


def test_sitemap_lists_every_section_and_record_in_both_languages(client, catalogue, network):  # noqa: F811
    index = client.get("/sitemap.xml")
    assert sitemap_problems(index.content, index=True) == []
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    pages = [
        loc.text.replace("http://testserver", "")
        for loc in ElementTree.fromstring(index.content).findall("s:sitemap/s:loc", ns)
    ]
    locations = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert sitemap_problems(response.content) == [], page
        root = ElementTree.fromstring(response.content)
        locations |= {loc.text for loc in root.findall("s:url/s:loc", ns)}

    kobzar = catalogue["kobzar"].get_absolute_url()
    for path in (
        kobzar,
        f"/en{kobzar}",
        "/catalog/new/",
        f"/catalog/new/{network['a'].slug}/",
        "/catalog/local-lore/",
        "/catalog/local-lore/search/",
        "/catalog/local-lore/people/",
        "/catalog/local-lore/places/",
        "/catalog/resources/",
        "/volunteers/apply/",
        "/volunteers/home-delivery/",
        "/e-services/help/",
        "/en/e-services/help/",
    ):
        assert f"http://testserver{path}" in locations, path


@pytest.mark.skipif(
    not sitemap_xsd_available(), reason="tests/fixtures/xsd/sitemap.xsd not vendored yet"
)
def test_sitemap_validates_against_the_official_xsd(client, catalogue):  # noqa: F811
    assert sitemap_problems(client.get("/sitemap-records.xml").content) == []
