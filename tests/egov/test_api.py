"""The read-only API: guides (with Ukrainian search) and free consultation slots."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.egov.factories import BookingFactory, GuideFactory, GuideLinkFactory, SlotFactory, topic

pytestmark = pytest.mark.django_db


def test_guides_are_searchable_and_list_their_steps_and_official_links(client):
    guide = GuideFactory(topic=topic("land-cadastre"), slug="cadastre", title="Земельний кадастр")
    GuideLinkFactory(guide=guide, title="Кадастрова карта", url="https://map.land.gov.ua/")
    GuideFactory(topic=topic("diia"), slug="diia", title="Дія")

    body = client.get("/api/v1/egov-guides/", {"q": "кадастру"}).json()

    assert [row["slug"] for row in body["results"]] == ["cadastre"]
    row = body["results"][0]
    assert row["steps"] == ["Відкрийте сайт.", "Увійдіть.", "Заповніть заяву."]
    assert row["links"] == [{"title": "Кадастрова карта", "url": "https://map.land.gov.ua/"}]
    assert row["topic"]["slug"] == "land-cadastre"


def test_a_guide_is_found_by_its_slug(client):
    GuideFactory(slug="diia", title="Дія")

    assert client.get("/api/v1/egov-guides/diia/").json()["title"] == "Дія"


def test_only_free_future_slots_are_listed_without_anyone_s_name(client, branch_a, branch_b):
    free = SlotFactory(branch=branch_a)
    BookingFactory(slot=SlotFactory(branch=branch_a), name="Петро Мельник")
    SlotFactory(branch=branch_a, starts_at=timezone.now() - timedelta(hours=1))
    SlotFactory(branch=branch_b)

    response = client.get("/api/v1/egov-slots/", {"branch": "branch-5"})

    assert [row["id"] for row in response.json()["results"]] == [free.pk]
    assert "Петро" not in response.content.decode()
    assert response.json()["results"][0]["book_url"].endswith(f"/e-services/slots/{free.pk}/")


def test_the_api_refuses_the_write_methods(client):
    assert client.post("/api/v1/egov-guides/", {}).status_code == 405
