"""What a Ukrainian reader types into the catalogue's search box finds the right records."""

from datetime import datetime

import pytest
from django.test import override_settings

from catalog.indexing import records_reindex
from catalog.models import IntakeBatch, Item, Record, SearchLog, SearchWord
from catalog.search import (
    SearchFilters,
    autocomplete,
    facet_counts,
    search_log_write,
    search_records,
    zero_hit_report,
)
from catalog.services import IntakeLine, intake_add_copies
from core.db import uk_collation_is_alphabetical
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory, SubjectFactory


def titles(outcome):
    return [record.title for record in outcome.records]


def found(query, **kwargs):
    return titles(search_records(query=query, filters=kwargs.pop("filters", {}), **kwargs))


@pytest.fixture
def catalogue(branch_a, branch_b):
    """A small catalogue over two branches: A (branch-5) and B (branch-7)."""
    poetry = SubjectFactory(name="Поезія")
    history = SubjectFactory(name="Історія України")
    records = {
        "kobzar": RecordFactory(
            title="Кобзар",
            authors=["Шевченко, Тарас"],
            subjects=[poetry],
            year=2014,
            isbn="9789660359086",
            age_rating="12+",
        ),
        "verses": RecordFactory(
            title="Вибрані вірші",
            authors=["Шевченко, Тарас"],
            subjects=[poetry],
            year=1961,
            language="ukr",
        ),
        "history": RecordFactory(
            title="Історія України-Руси",
            authors=["Грушевський, Михайло"],
            subjects=[history],
            year=1991,
            isbn="9786175850015",
            age_rating="16+",
        ),
        "computer": RecordFactory(
            title="Комп'ютер для початківців",
            year=2020,
            material_type=Record.MaterialType.E_RESOURCE,
        ),
        "forest": RecordFactory(
            title="Лісова пісня",
            authors=["Українка, Леся"],
            subjects=[poetry],
            year=2021,
            age_rating="12+",
        ),
        "about_forest": RecordFactory(
            title="Драматургія модерну",
            annotation="Розбір драми-феєрії «Лісова пісня» та інших п'єс.",
            year=2019,
        ),
        "english": RecordFactory(
            title="The Essential Poems",
            authors=["Shevchenko, Taras"],
            language="eng",
            year=2022,
        ),
    }
    ItemFactory(record=records["kobzar"], branch=branch_a, inventory_number="05-0000001")
    ItemFactory(
        record=records["kobzar"],
        branch=branch_b,
        inventory_number="07-0000001",
        barcode="4820000000017",
        status=Item.Status.ON_LOAN,
    )
    ItemFactory(record=records["verses"], branch=branch_b, status=Item.Status.ON_SHELF)
    ItemFactory(record=records["history"], branch=branch_a, status=Item.Status.ON_LOAN)
    ItemFactory(record=records["forest"], branch=branch_a, status=Item.Status.ON_SHELF)
    ItemFactory(record=records["computer"], branch=branch_b, status=Item.Status.LOST)
    records_reindex(record.pk for record in records.values())
    return records


# --- Ukrainian morphology --------------------------------------------------------------------


def test_books_by_shevchenko_in_the_genitive_find_his_records(catalogue):
    assert set(found("книжки Шевченка")) >= {"Кобзар", "Вибрані вірші"}


def test_poems_by_shevchenko_find_his_verses_first(catalogue):
    result = found("вірші шевченко")
    assert "Вибрані вірші" in result and "Кобзар" in result
    assert result[0] == "Вибрані вірші"


def test_history_of_ukraine_in_the_genitive_finds_the_hyphenated_title(catalogue):
    assert "Історія України-Руси" in found("історії України")


@pytest.mark.parametrize("query", ["комп'ютер", "комп’ютер", "компʼютер", "комп`ютера"])
def test_every_apostrophe_variant_finds_the_computer_book(catalogue, query):
    assert found(query) == ["Комп'ютер для початківців"]


def test_an_unfinished_last_word_is_a_prefix(catalogue):
    assert found("Грушевськ") == ["Історія України-Руси"]
    # Too short for typo matching, so only the prefix finds it, and only while typing.
    assert found("Гр") == ["Історія України-Руси"]
    assert found("Гр ") == []


def test_a_title_match_ranks_above_an_annotation_only_match(catalogue):
    assert found("лісова пісня") == ["Лісова пісня", "Драматургія модерну"]


def test_words_must_all_match_except_generic_ones(catalogue):
    assert found("кобзар грушевський") == []
    assert found("кобзар") == ["Кобзар"]


# --- Latin letters ---------------------------------------------------------------------------


def test_a_transliterated_name_finds_the_cyrillic_record(catalogue):
    result = found("Shevchenko")
    assert {"Кобзар", "Вибрані вірші", "The Essential Poems"} <= set(result)


def test_a_name_typed_with_the_latin_keyboard_layout_finds_the_record(catalogue):
    assert {"Кобзар", "Вибрані вірші"} <= set(found("itdxtyrj"))
    assert found("Ktcz Erhf]yrf") == ["Лісова пісня"]


# --- Typos -----------------------------------------------------------------------------------


def test_a_misspelt_surname_finds_the_author_and_suggests_the_spelling(catalogue):
    outcome = search_records(query="Шевчнко", filters={})
    assert outcome.mode == "trigram"
    assert {"Кобзар", "Вибрані вірші"} <= set(titles(outcome))
    assert outcome.suggestion == "Шевченко"  # as the catalogue writes it


def test_a_typo_next_to_a_correct_word_is_corrected_alone(catalogue):
    outcome = search_records(query="кобзар шевчнко", filters={})
    assert titles(outcome) == ["Кобзар"]
    assert outcome.suggestion == "кобзар Шевченко"


def test_a_misspelt_word_of_a_record_catalogued_today_is_corrected(catalogue):
    record = RecordFactory(title="Тигролови", authors=["Багряний, Іван"])
    records_reindex([record.pk])

    assert SearchWord.objects.filter(word__in=["тигролови", "багряний"]).count() == 2
    outcome = search_records(query="Тигроливи", filters={})
    assert titles(outcome) == ["Тигролови"]
    assert outcome.suggestion == "тигролови"


def test_a_word_nothing_resembles_finds_nothing_and_suggests_nothing(catalogue):
    outcome = search_records(query="ґзфщхцюк", filters={})
    assert titles(outcome) == []
    assert outcome.suggestion is None


def test_a_correct_query_gets_no_suggestion(catalogue):
    outcome = search_records(query="Кобзар", filters={})
    assert outcome.suggestion is None
    assert titles(outcome)[0] == "Кобзар"


# --- Exact look-ups --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["978-966-03-5908-6", "9789660359086", "966035908X", "966-03-5908-X"]
)
def test_an_isbn_in_any_form_finds_exactly_its_record(catalogue, query):
    outcome = search_records(query=query, filters={})
    assert outcome.mode == "exact"
    assert titles(outcome) == ["Кобзар"]


@pytest.mark.parametrize("query", ["05-0000001", "07-0000001", "4820000000017"])
def test_an_inventory_number_or_barcode_finds_exactly_its_record(catalogue, query):
    outcome = search_records(query=query, filters={})
    assert outcome.mode == "exact"
    assert titles(outcome) == ["Кобзар"]


def test_a_number_nobody_uses_falls_back_to_full_text(catalogue):
    assert search_records(query="05-9999999", filters={}).mode != "exact"


# --- Filters and facets ----------------------------------------------------------------------


def test_each_filter_narrows_the_results(catalogue):
    poetry = catalogue["kobzar"].subjects.get()
    everything = set(found(""))
    assert len(everything) == 7
    cases = {
        "branch": ({"branch": "branch-5"}, {"Кобзар", "Історія України-Руси", "Лісова пісня"}),
        "available": ({"available": "1"}, {"Кобзар", "Вибрані вірші", "Лісова пісня"}),
        "available at B": ({"available": "on", "branch": "branch-7"}, {"Вибрані вірші"}),
        "language": ({"language": "eng"}, {"The Essential Poems"}),
        "type": ({"material_type": "e_resource"}, {"Комп'ютер для початківців"}),
        "years": (
            {"year_from": "1960", "year_to": "1999"},
            {"Вибрані вірші", "Історія України-Руси"},
        ),
        "subject": ({"subject": str(poetry.pk)}, {"Кобзар", "Вибрані вірші", "Лісова пісня"}),
        "age": ({"age_rating": "12+"}, {"Кобзар", "Лісова пісня"}),
    }
    for name, (filters, expected) in cases.items():
        assert set(found("", filters=filters)) == expected, name
    assert found("шевченко", filters={"branch": "branch-7", "available": "1"}) == ["Вибрані вірші"]


def test_a_lost_copy_does_not_put_a_record_on_a_branch(catalogue):
    assert "Комп'ютер для початківців" not in found("", filters={"branch": "branch-7"})


def test_malformed_filters_are_ignored():
    filters = SearchFilters.from_mapping(
        {"branch": "<script>", "year_from": "рік", "subject": "-3", "material_type": "x"}
    )
    assert filters == SearchFilters()


def test_facet_counts_describe_the_filtered_result(catalogue):
    outcome = search_records(query="", filters={"language": "ukr"})
    facets = facet_counts(outcome.records, outcome.filters)
    assert facets["total"] == 6
    assert facets["available"] == 3
    assert [(v.value, v.count) for v in facets["branch"]] == [("branch-5", 3), ("branch-7", 2)]
    assert [(v.value, v.count, v.selected) for v in facets["language"]] == [("ukr", 6, True)]
    assert {v.value: v.count for v in facets["material_type"]} == {"book": 5, "e_resource": 1}
    assert {v.value: v.count for v in facets["decade"]} == {
        "2020": 2,
        "2010": 2,
        "1990": 1,
        "1960": 1,
    }
    assert [v.value for v in facets["decade"]] == ["2020", "2010", "1990", "1960"]
    assert [(v.label, v.count) for v in facets["subject"]] == [
        ("Поезія", 3),
        ("Історія України", 1),
    ]
    assert [(v.value, v.count) for v in facets["age_rating"]] == [("12+", 2), ("16+", 1)]


def test_availability_is_counted_at_the_chosen_branch(catalogue):
    outcome = search_records(query="шевченко", filters={"branch": "branch-7"})
    facets = facet_counts(outcome.records, outcome.filters)
    assert facets["total"] == 2
    assert facets["available"] == 1


def test_a_result_larger_than_the_cap_is_counted_up_to_the_cap_and_says_so(catalogue, settings):
    settings.CATALOG_SEARCH_CAP = 2
    outcome = search_records(query="шевченко", filters={})
    facets = facet_counts(outcome.records, outcome.filters)
    assert (facets["total"], facets["capped"]) == (2, True)
    assert len(titles(outcome)) == 2
    settings.CATALOG_SEARCH_CAP = 3
    assert facet_counts(outcome.records, outcome.filters)["capped"] is False


def test_facets_of_an_empty_result_are_empty(catalogue):
    outcome = search_records(query="!!!", filters={})
    assert facet_counts(outcome.records, outcome.filters)["total"] == 0


# --- Sorting ---------------------------------------------------------------------------------


def test_results_sort_by_newest_and_by_title(catalogue):
    assert found("шевченко", sort="newest") == ["The Essential Poems", "Кобзар", "Вибрані вірші"]
    by_title = found("", sort="title")
    if uk_collation_is_alphabetical():
        # The Ukrainian alphabet (І between Д and К), Latin titles after Cyrillic ones.
        assert by_title[:4] == [
            "Вибрані вірші",
            "Драматургія модерну",
            "Історія України-Руси",
            "Кобзар",
        ]
        assert by_title[-1] == "The Essential Poems"
    else:  # a PostgreSQL without ICU: code-point order
        assert by_title[:3] == ["The Essential Poems", "Вибрані вірші", "Драматургія модерну"]


def test_browsing_without_a_query_lists_newest_first(catalogue):
    outcome = search_records(query="  ", filters={})
    assert outcome.mode == "all"
    assert titles(outcome)[0] == "The Essential Poems"


# --- Autocomplete ----------------------------------------------------------------------------


def test_autocomplete_offers_titles_and_authors_for_a_prefix(catalogue):
    assert autocomplete("шевч") == ["Шевченко, Тарас"]
    assert autocomplete("КОБ") == ["Кобзар"]
    assert autocomplete("комп’ю") == ["Комп'ютер для початківців"]
    assert "Історія України-Руси" in autocomplete("україни")


def test_autocomplete_reads_a_latin_layout_prefix_as_ukrainian(catalogue):
    assert autocomplete("itdx") == ["Шевченко, Тарас"]


def test_autocomplete_completes_the_last_word_after_finished_ones(catalogue):
    assert autocomplete("лісова п") == ["Лісова пісня"]
    assert autocomplete("Shevch") == ["Shevchenko, Taras", "Шевченко, Тарас"]


def test_autocomplete_needs_two_letters():
    assert autocomplete("ш") == []


# --- Search log ------------------------------------------------------------------------------


def test_zero_hit_searches_are_logged_and_reported_by_month(catalogue, branch_a):
    def search_and_log(query, moment, filters=None):
        outcome = search_records(query=query, filters=filters or {})
        hits = facet_counts(outcome.records, outcome.filters)["total"]
        log = search_log_write(
            query=query, normalized=outcome.normalized, filters=outcome.filters, hits=hits
        )
        SearchLog.objects.filter(pk=log.pk).update(created_at=moment)

    october = datetime(2025, 10, 15, 12, 0, tzinfo=KYIV)
    # Still 31 October in UTC, but already November in Lutsk.
    november = datetime(2025, 11, 1, 0, 30, tzinfo=KYIV)
    search_and_log("Гаррі Поттер", october)
    search_and_log("гаррі  поттер!", october)
    search_and_log("Кобзар", october)
    search_and_log("Дюна", november)
    search_and_log("Гаррі Поттер", november, {"branch": "branch-5"})

    zero = SearchLog.objects.filter(hits=0)
    assert zero.count() == 4
    assert SearchLog.objects.get(query="Кобзар").hits == 1
    assert SearchLog.objects.filter(branch=branch_a).get().filters == {"branch": "branch-5"}

    report = zero_hit_report()
    assert [(row["month"].month, row["normalized"], row["count"]) for row in report] == [
        (11, "гаррі поттер", 1),
        (11, "дюна", 1),
        (10, "гаррі поттер", 2),
    ]
    assert [row["normalized"] for row in zero_hit_report(month="2025-10")] == ["гаррі поттер"]
    assert [row["normalized"] for row in zero_hit_report(branch=branch_a)] == ["гаррі поттер"]


def test_blank_searches_are_not_logged(db):
    assert search_log_write(query="  ", normalized="", filters={}, hits=7) is None
    assert not SearchLog.objects.exists()


# --- Cached results -------------------------------------------------------------------------


def test_a_record_catalogued_after_a_search_is_found_by_the_same_search_at_once(catalogue):
    assert found("Тигролови") == []
    record = RecordFactory(title="Тигролови", authors=["Багряний, Іван"])
    records_reindex([record.pk])

    assert found("Тигролови") == ["Тигролови"]


def test_a_copy_taken_in_shows_in_the_library_facet_of_a_search_made_before(
    catalogue, branch_b, librarian_b, django_capture_on_commit_callbacks
):
    def libraries():
        outcome = search_records(query="Історія", filters={})
        return [value.value for value in facet_counts(outcome.records)["branch"]]

    assert libraries() == ["branch-5"]
    batch = IntakeBatch.objects.create(
        branch=branch_b, source=IntakeBatch.Source.DONATION, act_number="7/1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        intake_add_copies(
            batch=batch,
            lines=[IntakeLine(record=catalogue["history"], copies=1)],
            acting_user=librarian_b,
        )
    assert libraries() == ["branch-5", "branch-7"]


def test_search_still_answers_when_the_cache_is_unreachable(catalogue):
    nowhere = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    with override_settings(CACHES=nowhere):
        outcome = search_records(query="кобзар", filters={})
        assert titles(outcome) == ["Кобзар"]
        assert facet_counts(outcome.records, outcome.filters)["total"] == 1


# --- Query counts ----------------------------------------------------------------------------


def _search_page(query, filters):
    outcome = search_records(query=query, filters=filters)
    facets = facet_counts(outcome.records, outcome.filters)
    page = list(outcome.records.prefetch_related("contributions__person")[:20])
    return facets["total"], len(page)


# probe + facets + page + contributions + persons; typos add the threshold and vocabulary;
# a surname the dictionary does not know, found by its name keys, adds the names vocabulary;
# an exact look-up replaces the probe; browsing needs no probe; nothing found, no prefetch.
@pytest.mark.parametrize(
    ("query", "filters", "queries"),
    [
        ("шевченко", {}, 5),
        ("Тараса Шевченка", {}, 5),
        ("Шевчєнко", {}, 6),
        ("твори шевченко", {"branch": "branch-5", "available": "1", "language": "ukr"}, 5),
        ("Шевчнко", {}, 7),
        ("", {"language": "ukr", "subject": "999999"}, 2),
        ("", {"year_from": "2000"}, 4),
        ("9789660359086", {}, 5),
    ],
)
def test_a_search_page_runs_the_same_number_of_queries_for_5_or_50_records(
    branch_a, django_assert_num_queries, query, filters, queries
):
    def add(count):
        for n in range(count):
            record = RecordFactory(
                title=f"Твори в томах, том {Record.objects.count() + 1}",
                authors=["Шевченко, Тарас", f"Упорядник {n}, Іван"],
                subjects=["Поезія", f"Рубрика {n}"],
                isbn="" if Record.objects.exists() else "9789660359086",
            )
            ItemFactory(record=record, branch=branch_a)
        records_reindex(Record.objects.values_list("pk", flat=True))

    add(5)
    with django_assert_num_queries(queries):
        few = _search_page(query, filters)
    add(45)
    with django_assert_num_queries(queries):
        many = _search_page(query, filters)
    assert few[0] < many[0] or query.isdigit() or many[0] == 0
