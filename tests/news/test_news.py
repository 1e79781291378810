"""News, announcements and press releases: the publish workflow, staff scoping, the public
pages (list, press list, detail, feed, home and library pages) and the indicators."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches.models import SocialLink
from core.tz import KYIV
from news import stats
from news.models import NewsItem
from news.services import news_item_transition
from tests.news.factories import NewsItemFactory
from tests.standards import atom_problems, json_ld_items

pytestmark = pytest.mark.django_db

ADMIN = "/admin/news/newsitem/"


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- the workflow ------------------------------------------------------------------------------


def test_publishing_a_draft_dates_it_shows_it_and_is_logged(client, branch_a, librarian_a):
    item = NewsItemFactory(
        branch=branch_a, status=NewsItem.Status.DRAFT, published_at=None, title="Нова зона"
    )
    assert client.get(item.get_absolute_url()).status_code == 404
    assert "Нова зона" not in text(client.get("/news/"))

    news_item_transition(item=item, status=NewsItem.Status.PUBLISHED, acting_user=librarian_a)

    item.refresh_from_db()
    assert item.published_at is not None
    assert client.get(item.get_absolute_url()).status_code == 200
    assert "Нова зона" in text(client.get("/news/"))
    entry = LogEntry.objects.get(object_id=str(item.pk), user=librarian_a)
    assert entry.change_message == "Стан: Чернетка → Опубліковано"


def test_an_item_published_for_tomorrow_stays_hidden_until_then(client, branch_a, librarian_a):
    tomorrow = timezone.now() + timedelta(days=1)
    item = NewsItemFactory(branch=branch_a, status=NewsItem.Status.DRAFT, published_at=tomorrow)

    news_item_transition(item=item, status=NewsItem.Status.PUBLISHED, acting_user=librarian_a)

    item.refresh_from_db()
    assert item.published_at == tomorrow
    assert client.get(item.get_absolute_url()).status_code == 404


def test_a_published_item_cannot_be_published_twice_but_can_be_withdrawn(client, librarian_a):
    item = NewsItemFactory()

    with pytest.raises(ValidationError, match="Опубліковано"):
        news_item_transition(item=item, status=NewsItem.Status.PUBLISHED, acting_user=librarian_a)
    news_item_transition(item=item, status=NewsItem.Status.DRAFT, acting_user=librarian_a)

    assert client.get(item.get_absolute_url()).status_code == 404


# --- staff ------------------------------------------------------------------------------------


def test_a_librarian_sees_and_publishes_only_their_own_librarys_news(
    client, branch_a, branch_b, librarian_a
):
    own = NewsItemFactory(branch=branch_a, status=NewsItem.Status.DRAFT, published_at=None)
    other = NewsItemFactory(branch=branch_b, status=NewsItem.Status.DRAFT, published_at=None)
    network = NewsItemFactory(branch=None)
    client.force_login(librarian_a)

    assert list(client.get(ADMIN).context["cl"].result_list) == [own]
    assert client.get(f"{ADMIN}{other.pk}/change/").status_code in (302, 403, 404)
    assert client.get(f"{ADMIN}{network.pk}/change/").status_code in (302, 403, 404)

    client.post(
        ADMIN,
        {"action": "publish", "_selected_action": [own.pk, other.pk]},
    )
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == NewsItem.Status.PUBLISHED
    assert other.status == NewsItem.Status.DRAFT


def test_a_librarian_files_news_only_under_their_own_library(
    client, branch_a, branch_b, librarian_a
):
    client.force_login(librarian_a)
    form = {
        "title_uk": "Книжковий ярмарок",
        "kind": "announcement",
        "lead_uk": "У суботу — ярмарок.",
        "body_uk": "Приходьте.",
        "published_at_0": "",
        "published_at_1": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }

    refused = client.post(f"{ADMIN}add/", {**form, "branch": branch_b.pk})
    saved = client.post(f"{ADMIN}add/", {**form, "branch": branch_a.pk})

    assert "branch" in refused.context["adminform"].form.errors
    assert saved.status_code == 302
    item = NewsItem.objects.get(title="Книжковий ярмарок")
    assert item.branch == branch_a
    assert item.status == NewsItem.Status.DRAFT


def test_a_methodologist_sees_the_news_of_every_library_and_the_network(
    client, branch_a, branch_b, methodologist
):
    items = [NewsItemFactory(branch=branch_a), NewsItemFactory(branch=branch_b)]
    items.append(NewsItemFactory(branch=None))
    client.force_login(methodologist)

    assert set(client.get(ADMIN).context["cl"].result_list) == set(items)


# --- public pages -----------------------------------------------------------------------------


def test_the_list_filters_by_library_and_the_press_list_shows_only_press_releases(
    client, branch_a, branch_b
):
    NewsItemFactory(branch=branch_a, title="Новина А")
    NewsItemFactory(branch=branch_b, title="Новина Б")
    NewsItemFactory(branch=None, kind=NewsItem.Kind.PRESS_RELEASE, title="Прес-реліз мережі")

    everything = text(client.get("/news/"))
    only_a = text(client.get("/news/", {"library": branch_a.slug}))
    press = text(client.get("/news/press/"))

    assert all(title in everything for title in ("Новина А", "Новина Б", "Прес-реліз мережі"))
    assert "Новина А" in only_a and "Новина Б" not in only_a
    assert "Прес-реліз мережі" in press and "Новина А" not in press


def test_an_unknown_library_in_the_filter_is_answered_plainly(client):
    response = client.get("/news/", {"library": "no-such\x00library"})

    assert response.status_code == 400
    assert "Такої бібліотеки немає" in text(response)


@pytest.mark.parametrize("url", ["/news/", "/news/press/", "/news/feed/"])
def test_lists_and_feed_run_the_same_number_of_queries_for_2_or_25_items(
    client, branch_a, django_assert_num_queries, url
):
    NewsItemFactory.create_batch(2, branch=branch_a, kind=NewsItem.Kind.PRESS_RELEASE)
    client.get(url)  # warm the per-process caches
    with django_assert_num_queries(QUERIES[url]):
        assert client.get(url).status_code == 200

    NewsItemFactory.create_batch(23, branch=branch_a, kind=NewsItem.Kind.PRESS_RELEASE)
    NewsItemFactory.create_batch(5, branch=None, kind=NewsItem.Kind.PRESS_RELEASE)

    with django_assert_num_queries(QUERIES[url]):
        assert client.get(url).status_code == 200


# The list: the count, the rows, the libraries of the filter (the footer is cached by the
# first page).
QUERIES = {"/news/": 3, "/news/press/": 3, "/news/feed/": 1}


def test_the_detail_page_describes_itself_as_a_news_article(
    client, branch_a, django_assert_num_queries
):
    item = NewsItemFactory(branch=branch_a, title="Зустріч із поетами")
    client.get(item.get_absolute_url())

    # The item with its library, its photos (the footer is cached by the first page).
    with django_assert_num_queries(2):
        response = client.get(item.get_absolute_url())

    (article,) = json_ld_items(response, "NewsArticle")
    assert article["headline"] == "Зустріч із поетами"
    assert article["author"]["name"] == branch_a.name
    assert article["datePublished"].startswith(str(timezone.localdate(item.published_at))[:4])
    assert "Другий абзац." in text(response)


def test_the_english_pages_answer_under_en(client, branch_a):
    item = NewsItemFactory(branch=branch_a)

    assert client.get("/en/news/").status_code == 200
    assert client.get(f"/en/news/{item.pk}/").status_code == 200
    assert client.get("/en/news/press/").status_code == 200


def test_the_feed_is_valid_atom_with_tag_ids_the_same_in_both_languages(client, branch_a):
    NewsItemFactory(branch=branch_a)
    NewsItemFactory(branch=None, kind=NewsItem.Kind.PRESS_RELEASE)

    uk, en = client.get("/news/feed/").content, client.get("/en/news/feed/").content

    assert atom_problems(uk) == []
    assert atom_problems(en) == []
    ids = re.findall(rb"<id>(tag:[^<]*news-\d+)</id>", uk)
    assert len(ids) == 2
    assert ids == re.findall(rb"<id>(tag:[^<]*news-\d+)</id>", en)


def test_the_home_page_shows_the_three_latest_items(client, branch_a):
    for days, title in enumerate(["Перша", "Друга", "Третя", "Четверта"]):
        NewsItemFactory(
            branch=branch_a,
            title=f"{title} новина",
            published_at=timezone.now() - timedelta(days=days + 1),
        )

    page = text(client.get("/"))

    assert "Перша новина" in page and "Третя новина" in page
    assert "Четверта новина" not in page


def test_the_home_page_runs_the_same_number_of_queries_with_no_news_or_many(
    client, branch_a, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")

    NewsItemFactory.create_batch(6, branch=branch_a)
    NewsItemFactory.create_batch(6, branch=None)

    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


HOME_QUERIES = 6  # five before the news block, one for the three latest items (footer cached)


def test_a_library_page_shows_its_own_and_the_networks_news_and_its_social_pages(
    client, branch_a, branch_b
):
    NewsItemFactory(branch=branch_a, title="Своя новина")
    NewsItemFactory(branch=None, title="Новина мережі")
    NewsItemFactory(branch=branch_b, title="Чужа новина")
    SocialLink.objects.create(
        branch=branch_a, network=SocialLink.Network.TELEGRAM, url="https://t.me/lib5"
    )

    page = text(client.get(branch_a.get_absolute_url()))

    assert "Своя новина" in page and "Новина мережі" in page
    assert "Чужа новина" not in page
    assert f'<a href="https://t.me/lib5" rel="noopener me">{branch_a.name} у Telegram</a>' in page


# --- indicators -------------------------------------------------------------------------------


def test_the_indicators_count_published_items_per_library_and_the_network(branch_a, branch_b):
    year = timezone.localdate().year
    NewsItemFactory(branch=branch_a)
    NewsItemFactory(branch=branch_a, kind=NewsItem.Kind.PRESS_RELEASE)
    NewsItemFactory(branch=None, kind=NewsItem.Kind.PRESS_RELEASE)
    NewsItemFactory(branch=branch_b, status=NewsItem.Status.DRAFT)
    NewsItemFactory(branch=branch_b, published_at=datetime(year - 1, 12, 31, 12, tzinfo=KYIV))

    published = stats.published(years=[year])
    press = stats.press_releases(years=[year])

    assert published == {(branch_a.pk, year): 2, (None, year): 3}
    assert press == {(branch_a.pk, year): 1, (None, year): 2}
    assert stats.published(years=[year], branch_ids=[branch_b.pk]) == {}
