"""Printable posters and leaflets for events and e-services guides."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from events.models import Event
from tests.egov.factories import GuideFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("size", ["a4", "a3", "leaflet"])
def test_an_event_poster_has_the_title_time_place_library_and_a_qr_code(client, branch_a, size):
    event = EventFactory(branch=branch_a, title="Вечір поезії")

    response = client.get(f"/news/poster/event/{event.pk}/", {"size": size})

    page = text(response)
    assert response.status_code == 200
    assert f'class="size-{size}"' in page
    assert "<h1>Вечір поезії</h1>" in page
    assert branch_a.name in page
    assert page.count("<svg") == (2 if size == "leaflet" else 1)
    # Sized by the stylesheet, so it scales whole instead of being clipped at its own size.
    assert "<svg viewBox=" in page
    assert f"http://testserver/events/{event.pk}/" in page
    assert "news/poster" in page and ".css" in page


def test_the_poster_stylesheet_sets_the_paper_sizes():
    css = Path(finders.find("news/poster.css")).read_text(encoding="utf-8")

    assert "size: A4" in css and "size: A3" in css


def test_a_guide_poster_links_to_the_guide(client):
    guide = GuideFactory(title="Як подати заяву в Дії", slug="diia-zaiava")

    response = client.get("/news/poster/guide/diia-zaiava/", {"size": "a3"})

    assert response.status_code == 200
    assert "Як подати заяву в Дії" in text(response)
    assert guide.get_absolute_url() in text(response)


def test_an_unknown_size_is_refused_and_a_draft_event_is_not_printed_for_visitors(client, branch_a):
    event = EventFactory(branch=branch_a)
    draft = EventFactory(branch=branch_a, status=Event.Status.DRAFT, published_at=None)

    assert client.get(f"/news/poster/event/{event.pk}/", {"size": "a0"}).status_code == 400
    assert client.get(f"/news/poster/event/{draft.pk}/").status_code == 404


def test_staff_find_the_poster_on_the_event_page_and_in_the_admin(client, branch_a, librarian_a):
    event = EventFactory(branch=branch_a)
    poster = f"/news/poster/event/{event.pk}/?size=a4"
    assert poster not in text(client.get(event.get_absolute_url()))

    client.force_login(librarian_a)

    assert poster in text(client.get(event.get_absolute_url()))
    assert poster in text(client.get(f"/admin/events/event/{event.pk}/change/"))


def test_a_methodologist_finds_the_guide_poster_in_the_admin(client, methodologist):
    guide = GuideFactory(slug="pension-online")
    client.force_login(methodologist)

    page = text(client.get(f"/admin/egov/guide/{guide.pk}/change/"))

    assert "/news/poster/guide/pension-online/?size=a4" in page
    assert "Друкувати афішу" in page


def test_staff_print_their_own_librarys_draft_but_not_another_ones(
    client, branch_a, librarian_a, librarian_b
):
    draft = EventFactory(branch=branch_a, status=Event.Status.DRAFT, published_at=None)
    url = f"/news/poster/event/{draft.pk}/"

    client.force_login(librarian_a)
    assert client.get(url).status_code == 200
    client.force_login(librarian_b)
    assert client.get(url).status_code == 404
