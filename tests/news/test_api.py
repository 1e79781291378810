"""The read API of the news: /api/v1/news/ shows what the news pages show, never drafts or
items dated in the future, with English texts beside the Ukrainian ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import NewsItem, NewsPhoto
from tests.news.factories import NewsItemFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/news/"


def titles(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


def test_only_published_items_already_dated_are_listed_newest_first(client, branch_a):
    now = timezone.now()
    NewsItemFactory(title="Учорашня", branch=branch_a, published_at=now - timedelta(days=1))
    NewsItemFactory(title="Сьогоднішня", branch=None, published_at=now - timedelta(hours=1))
    draft = NewsItemFactory(title="Чернетка", status=NewsItem.Status.DRAFT, published_at=None)
    later = NewsItemFactory(title="Завтрашня", published_at=now + timedelta(days=1))

    assert titles(client) == ["Сьогоднішня", "Учорашня"]
    assert client.get(f"{URL}{draft.pk}/").status_code == 404
    assert client.get(f"{URL}{later.pk}/").status_code == 404


def test_an_item_has_its_texts_in_both_languages_photos_and_page(client, branch_a):
    item = NewsItemFactory(
        branch=branch_a, kind=NewsItem.Kind.ANNOUNCEMENT, title="Нова зала", title_en="New hall"
    )
    NewsPhoto.objects.create(news_item=item, image="news/hall.jpg", alt_text="Зала з кріслами")

    row = client.get(f"{URL}{item.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (row["title"], row["title_en"]) == ("Нова зала", "New hall")
    assert (row["lead_en"], row["body"]) == (None, "Перший абзац.\n\nДругий абзац.")
    assert (row["branch"], row["kind"]) == ("branch-5", "announcement")
    assert row["photos"] == [
        {"image": "http://testserver/media/news/hall.jpg", "alt_text": "Зала з кріслами"}
    ]
    assert row["url"] == f"http://testserver/news/{item.pk}/"


def test_the_list_filters_by_library_kind_and_publication_date(client, branch_a, branch_b):
    now = timezone.now()
    NewsItemFactory(title="А", branch=branch_a, published_at=now - timedelta(days=10))
    NewsItemFactory(title="Б", branch=branch_b, kind=NewsItem.Kind.PRESS_RELEASE)
    NewsItemFactory(title="Мережа", branch=None, published_at=now - timedelta(days=3))

    assert titles(client, branch="branch-5") == ["А"]
    assert titles(client, kind="press_release") == ["Б"]
    since = (now - timedelta(days=5)).isoformat()
    assert titles(client, published_after=since) == ["Б", "Мережа"]
    assert titles(client, published_before=since) == ["А"]
    refused = client.get(URL, {"kind": "gossip"})
    assert refused.status_code == 400 and "kind" in refused.json()


def test_the_list_runs_a_constant_number_of_queries(client, branch_a, django_assert_num_queries):
    for n in range(25):
        item = NewsItemFactory(branch=branch_a if n % 2 else None)
        NewsPhoto.objects.create(news_item=item, image=f"news/{n}.jpg", alt_text="Фото")

    # Count, items with their library, photos.
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert len(response.json()["results"]) == 20
