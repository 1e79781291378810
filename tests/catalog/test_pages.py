"""The catalogue pages a reader opens: search with facets, a record with its copies, new
arrivals with Atom feeds, local lore, online resources, «Запропонувати придбати», and the
staff report of unsatisfied requests."""

import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.utils import timezone

from catalog.indexing import records_reindex
from catalog.models import (
    Contribution,
    Item,
    OnlineResource,
    PurchaseSuggestion,
    Record,
    SearchLog,
)
from catalog.search import log as search_log
from catalog.search import search_log_buffered, search_log_flush
from core.db import uk_collation_is_alphabetical
from tests.catalog.factories import ItemFactory, PersonFactory, RecordFactory, SubjectFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def text(response):
    """The page as a reader reads it: no tags, entities decoded, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def h1(response):
    found = re.findall(r"<h1\b[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)
    assert len(found) == 1, "a page has exactly one h1"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[0])).split())


def titles(response):
    return [record.title for record in response.context["records"]]


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


def reindex():
    records_reindex(Record.objects.values_list("pk", flat=True))


@pytest.fixture
def catalogue(branch_a, branch_b):
    """Shevchenko's «Кобзар» on the shelf in A (two copies) and on loan in B; «Гайдамаки» on
    the shelf in B; Lesya Ukrainka's «Лісова пісня» on loan in A; «Hamlet» in English in A;
    a local-lore book about Lutsk in B."""
    poetry = SubjectFactory(name="Українська поезія")
    drama = SubjectFactory(name="Драматургія")
    kobzar = RecordFactory(
        title="Кобзар",
        subtitle="повне зібрання",
        responsibility="Тарас Шевченко ; упоряд. Іван Франко",
        authors=["Шевченко, Тарас"],
        subjects=[poetry],
        publisher="Знання",
        place="Київ",
        year=2019,
        edition="3-тє вид.",
        isbn="9789660345812",
        udc="821.161.2-1",
        bbk="84(4УКР)",
        series="Шкільна бібліотека",
        age_rating=Record.AgeRating.TWELVE,
        annotation="Найповніше видання поезій Тараса Шевченка.",
    )
    haidamaky = RecordFactory(
        title="Гайдамаки", authors=["Шевченко, Тарас"], subjects=[poetry], year=2015
    )
    song = RecordFactory(
        title="Лісова пісня", authors=["Українка, Леся"], subjects=[drama], year=2021
    )
    hamlet = RecordFactory(
        title="Hamlet", authors=["Shakespeare, William"], language="eng", year=2001
    )
    lutsk = RecordFactory(
        title="Луцьк: історія міста",
        authors=["Пиріг, Олена"],
        year=2010,
        is_local_lore=True,
        material_type=Record.MaterialType.LOCAL_LORE,
    )
    ItemFactory(record=kobzar, branch=branch_a, shelf_mark="84(4УКР)1-5")
    ItemFactory(record=kobzar, branch=branch_a, shelf_mark="84(4УКР)1-5")
    ItemFactory(record=kobzar, branch=branch_b, status=Item.Status.ON_LOAN)
    ItemFactory(record=haidamaky, branch=branch_b)
    ItemFactory(record=song, branch=branch_a, status=Item.Status.ON_LOAN)
    ItemFactory(record=hamlet, branch=branch_a)
    ItemFactory(record=lutsk, branch=branch_b)
    reindex()
    return {
        "kobzar": kobzar,
        "haidamaky": haidamaky,
        "song": song,
        "hamlet": hamlet,
        "lutsk": lutsk,
        "poetry": poetry,
    }


# --- every page answers, in both languages -----------------------------------------------------

PAGES = {
    "/catalog/": "Online catalogue",
    "/catalog/?q=Шевченко": "Refine your search",
    "/catalog/?q=абракадабра": "Suggest a purchase",
    "/catalog/records/{kobzar}/": "Where to borrow it",
    "/catalog/new/": "New arrivals",
    "/catalog/new/branch-5/": "New arrivals",
    "/catalog/local-lore/": "Local history",
    "/catalog/local-lore/search/": "Local history",
    "/catalog/resources/": "Online resources",
    "/catalog/suggest/": "Suggest a purchase",
    "/catalog/suggest/thanks/": "Thank you for your suggestion",
}


@pytest.mark.parametrize("path", PAGES)
def test_catalogue_page_answers_in_ukrainian_with_one_heading(client, catalogue, path):
    response = client.get(path.format(kobzar=catalogue["kobzar"].pk))

    assert response.status_code == 200
    assert '<html lang="uk">' in response.content.decode()
    assert h1(response)


@pytest.mark.parametrize("path", PAGES)
def test_catalogue_page_answers_in_english_under_en(client, catalogue, path):
    response = client.get("/en" + path.format(kobzar=catalogue["kobzar"].pk))

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert h1(response)
    assert PAGES[path] in text(response)


def test_header_link_to_the_catalogue_leads_to_the_search_page(client, catalogue):
    response = client.get("/catalog/")

    assert 'href="/catalog/" aria-current="page"' in response.content.decode()


def test_unknown_record_and_library_are_not_found(client, catalogue):
    assert client.get("/catalog/records/999999/").status_code == 404
    assert client.get("/catalog/new/no-such-library/").status_code == 404
    assert client.get("/catalog/new/no-such-library/feed/").status_code == 404


# --- search ----------------------------------------------------------------------------------


def test_search_finds_records_and_says_in_how_many_libraries_they_are_on_the_shelf(
    client, catalogue
):
    response = client.get("/catalog/", {"q": "вірші Шевченка"})
    page = text(response)

    assert set(titles(response)) == {"Кобзар", "Гайдамаки"}
    assert "Знайдено 2 записи" in page
    assert "Шевченко, Тарас" in page
    assert "є на полиці в 1 бібліотеці" in page


def test_search_result_that_is_only_on_loan_says_it_is_not_on_the_shelf(client, catalogue):
    page = text(client.get("/catalog/", {"q": "Лісова пісня"}))

    assert "зараз немає на полиці" in page


def test_empty_search_shows_new_arrivals_and_collections(client, catalogue):
    response = client.get("/catalog/")
    page = text(response)

    assert response.context["landing"] is True
    assert "Кобзар" in page
    assert 'href="/catalog/local-lore/"' in response.content.decode()
    assert 'href="/catalog/resources/"' in response.content.decode()
    assert SearchLog.objects.count() == 0


def test_facets_show_counts_for_the_result(client, catalogue):
    response = client.get("/catalog/", {"q": "Шевченко"})
    groups = {group["key"]: group for group in response.context["facets"]["groups"]}
    branches = {option["value"]: option["count"] for option in groups["branch"]["options"]}
    page = text(response)

    assert branches == {"branch-5": 1, "branch-7": 2}
    assert response.context["facets"]["available"]["count"] == 2
    assert "Українська поезія (2)" in page
    assert "<legend>Бібліотека</legend>" in response.content.decode()


def test_facet_labels_follow_the_page_language_when_the_counts_come_from_the_cache(
    client, catalogue
):
    def languages(path):
        groups = client.get(path, {"q": "Шевченко"}).context["facets"]["groups"]
        return [
            option["label"]
            for group in groups
            if group["key"] == "language"
            for option in group["options"]
        ]

    assert "українська" in languages("/catalog/")
    assert "Ukrainian" in languages("/en/catalog/")


def test_cached_facet_groups_follow_the_page_language_and_new_counts(
    client, catalogue, branch_a, branch_b
):
    before = text(client.get("/catalog/", {"q": "Шевченко"}))
    english = text(client.get("/en/catalog/", {"q": "Шевченко"}))
    grow(1, branch_a, branch_b, catalogue["poetry"])
    after = text(client.get("/catalog/", {"q": "Шевченко"}))

    assert "Українська поезія (2)" in before
    assert "Library" in english
    assert "Бібліотека" not in english
    assert "Українська поезія (3)" in after


def test_branch_and_availability_filters_work_through_the_page(client, catalogue):
    held_in_a = client.get("/catalog/", {"q": "Шевченко", "branch": "branch-5"})
    on_shelf_in_b = client.get(
        "/catalog/", {"q": "Шевченко", "branch": "branch-7", "available": "on"}
    )

    assert titles(held_in_a) == ["Кобзар"]
    assert titles(on_shelf_in_b) == ["Гайдамаки"]
    assert "Лише на полиці" in text(on_shelf_in_b)


def test_filters_without_words_browse_the_catalogue(client, catalogue):
    english = client.get("/catalog/", {"language": "eng"})
    poetry = client.get("/catalog/", {"subject": catalogue["poetry"].pk, "sort": "title"})
    years = client.get("/catalog/", {"year_from": 2016, "year_to": 2022, "sort": "title"})

    assert titles(english) == ["Hamlet"]
    assert titles(poetry) == ["Гайдамаки", "Кобзар"]
    assert titles(years) == ["Кобзар", "Лісова пісня"]
    assert SearchLog.objects.count() == 0


def test_sort_by_title_and_by_newest(client, catalogue):
    by_title = client.get("/catalog/", {"material_type": "book", "sort": "title"})
    newest = client.get("/catalog/", {"material_type": "book", "sort": "newest"})

    # Latin titles after Cyrillic in the Ukrainian order (before them without ICU).
    cyrillic = ["Гайдамаки", "Кобзар", "Лісова пісня"]
    if uk_collation_is_alphabetical():
        assert titles(by_title) == [*cyrillic, "Hamlet"]
    else:
        assert titles(by_title) == ["Hamlet", *cyrillic]
    assert titles(newest) == ["Лісова пісня", "Кобзар", "Гайдамаки", "Hamlet"]
    assert '<option value="newest" selected>' in newest.content.decode()


def test_a_wrong_filter_is_reported_and_the_rest_still_applies(client, catalogue):
    response = client.get("/catalog/", {"q": "Шевченко", "year_from": "2016", "year_to": "1990"})

    assert "Рік «до» не може бути меншим за рік «від»." in text(response)
    assert titles(response) == ["Кобзар"]


def test_pagination_keeps_the_words_and_filters(client, catalogue):
    for number in range(25):
        RecordFactory(title=f"Поезії том {number + 1}", authors=["Шевченко, Тарас"])
    reindex()

    first = client.get("/catalog/", {"q": "Шевченко", "language": "ukr", "sort": "title"})
    second = client.get(
        "/catalog/", {"q": "Шевченко", "language": "ukr", "sort": "title", "page": 2}
    )

    assert len(first.context["records"]) == 20
    kept = urlencode({"q": "Шевченко", "language": "ukr", "sort": "title"})
    assert f'href="?{kept.replace("&", "&amp;")}&amp;page=2"' in first.content.decode()
    assert len(second.context["records"]) == 7
    assert not set(titles(first)) & set(titles(second))


def test_did_you_mean_links_to_the_corrected_query(client, catalogue):
    response = client.get("/catalog/", {"q": "Шевчнко"})

    assert "Можливо, ви мали на увазі" in text(response)
    # the name as the catalogue writes it, with its capital
    assert "?" + urlencode({"q": "Шевченко"}) in response.content.decode()


def test_a_query_typed_on_a_latin_layout_says_what_was_searched_for(client, catalogue):
    response = client.get("/catalog/", {"q": "itdxtyrj"})

    assert "Кобзар" in titles(response)
    assert "Показано результати для «шевченко»" in text(response)


def test_an_english_query_is_not_read_as_a_keyboard_layout_mistake(client, catalogue):
    assert "Показано результати для" not in text(client.get("/catalog/", {"q": "Hamlet"}))


def test_on_a_phone_the_results_come_before_the_filters(client, catalogue):
    body = client.get("/catalog/", {"q": "Шевченко"}).content.decode()

    # Single column below 720px follows the page order: the hits first, then the filters.
    assert body.index('id="results-title"') < body.index('id="facets-title"')
    assert 'href="#facets-title"' in body
    assert "catalog/catalog.css" in body


def test_every_search_is_logged_with_its_hits_but_turning_pages_is_not(client, catalogue):
    client.get("/catalog/", {"q": "Кобзар"})
    client.get("/catalog/", {"q": "Кобзар", "page": 2})
    client.get("/catalog/", {"q": "Гамлет принц данський", "branch": "branch-5"})
    search_log_flush()  # what the beat task does each minute

    logs = list(SearchLog.objects.order_by("created_at", "pk"))
    assert [(log.query, log.hits) for log in logs] == [
        ("Кобзар", 1),
        ("Гамлет принц данський", 0),
    ]
    assert logs[1].branch.slug == "branch-5"
    assert logs[1].filters == {"branch": "branch-5"}


def test_autocomplete_answers_json_for_the_search_box(client, catalogue):
    response = client.get("/catalog/autocomplete/", {"q": "коб"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Кобзар" in response.json()
    assert client.get("/catalog/autocomplete/", {"q": "к"}).json() == []


def test_search_box_is_enhanced_by_a_script_file_not_an_inline_script(client, catalogue):
    body = client.get("/catalog/").content.decode()

    assert 'data-autocomplete-url="/catalog/autocomplete/"' in body
    assert '<script src="/static/js/autocomplete.js" defer></script>' in body
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", body)


def test_search_is_still_logged_when_redis_is_down(client, catalogue, monkeypatch):
    class Unreachable:
        def pipeline(self, **kwargs):
            raise ConnectionError("Redis is unreachable")

    monkeypatch.setattr(search_log, "_buffer", Unreachable)
    response = client.get("/catalog/", {"q": "Маленький принц"})

    assert response.status_code == 200
    assert [(log.query, log.hits) for log in SearchLog.objects.all()] == [("Маленький принц", 0)]


def test_the_search_page_itself_writes_no_log_row_when_redis_buffers_them(client, catalogue):
    if not search_log_buffered():
        pytest.skip("no Redis: the page writes the row itself")
    client.get("/catalog/", {"q": "Маленький принц"})

    assert not SearchLog.objects.exists()
    assert search_log_flush() == 1
    assert search_log_flush() == 0
    assert SearchLog.objects.get().query == "Маленький принц"


# --- zero hits and «Запропонувати придбати» ---------------------------------------------------


def test_zero_hit_search_is_logged_and_offers_a_purchase_suggestion(client, catalogue):
    response = client.get("/catalog/", {"q": "Маленький принц"})
    body = response.content.decode()
    search_log_flush()

    assert response.context["hits"] == 0
    assert SearchLog.objects.get().hits == 0
    assert "Запропонувати придбати" in text(response)
    assert 'action="/catalog/suggest/"' in body
    assert 'name="title" value="Маленький принц"' in body


def suggestion(**overrides):
    data = {
        "title": "Маленький принц",
        "author": "Антуан де Сент-Екзюпері",
        "branch": "",
        "note": "Для читання з дітьми",
        "email": "",
        "search_query": "Маленький принц",
        "website": "",
    }
    data.update(overrides)
    return data


def test_purchase_suggestion_is_saved_and_the_reader_is_thanked(client, catalogue, branch_a):
    response = client.post("/catalog/suggest/", suggestion(branch=branch_a.pk), follow=True)

    saved = PurchaseSuggestion.objects.get()
    assert (saved.title, saved.author, saved.branch, saved.search_query) == (
        "Маленький принц",
        "Антуан де Сент-Екзюпері",
        branch_a,
        "Маленький принц",
    )
    assert saved.status == PurchaseSuggestion.Status.NEW
    assert response.redirect_chain == [("/catalog/suggest/thanks/", 302)]
    assert "Дякуємо за пропозицію" in h1(response)


def test_invalid_suggestion_keeps_what_was_typed_and_says_what_is_wrong(client, catalogue):
    response = client.post(
        "/catalog/suggest/", suggestion(title="", email="not-an-address", note="Дуже треба")
    )
    body = response.content.decode()

    assert response.status_code == 400
    assert PurchaseSuggestion.objects.count() == 0
    assert "Напишіть назву: без неї ми не знатимемо, що шукати." in text(response)
    assert "Перевірте адресу е-пошти" in text(response)
    assert 'value="Антуан де Сент-Екзюпері"' in body
    assert 'value="not-an-address"' in body
    assert "Дуже треба</textarea>" in body


def test_suggestion_with_the_honeypot_filled_is_not_saved(client, catalogue):
    response = client.post("/catalog/suggest/", suggestion(website="http://spam.example"))

    assert response.status_code == 302
    assert PurchaseSuggestion.objects.count() == 0


def test_suggestions_are_rate_limited_per_address_with_a_clear_message(client, catalogue):
    for number in range(5):
        client.post("/catalog/suggest/", suggestion(title=f"Книга {number}"))

    response = client.post("/catalog/suggest/", suggestion(title="Шоста книга"))

    assert PurchaseSuggestion.objects.count() == 5
    assert response.status_code == 429
    assert "забагато пропозицій" in text(response)
    assert 'value="Шоста книга"' in response.content.decode()


def test_behind_a_proxy_each_reader_has_their_own_suggestion_limit(client, catalogue, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        client.post(
            "/catalog/suggest/",
            suggestion(title=f"Книга {number}"),
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )

    limited = client.post("/catalog/suggest/", suggestion(), HTTP_X_FORWARDED_FOR="203.0.113.5")
    other_reader = client.post(
        "/catalog/suggest/", suggestion(), HTTP_X_FORWARDED_FOR="198.51.100.7"
    )

    assert limited.status_code == 429
    assert other_reader.status_code == 302
    assert PurchaseSuggestion.objects.count() == 6


def test_suggestion_page_prefills_the_title_from_the_link(client, catalogue):
    body = client.get("/catalog/suggest/", {"title": "Тигролови"}).content.decode()

    assert 'name="title" value="Тигролови"' in body


# --- the record page ---------------------------------------------------------------------------


def test_record_page_shows_the_full_description(client, catalogue):
    response = client.get(catalogue["kobzar"].get_absolute_url())
    page = text(response)

    assert h1(response) == "Кобзар : повне зібрання"
    for fact in [
        "Тарас Шевченко ; упоряд. Іван Франко",
        "Київ: Знання, 2019",
        "3-тє вид.",
        "978-966-03-4581-2",
        "українська",
        "Книга",
        "821.161.2-1",
        "84(4УКР)",
        "Шкільна бібліотека",
        "12+",
        "Найповніше видання поезій Тараса Шевченка.",
    ]:
        assert fact in page, fact
    subject = catalogue["poetry"]
    assert f'href="/catalog/?subject={subject.pk}">Українська поезія</a>' in (
        response.content.decode()
    )


def test_record_page_names_authors_in_order_and_other_contributors_with_their_roles(client, db):
    record = RecordFactory(
        title="Енеїда",
        authors=[
            PersonFactory(name="Котляревський, Іван", dates="1769–1838"),
            "Упорядник, Другий",
        ],
    )
    illustrator = PersonFactory(name="Базилевич, Анатолій")
    Contribution.objects.create(
        record=record, person=illustrator, role=Contribution.Role.ILLUSTRATOR, position=2
    )

    page = text(client.get(record.get_absolute_url()))

    assert "Котляревський, Іван (1769–1838) ; Упорядник, Другий" in page
    assert "Базилевич, Анатолій — ілюстратор" in page
    assert json_ld(client.get(record.get_absolute_url()))["author"] == [
        {"@type": "Person", "name": "Котляревський, Іван"},
        {"@type": "Person", "name": "Упорядник, Другий"},
    ]


def test_record_page_lists_copies_per_library_with_status_shelf_mark_and_map(client, catalogue):
    response = client.get(catalogue["kobzar"].get_absolute_url())
    body = response.content.decode()
    table = re.search(r'<table class="copies">.*?</table>', body, re.S).group(0)
    rows = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(r"<tr\b.*?</tr>", table, re.S)[1:]
    ]

    assert rows[0].startswith("Бібліотека-філія № 5")
    assert "На полиці — 2" in rows[0] and "84(4УКР)1-5" in rows[0] and rows[0].endswith("2")
    assert rows[1].startswith("Бібліотека-філія № 7")
    assert "Видано" in rows[1] and rows[1].endswith("0")
    assert 'href="/branches/branch-5/"' in table
    assert "є на полиці в 1 бібліотеці" in text(response)


def test_record_page_map_link_goes_to_openstreetmap_when_the_library_has_coordinates(
    client, catalogue, branch_a
):
    branch_a.latitude, branch_a.longitude = "50.757400", "25.312100"
    branch_a.save()

    body = client.get(catalogue["kobzar"].get_absolute_url()).content.decode()

    assert (
        'href="https://www.openstreetmap.org/?mlat=50.75740&amp;mlon=25.31210#map=17/50.75740/25.31210"'
        in body
    )


def test_record_page_describes_the_book_in_schema_org_json_ld(client, catalogue):
    data = json_ld(client.get(catalogue["kobzar"].get_absolute_url()))

    assert data["@type"] == "Book"
    assert data["isbn"] == "9789660345812"
    assert data["name"] == "Кобзар"
    assert data["author"] == [{"@type": "Person", "name": "Шевченко, Тарас"}]
    assert data["inLanguage"] == "uk"
    assert data["datePublished"] == "2019"


def test_json_ld_cannot_close_its_script_element(client, catalogue):
    record = RecordFactory(title="</script><script>alert(1)</script>")

    body = client.get(record.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in body
    assert json_ld(client.get(record.get_absolute_url()))["name"] == record.title


def test_record_page_offers_similar_records_by_author_and_subject(client, catalogue):
    response = client.get(catalogue["kobzar"].get_absolute_url())
    body = response.content.decode()

    assert [record.title for record in response.context["similar"]] == ["Гайдамаки"]
    author_link = "/catalog/?q=" + quote("Шевченко, Тарас")
    assert f'href="{author_link}"' in body
    assert f'href="/catalog/?subject={catalogue["poetry"].pk}"' in body


def test_record_cover_has_alternative_text(client, catalogue):
    record = catalogue["kobzar"]
    Record.objects.filter(pk=record.pk).update(cover="covers/kobzar.jpg")

    body = client.get(record.get_absolute_url()).content.decode()

    assert 'alt="Обкладинка: Кобзар"' in body


# --- new arrivals and their feeds ---------------------------------------------------------------


@pytest.fixture
def arrivals(catalogue, branch_a, branch_b):
    """«Кобзар» first came a year ago (a new copy last week does not make it new); «Гайдамаки»
    arrived in B ten days ago; «Hamlet» in A two days ago; «Лісова пісня» has been in A for
    five months and came to B a week ago; the rest came five months ago."""
    now = timezone.now()
    Item.objects.update(added_at=now - timedelta(days=150))
    Item.objects.filter(record=catalogue["kobzar"]).update(added_at=now - timedelta(days=365))
    ItemFactory(record=catalogue["kobzar"], branch=branch_b, added_at=now - timedelta(days=7))
    ItemFactory(record=catalogue["song"], branch=branch_b, added_at=now - timedelta(days=7))
    Item.objects.filter(record=catalogue["haidamaky"]).update(added_at=now - timedelta(days=10))
    Item.objects.filter(record=catalogue["hamlet"]).update(added_at=now - timedelta(days=2))
    return catalogue


def test_new_arrivals_are_records_whose_first_copy_came_in_the_last_90_days(client, arrivals):
    response = client.get("/catalog/new/")

    assert titles(response) == ["Hamlet", "Гайдамаки"]
    assert "2 нові надходження" in text(response)


def test_new_arrivals_of_one_library(client, arrivals):
    in_a = client.get("/catalog/new/branch-5/")
    in_b = client.get("/catalog/new/branch-7/")

    assert titles(in_a) == ["Hamlet"]
    assert titles(in_b) == ["Лісова пісня", "Гайдамаки"]
    assert 'href="/catalog/new/branch-5/" aria-current="page"' in in_a.content.decode()


def test_new_arrivals_pages_link_their_atom_feeds(client, arrivals):
    network = client.get("/catalog/new/").content.decode()
    branch = client.get("/catalog/new/branch-5/").content.decode()

    assert '<link rel="alternate" type="application/atom+xml"' in network
    assert 'href="/catalog/new/feed/"' in network
    assert 'href="/catalog/new/branch-5/feed/"' in branch


def feed_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")], root


def test_atom_feed_of_the_network_lists_new_arrivals(client, arrivals):
    entries, root = feed_entries(client.get("/catalog/new/feed/"))

    assert entries == ["Hamlet", "Гайдамаки"]
    assert root.find(f"{ATOM}title").text == "Нові надходження бібліотек Луцька"
    link = root.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link == f"http://testserver/catalog/records/{arrivals['hamlet'].pk}/"


def test_atom_feed_of_a_library_lists_its_new_arrivals(client, arrivals):
    entries, root = feed_entries(client.get("/catalog/new/branch-7/feed/"))

    assert entries == ["Лісова пісня", "Гайдамаки"]
    assert "Бібліотека-філія № 7" in root.find(f"{ATOM}title").text


# --- local lore and online resources ------------------------------------------------------------


def test_local_lore_lists_only_local_lore_with_facets(client, catalogue):
    response = client.get("/catalog/local-lore/search/")

    assert titles(response) == ["Луцьк: історія міста"]
    assert response.context["facets"]["groups"][0]["options"][0]["value"] == "branch-7"


def test_local_lore_search_stays_inside_the_collection(client, catalogue):
    assert titles(client.get("/catalog/local-lore/search/", {"q": "Шевченко"})) == []
    assert titles(client.get("/catalog/local-lore/search/", {"q": "Луцьк"})) == [
        "Луцьк: історія міста"
    ]


def test_old_links_to_the_local_lore_search_still_find_the_books(client, catalogue):
    response = client.get("/catalog/local-lore/", {"q": "Луцьк"}, follow=True)

    assert response.redirect_chain == [
        ("/catalog/local-lore/search/?q=%D0%9B%D1%83%D1%86%D1%8C%D0%BA", 302)
    ]
    assert titles(response) == ["Луцьк: історія міста"]


@pytest.fixture
def resources(db):
    OnlineResource.objects.create(
        title="Українська бібліотека «Чтиво»",
        url="https://chtyvo.org.ua/",
        topic=OnlineResource.Topic.LIBRARIES,
        language="ukr",
        description="Електронна бібліотека української літератури.",
    )
    OnlineResource.objects.create(
        title="Project Gutenberg",
        url="https://www.gutenberg.org/",
        topic=OnlineResource.Topic.LIBRARIES,
        language="eng",
    )
    OnlineResource.objects.create(
        title="Єдиний державний реєстр",
        url="https://usr.minjust.gov.ua/",
        topic=OnlineResource.Topic.REGISTERS,
        language="ukr",
    )
    OnlineResource.objects.create(
        title="Прихований ресурс",
        url="https://hidden.example/",
        topic=OnlineResource.Topic.LAW,
        is_published=False,
    )


def test_online_resources_are_grouped_by_topic_with_their_language(client, resources):
    response = client.get("/catalog/resources/")
    body = response.content.decode()
    page = text(response)

    assert re.findall(r"<h2 id=\"topic-\d+\">(.*?)</h2>", body) == [
        "Онлайн-бібліотеки",
        "Державні реєстри",
    ]
    assert "Project Gutenberg Мова: англійська" in page
    assert "Прихований ресурс" not in page


def test_online_resources_filter_by_topic_and_language(client, resources):
    registers = client.get("/catalog/resources/", {"topic": "registers"})
    english = client.get("/catalog/resources/", {"language": "eng"})

    assert [r.title for r in registers.context["resources"]] == ["Єдиний державний реєстр"]
    assert [r.title for r in english.context["resources"]] == ["Project Gutenberg"]


# --- staff report «Незадоволені запити» ---------------------------------------------------------


@pytest.fixture
def zero_hits(branch_a):
    SearchLog.objects.create(query="Маленький принц", normalized="маленький принц", hits=0)
    SearchLog.objects.create(query="маленький Принц", normalized="маленький принц", hits=0)
    SearchLog.objects.create(query="Тигролови", normalized="тигролови", hits=0, branch=branch_a)
    SearchLog.objects.create(query="Кобзар", normalized="кобзар", hits=3)


@pytest.mark.parametrize("persona", ["methodologist", "librarian_a"])
def test_staff_see_the_most_frequent_zero_hit_queries(client, zero_hits, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/catalog/staff/unsatisfied/")
    rows = [(row["normalized"], row["count"]) for row in response.context["rows"]]

    assert response.status_code == 200
    assert rows == [("маленький принц", 2), ("тигролови", 1)]
    assert "Незадоволені запити" in h1(response)


def test_staff_report_filters_by_library_and_month(client, zero_hits, methodologist):
    client.force_login(methodologist)
    this_month = timezone.localdate().strftime("%Y-%m")

    by_branch = client.get("/catalog/staff/unsatisfied/", {"branch": "branch-5"})
    last_year = client.get("/catalog/staff/unsatisfied/", {"month": this_month})

    assert [row["normalized"] for row in by_branch.context["rows"]] == ["тигролови"]
    assert len(last_year.context["rows"]) == 2


def test_anonymous_visitor_is_sent_to_the_staff_sign_in(client, zero_hits):
    response = client.get("/catalog/staff/unsatisfied/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_reader_without_the_permission_is_refused(client, zero_hits, reader):
    client.force_login(reader)

    assert client.get("/catalog/staff/unsatisfied/").status_code == 403


# --- constant number of queries ----------------------------------------------------------------


def grow(count, branch_a, branch_b, subject):
    """`count` more records by one author on one subject, with copies in both libraries."""
    for number in range(count):
        record = RecordFactory(
            title=f"Поезії том {number}",
            authors=["Шевченко, Тарас", f"Упорядник {number}, Тестовий"],
            subjects=[subject, f"Тема {number}"],
            is_local_lore=True,
        )
        ItemFactory(record=record, branch=branch_a)
        ItemFactory(record=record, branch=branch_b, status=Item.Status.ON_LOAN)
    reindex()


@pytest.fixture
def sized(catalogue, branch_a, branch_b):
    def size(count):
        Record.objects.filter(title__startswith="Поезії том").delete()
        grow(count, branch_a, branch_b, catalogue["poetry"])
        return catalogue

    return size


# exact/matches, facets, page with authors and availability, footer; the search log row is
# buffered in Redis and written each minute (written by the page where there is no Redis)
SEARCH_QUERIES = 4 if search_log_buffered() else 5
RECORD_QUERIES = 4  # record with contributors and subjects, copies, similar with authors, footer
NEW_QUERIES = 4  # libraries, count, page with authors and availability, footer library
LORE_QUERIES = 3  # facets, page with authors and availability, footer library
RESOURCES_QUERIES = 4  # languages, count, page, footer library


@pytest.mark.parametrize("count", [5, 40])
def test_search_page_runs_a_constant_number_of_queries(
    client, sized, count, django_assert_num_queries
):
    sized(count)
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/catalog/", {"q": "Шевченко", "sort": "title"})
    assert len(response.context["records"]) == min(20, count + 2)


def test_turning_a_page_reuses_the_matches_and_facets_of_the_search(
    client, sized, django_assert_num_queries
):
    sized(40)
    client.get("/catalog/", {"q": "Шевченко"})
    # the page (with authors and availability): no search, facets or log row, and the footer
    # comes from the cache the first page filled
    with django_assert_num_queries(1):
        response = client.get("/catalog/", {"q": "Шевченко", "page": "2"})
    assert len(response.context["records"]) == 20
    assert response.context["hits"] == 42


@pytest.mark.parametrize("count", [5, 40])
def test_record_page_runs_a_constant_number_of_queries(
    client, sized, count, django_assert_num_queries
):
    catalogue = sized(count)
    with django_assert_num_queries(RECORD_QUERIES):
        response = client.get(catalogue["kobzar"].get_absolute_url())
    assert len(response.context["similar"]) == 6


@pytest.mark.parametrize("count", [5, 40])
def test_new_arrivals_page_runs_a_constant_number_of_queries(
    client, sized, count, django_assert_num_queries
):
    sized(count)
    with django_assert_num_queries(NEW_QUERIES):
        response = client.get("/catalog/new/")
    assert len(response.context["records"]) == min(20, count + 5)


@pytest.mark.parametrize("count", [5, 40])
def test_local_lore_page_runs_a_constant_number_of_queries(
    client, sized, count, django_assert_num_queries
):
    sized(count)
    with django_assert_num_queries(LORE_QUERIES):
        response = client.get("/catalog/local-lore/search/", {"sort": "title"})
    assert len(response.context["records"]) == min(20, count + 1)


@pytest.mark.parametrize("count", [5, 40])
def test_resources_page_runs_a_constant_number_of_queries(
    client, db, count, django_assert_num_queries
):
    for number in range(count):
        OnlineResource.objects.create(
            title=f"Ресурс {number}",
            url=f"https://example.org/{number}",
            topic=list(OnlineResource.Topic.values)[number % 7],
        )
    with django_assert_num_queries(RESOURCES_QUERIES):
        response = client.get("/catalog/resources/")
    assert len(response.context["resources"]) == count


def test_pages_by_relevance_follow_the_ranking_without_gaps_or_repeats(client, sized):
    sized(40)
    first = client.get("/catalog/", {"q": "Шевченко"})
    second = client.get("/catalog/", {"q": "Шевченко", "page": 2})
    ranked = first.context["outcome"].ids

    shown = [record.pk for record in first.context["records"] + second.context["records"]]
    assert shown == ranked[:40]
    assert len(set(shown)) == 40
