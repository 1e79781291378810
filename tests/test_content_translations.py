"""Issue 16, «English for content»: texts of libraries, events, clubs, guides and news have English
versions (django-modeltranslation); an English page without one shows the Ukrainian text marked
lang="uk" and says so once."""

import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from branches.models import Branch, Service
from events.models import Event
from tests.egov.factories import GuideFactory
from tests.events.factories import ClubFactory, EventFactory
from tests.factories import ClosureFactory
from tests.news.factories import NewsItemFactory

NOTICE = "This text has not been translated into English yet."

pytestmark = pytest.mark.django_db


def h1(response):
    return re.search(r"<h1[^>]*>.*?</h1>", response.content.decode(), re.S).group(0)


def test_an_english_event_page_shows_the_english_title_and_no_notice(client):
    event = EventFactory(
        title="Зустріч з поетами", title_en="Meeting the poets", description_en="Come along."
    )

    response = client.get(f"/en/events/{event.pk}/")

    assert h1(response) == "<h1>Meeting the poets</h1>"
    assert "Come along." in response.content.decode()
    assert NOTICE not in response.content.decode()


def test_an_untranslated_event_shows_ukrainian_marked_uk_and_the_notice_once(client):
    event = EventFactory(title="Зустріч з поетами", description="Приходьте всі.")

    response = client.get(f"/en/events/{event.pk}/")
    content = response.content.decode()

    assert h1(response) == '<h1 lang="uk">Зустріч з поетами</h1>'
    assert '<div lang="uk"><p>Приходьте всі.</p></div>' in content
    assert content.count(NOTICE) == 1
    # The notice itself is English: the page's language, not the text's.
    assert re.search(r'<p class="untranslated-notice" role="note">' + NOTICE, content)


def test_a_half_translated_event_marks_only_the_ukrainian_part(client):
    event = EventFactory(
        title="Зустріч з поетами", title_en="Meeting the poets", description="Опис."
    )

    content = client.get(f"/en/events/{event.pk}/").content.decode()

    assert "<h1>Meeting the poets</h1>" in content
    assert '<div lang="uk"><p>Опис.</p></div>' in content
    assert content.count(NOTICE) == 1


def test_a_list_of_many_untranslated_events_says_so_once(client):
    for n in range(5):
        EventFactory(title=f"Подія {n}")
    EventFactory(title="Переклала", title_en="Translated one")

    content = client.get("/en/events/").content.decode()

    assert content.count(NOTICE) == 1
    assert '<span lang="uk">Подія 3</span>' in content
    assert "Translated one" in content


def test_an_english_list_with_everything_translated_has_no_notice(client):
    branch = Branch.objects.order_by("pk").first()
    EventFactory(title="Подія", title_en="An event", branch=branch)

    content = client.get("/en/events/").content.decode()

    assert "An event" in content
    assert NOTICE not in content


def test_ukrainian_pages_are_unaffected(client):
    event = EventFactory(title="Зустріч з поетами", title_en="Meeting the poets")
    NewsItemFactory(title="Новина без перекладу")

    detail = client.get(f"/events/{event.pk}/")
    news = client.get("/news/").content.decode()

    assert h1(detail) == "<h1>Зустріч з поетами</h1>"
    assert NOTICE not in detail.content.decode() and NOTICE not in news
    assert "Цей текст ще не перекладено" not in news
    assert 'lang="uk">Новина' not in news


def test_news_club_guide_and_library_pages_in_english(client):
    item = NewsItemFactory(
        title="Нові книжки",
        title_en="New books",
        lead="Коротко.",
        body="Текст.",
        lead_en="Briefly.",
    )
    club = ClubFactory(name="Клуб читачів", name_en="Readers' club", description="Про клуб.")
    guide = GuideFactory(title="Як увійти в Дію", title_en="How to sign in to Diia")
    branch = Branch.objects.get(slug="central")
    branch.description = "Опис бібліотеки."
    branch.description_en = "About the library."
    branch.save()

    news = client.get(f"/en/news/{item.pk}/").content.decode()
    assert "<h1>New books</h1>" in news and '<p class="lead"><strong>Briefly.' in news
    assert '<div lang="uk">\n<p>Текст.</p>' in news and news.count(NOTICE) == 1

    with translation.override("en"):
        club_page = client.get(club.get_absolute_url())
    assert "<h1>Readers&#x27; club</h1>" in club_page.content.decode()
    assert club_page.content.decode().count(NOTICE) == 1  # the description

    with translation.override("en"):
        guide_page = client.get(guide.get_absolute_url()).content.decode()
    assert "<h1>How to sign in to Diia</h1>" in guide_page
    assert '<p class="lead" lang="uk">' in guide_page and guide_page.count(NOTICE) == 1

    library = client.get("/en/branches/central/").content.decode()
    assert "About the library." in library and "Опис бібліотеки." not in library


def test_a_closure_reason_has_an_english_version(client, at_monday_noon):
    branch = at_monday_noon["a"]
    today = timezone.localdate()
    ClosureFactory(
        branch=branch, kind="sudden", start_date=today, end_date=today, reason="Прорвало трубу"
    )

    english = client.get(f"/en/branches/{branch.slug}/").content.decode()
    assert '<span lang="uk">Прорвало трубу</span>' in english

    branch.closures.update(reason_en="A burst pipe")
    english = client.get(f"/en/branches/{branch.slug}/").content.decode()
    assert "A burst pipe" in english and "Прорвало трубу" not in english


@pytest.mark.parametrize("path", ["/events/", "/news/", "/e-services/guides/"])
def test_english_lists_run_as_many_queries_as_ukrainian_ones(client, path):
    for n in range(12):
        EventFactory(title=f"Подія {n}", title_en=f"Event {n}" if n % 2 else None)
        NewsItemFactory(title=f"Новина {n}")
        GuideFactory(title=f"Інструкція {n}")
    client.get(path)  # warm caches (the footer's library, sessions)
    client.get("/en" + path)

    with CaptureQueriesContext(connection) as ukrainian:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as english:
        assert client.get("/en" + path).status_code == 200

    assert len(english) == len(ukrainian)


def test_the_api_keeps_ukrainian_names_and_gives_english_ones_whatever_the_request_asks(client):
    event = EventFactory(title="Зустріч", title_en="Meeting")

    data = client.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE="en").json()
    row = next(row for row in data["results"] if row["id"] == event.pk)
    library = client.get("/api/v1/branches/central/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (row["title"], row["title_en"]) == ("Зустріч", "Meeting")
    assert library["name"] == "Центральна бібліотека"
    assert library["name_en"] == "Central Library"


def test_an_english_search_finds_untranslated_events_by_their_ukrainian_words(client):
    EventFactory(title="Презентація книги про Луцьк")
    EventFactory(title="Вечір поезії", title_en="An evening of poetry")

    found = client.get("/en/events/", {"q": "луцьк"}).content.decode()
    english = client.get("/en/events/", {"q": "poetry"}).content.decode()

    assert "Презентація книги про Луцьк" in found
    assert "An evening of poetry" in english


def test_admin_shows_both_languages_side_by_side_with_only_ukrainian_required(admin_client):
    form = admin_client.get("/admin/branches/service/add/").content.decode()
    assert "Назва (українською)" in form and "Назва (англійською)" in form
    assert re.search(r'name="name_uk"[^>]*required', form)
    assert not re.search(r'name="name_en"[^>]*required', form)

    response = admin_client.post(
        "/admin/branches/service/add/",
        {"name_uk": "Настільні ігри", "name_en": "", "slug": "board-games"},
    )

    assert response.status_code == 302
    service = Service.objects.get(slug="board-games")
    assert (service.name_uk, service.name_en) == ("Настільні ігри", None)


# --- the data migrations --------------------------------------------------------------------


def migration_operation(app_label, name):
    module = importlib.import_module(f"{app_label}.migrations.{name}")
    return module.Migration.operations[0]


def models_at(app_label, name):
    """The models as the migration `name` sees them (no modeltranslation, as in a real run)."""
    return MigrationExecutor(connection).loader.project_state((app_label, name)).apps


def test_the_data_migration_copies_ukrainian_texts_and_keeps_english_ones():
    branch = Branch.objects.get(slug="central")
    # As the schema migration leaves a row: the text in `name`, English in the old column.
    Branch.objects.filter(pk=branch.pk).rewrite(False).update(
        name="Центральна бібліотека", name_uk=None, description="Опис.", description_uk=None
    )
    operation = migration_operation("branches", "0011_english_versions_data")

    operation.code(models_at("branches", "0011_english_versions_data"), None)

    branch.refresh_from_db()
    assert branch.name_uk == "Центральна бібліотека" and branch.name_en == "Central Library"
    assert branch.description_uk == "Опис."


def test_the_data_migration_goes_back_with_later_ukrainian_edits_and_no_nulls():
    event = EventFactory(title="Стара назва")
    Event.objects.filter(pk=event.pk).update(title_uk="Нова назва")  # as admin saves it in uk
    Branch.objects.filter(slug="central").update(address_en=None)
    operation = migration_operation("events", "0009_english_versions_data")
    branches = migration_operation("branches", "0011_english_versions_data")

    operation.reverse_code(models_at("events", "0009_english_versions_data"), None)
    branches.reverse_code(models_at("branches", "0011_english_versions_data"), None)

    assert Event.objects.filter(pk=event.pk).rewrite(False).values_list(
        "title", flat=True
    ).get() == ("Нова назва")
    # The hand-written English columns were NOT NULL: going back turns NULL into "".
    assert Branch.objects.get(slug="central").address_en == ""
