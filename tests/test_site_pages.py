"""Pages every site needs: not found, server error, a refused form, robots.txt, sitemap.xml."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from branches.models import Branch
from events.models import Event
from tests.catalog.factories import RecordFactory
from tests.egov.factories import GuideFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_ukrainian_and_offers_the_way_on(client):
    response = client.get("/nope/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Сторінку не знайдено" in page
    assert 'action="/catalog/"' in page


def test_a_missing_english_page_says_so_in_english(client):
    response = client.get("/en/nope/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_server_error_page_needs_no_database_and_speaks_both_languages():
    response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "Помилка на сервері" in page
    assert "Server error" in page


def test_a_form_sent_without_its_security_token_explains_what_to_do(branch_a):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/volunteers/apply/", {"name": "Оля"})

    assert response.status_code == 403
    assert "Форму не надіслано" in response.content.decode()


def test_the_footer_names_the_central_library_without_asking_the_database_each_time(
    client, django_assert_num_queries
):
    central = Branch.objects.get(kind=Branch.Kind.CENTRAL)
    assert central.name in client.get("/no-such-page/").content.decode()

    with django_assert_num_queries(0):
        page = client.get("/no-such-page/").content.decode()

    assert central.name in page


def test_a_library_saved_shows_in_the_footer_at_once_in_both_languages(client):
    central = Branch.objects.get(kind=Branch.Kind.CENTRAL)
    client.get("/no-such-page/")
    client.get("/en/no-such-page/")

    central.name_uk = "Центральна бібліотека імені Лесі Українки"
    central.name_en = "Lesya Ukrainka Central Library"
    central.save()

    assert "імені Лесі Українки" in client.get("/no-such-page/").content.decode()
    assert "Lesya Ukrainka Central Library" in client.get("/en/no-such-page/").content.decode()


def test_a_refused_form_does_not_leave_a_footer_without_contacts_for_other_pages(branch_a):
    client = Client(enforce_csrf_checks=True)
    client.post("/volunteers/apply/", {"name": "Оля"})  # rendered without the portal's context

    page = client.get("/no-such-page/").content.decode()

    assert Branch.objects.get(kind=Branch.Kind.CENTRAL).name in page


def test_robots_txt_keeps_secret_links_and_the_admin_out_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in text
    assert "Disallow: /volunteers/me/" in text
    assert "Disallow: /e-services/bookings/" in text
    assert "Disallow: /en/strategy/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap_lists_libraries_records_events_and_guides_but_not_drafts(client, branch_a):
    record = RecordFactory()
    published = EventFactory(branch=branch_a)
    draft = EventFactory(branch=branch_a, status=Event.Status.DRAFT)
    guide = GuideFactory()

    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-records.xml" in index
    records = client.get("/sitemap-records.xml").content.decode()
    events = client.get("/sitemap-events.xml").content.decode()
    libraries = client.get("/sitemap-libraries.xml").content.decode()
    guides = client.get("/sitemap-guides.xml").content.decode()

    assert f"http://testserver/catalog/records/{record.pk}/" in records
    assert f"/events/{published.pk}/" in events
    assert f"/en/events/{published.pk}/" in events
    assert f"/events/{draft.pk}/" not in events
    assert branch_a.get_absolute_url() in libraries
    assert guide.get_absolute_url() in guides


def test_the_records_sitemap_runs_the_same_queries_however_big_the_catalogue(
    client, django_assert_num_queries
):
    RecordFactory.create_batch(3)
    client.get("/sitemap-records.xml")
    with django_assert_num_queries(2):
        client.get("/sitemap-records.xml")

    RecordFactory.create_batch(30)
    with django_assert_num_queries(2):
        client.get("/sitemap-records.xml")


def test_browsers_asking_for_favicon_ico_get_the_portal_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
