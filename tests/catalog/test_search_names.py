"""A reader finds an author's works whichever way the name is typed: case forms, first name and
surname in either order, initials, Latin letters, the wrong keyboard layout, swapped letters."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog.indexing import records_reindex
from catalog.models import Record, SearchName
from catalog.search import search_records
from tests.catalog.factories import RecordFactory

AUTHORS = {
    "franko": ("Франко, І. Я.", ["Захар Беркут", "Зів'яле листя", "Мойсей", "Борислав сміється"]),
    "shevchenko": ("Шевченко Т. Г.", ["Кобзар", "Гайдамаки", "Катерина", "Наймичка"]),
    "lesya": ("Українка, Леся", ["Лісова пісня", "Камінний господар", "Бояриня", "Кассандра"]),
    "kotsiubynsky": (
        "Коцюбинський, Михайло Михайлович",
        ["Тіні забутих предків", "Intermezzo", "Fata morgana", "Дорогою ціною"],
    ),
    "vovchok": ("Вовчок, Марко", ["Інститутка", "Народні оповідання", "Кармелюк", "Максим Гримач"]),
    "kobylianska": ("Кобилянська, О. Ю.", ["Земля", "Царівна", "Valse mélancolique", "В неділю"]),
    # a first name the dictionary does not tag as one
    "lepky": ("Лепкий Б. С.", ["Мотря", "Не вбивай", "Батурин", "Крутіж"]),
    # a four-letter surname: one letter less leaves three, too few for trigrams
    "drach": ("Драч І. Ф.", ["Соняшник", "Протуберанці серця", "Балада про соняшник"]),
}


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def names_catalogue(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back after its last test (each
    test's own transaction is a savepoint inside it): indexing costs most of a test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _names_catalogue()
        transaction.set_rollback(True)


def _names_catalogue():
    records = {}
    for key, (author, works) in AUTHORS.items():
        records[key] = [RecordFactory(title=title, authors=[author]) for title in works]
    # Works ABOUT the authors: their names in the title, someone else the author.
    records["about_franko"] = RecordFactory(
        title="Іван Франко і його доба", authors=["Грицак, Ярослав"]
    )
    records["about_shevchenko"] = RecordFactory(
        title="Тарас Шевченко: життя і творчість", authors=["Зайцев, Павло"]
    )
    records["other_kobzar"] = RecordFactory(
        title="Українська ліра: кобзар нових поетів", authors=["Грінченко, Борис"]
    )
    # A pseudonym: the record carries the real name in its statement of responsibility.
    records["kosach"] = RecordFactory(
        title="Досвітні вогні",
        authors=["Українка, Леся"],
        responsibility="Леся Українка (Лариса Косач-Квітка)",
    )
    records_reindex(Record.objects.values_list("pk", flat=True))
    return records


def found_ids(query):
    return [record.pk for record in search_records(query=query).records]


def assert_finds_every_work(records, query, *, first=None):
    ids = found_ids(query)
    wanted = {record.pk for record in records}
    assert wanted <= set(ids), query
    assert set(ids[: len(wanted)]) == wanted, f"{query}: works by the author first"


@pytest.mark.parametrize(
    "query",
    [
        "Франко",
        "франка",
        "Франкові",
        "твори Франка",
        "Іван Франко",
        "Франко Іван",
        "Івана Франка",
        "І. Франко",
        "франко і.",
        "ivan franko",
        "franko",
        "Ahfyrj",
    ],
)
def test_every_form_of_frankos_name_finds_all_his_works_before_those_about_him(
    names_catalogue, query
):
    assert_finds_every_work(names_catalogue["franko"], query)


@pytest.mark.parametrize(
    ("key", "query"),
    [
        ("shevchenko", "Тарас Шевченко"),
        ("shevchenko", "Шевченка Тараса"),
        ("shevchenko", "Шевченкові"),
        ("shevchenko", "Т. Шевченко"),
        ("shevchenko", "Тарас Григорович Шевченко"),
        ("shevchenko", "Taras Shevchenko"),
        ("shevchenko", "Шевчєнко"),
        ("kotsiubynsky", "Михайло Коцюбинський"),
        ("kotsiubynsky", "Коцюбинського"),
        ("kotsiubynsky", "Коцюбінський"),
        ("kotsiubynsky", "kotsiubynskyi"),
        ("vovchok", "Марко Вовчок"),
        ("vovchok", "Марка Вовчка"),
        ("vovchok", "Вовчок Марко"),
        ("lesya", "Леся Українка"),
        ("lesya", "Лесі Українки"),
        ("lesya", "Украинка"),
        ("kobylianska", "Ольга Кобилянська"),
        ("kobylianska", "Кобилянської"),
        ("lepky", "Богдан Лепкий"),
        ("lepky", "Богдана Лепкого"),
    ],
)
def test_every_form_of_a_name_finds_all_the_authors_works_first(names_catalogue, key, query):
    works = names_catalogue[key] + ([names_catalogue["kosach"]] if key == "lesya" else [])
    assert_finds_every_work(works, query)


def test_works_by_the_author_rank_before_works_about_him(names_catalogue):
    ids = found_ids("Іван Франко")
    assert names_catalogue["about_franko"].pk in ids
    assert ids.index(names_catalogue["about_franko"].pk) == len(names_catalogue["franko"])


@pytest.mark.parametrize(
    ("query", "title"),
    [("Кобзар", "Кобзар"), ("Захар Беркут", "Захар Беркут"), ("лісова пісня", "Лісова пісня")],
)
def test_a_title_typed_exactly_comes_first(names_catalogue, query, title):
    assert search_records(query=query).records[0].title == title


def test_the_real_name_on_the_title_page_leads_to_the_pseudonyms_works(names_catalogue):
    assert found_ids("Лариса Косач") == [names_catalogue["kosach"].pk]


def test_a_first_name_alone_is_still_required_in_full(names_catalogue):
    # «Іван» next to no surname must not match every record with an «І.» initial.
    assert found_ids("Іван") == [names_catalogue["about_franko"].pk]


def test_a_swapped_letter_finds_the_author_and_suggests_the_name_as_written(names_catalogue):
    outcome = search_records(query="Шевчєнко")
    assert {r.pk for r in names_catalogue["shevchenko"]} <= {r.pk for r in outcome.records}
    assert outcome.suggestion == "Шевченко"


def test_a_missing_letter_suggests_the_name_with_its_capital_not_another_name(names_catalogue):
    outcome = search_records(query="Коцюбинськй")
    assert outcome.suggestion == "Коцюбинський"
    assert {r.pk for r in names_catalogue["kotsiubynsky"]} <= {r.pk for r in outcome.records}


def test_a_four_letter_surname_less_a_letter_finds_the_author(names_catalogue):
    outcome = search_records(query="Дрч")
    assert outcome.suggestion == "Драч"
    assert {r.pk for r in outcome.records} == {r.pk for r in names_catalogue["drach"]}


def test_three_unknown_letters_are_not_corrected_into_any_short_word(names_catalogue):
    # «Мтр» is one letter from no four-letter surname here (Мотря is a title, not a name).
    outcome = search_records(query="Мтр")
    assert outcome.suggestion is None
    assert not list(outcome.records)


def test_indexing_keeps_the_catalogues_own_surnames_as_written(names_catalogue):
    names = dict(SearchName.objects.values_list("word", "display"))
    assert names["франко"] == "Франко"
    assert names["шевченко"] == "Шевченко"
    assert names["коцюбинський"] == "Коцюбинський"


def test_reindex_search_rebuilds_the_documents_and_the_names_and_dry_run_keeps_nothing(db):
    record = RecordFactory(title="Новина", authors=["Стефаник, Василь"])
    Record.objects.filter(pk=record.pk).update(search_document=None)
    out = io.StringIO()

    call_command("reindex_search", "--dry-run", stdout=out)
    assert Record.objects.get(pk=record.pk).search_document is None
    assert "rolled back" in out.getvalue()

    call_command("reindex_search", stdout=out)
    assert found_ids("Стефаника") == [record.pk]
    assert SearchName.objects.filter(display="Стефаник").exists()
