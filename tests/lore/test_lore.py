"""The local-lore index (people, places), analytical records and the local-lore section."""

import io
import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from catalog import stats as catalog_stats
from catalog.models import Contribution, Person, Record
from core.portal_search import search_everywhere
from lore import demo, stats
from lore.models import Figure, Place
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.digital.factories import DigitalPageFactory
from tests.lore.factories import FigureFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def newspaper(db):
    """An issue of a local newspaper with three articles, given out of page order."""
    host = RecordFactory(
        title="Волинь-нова",
        year=2021,
        material_type=Record.MaterialType.PERIODICAL,
        is_local_lore=True,
    )
    later = RecordFactory(
        title="Як Стир змінив Луцьк", host=host, host_part="2021, № 34", host_pages="12–15"
    )
    first = RecordFactory(
        title="Замок Любарта",
        host=host,
        host_part="2021, № 34",
        host_pages="3",
        authors=["Ковальчук, Ірина"],
    )
    middle = RecordFactory(
        title="Стежками Лесі Українки", host=host, host_part="2021, № 34", host_pages="9"
    )
    return {"host": host, "first": first, "middle": middle, "later": later}


# --- analytical records --------------------------------------------------------------------------


def test_an_article_names_its_source_with_the_pages_and_links_to_it(client, newspaper):
    response = client.get(newspaper["later"].get_absolute_url())

    page = text(response)
    host_url = newspaper["host"].get_absolute_url()
    assert f'Джерело: <a href="{host_url}">Волинь-нова</a>, 2021, № 34, с. 12–15' in page


def test_the_source_lists_its_articles_in_page_order(client, newspaper):
    response = client.get(newspaper["host"].get_absolute_url())

    page = text(response)
    assert "Статті в цьому виданні" in page
    order = [page.index(title) for title in ("Замок Любарта", "Стежками", "Як Стир")]
    assert order == sorted(order)
    assert "Ковальчук, Ірина. <a" in page
    assert "с. 3" in page


def test_a_book_without_articles_has_no_articles_section(client):
    record = RecordFactory(title="Кобзар")

    page = text(client.get(record.get_absolute_url()))

    assert "Статті в цьому виданні" not in page
    assert "Джерело:" not in page


@pytest.mark.parametrize("articles", [2, 30])
def test_the_source_page_runs_the_same_queries_however_many_articles(
    client, articles, django_assert_num_queries
):
    host = RecordFactory(title="Збірник", material_type=Record.MaterialType.PERIODICAL)
    for number in range(articles):
        RecordFactory(host=host, host_pages=str(number + 1), authors=[f"Автор, {number}"])
    # the record with its articles, contributors and subjects; copies; footer libraries (no
    # authors or subjects: no «similar» query)
    with django_assert_num_queries(3):
        response = client.get(host.get_absolute_url())
    assert len(response.context["components"]) == articles


def test_a_record_cannot_be_its_own_source_or_its_articles_article(newspaper):
    host, article = newspaper["host"], newspaper["first"]
    host.host = host
    with pytest.raises(ValidationError, match="самого себе"):
        host.full_clean()
    host.host = article
    with pytest.raises(ValidationError, match="саме вміщене"):
        host.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.filter(pk=host.pk).update(host=host.pk)


def test_pages_without_a_source_are_refused():
    record = Record(title="Стаття", host_pages="3")
    with pytest.raises(ValidationError, match="Вкажіть джерело"):
        record.full_clean()


def test_a_librarian_picks_the_source_in_the_admin_and_the_record_is_saved(
    client, librarian_a, newspaper
):
    client.force_login(librarian_a)
    record = RecordFactory(title="Нова стаття")
    response = client.get(f"/admin/catalog/record/{record.pk}/change/")
    assert 'data-ajax--url="/admin/autocomplete/"' in response.content.decode()
    assert 'name="host"' in response.content.decode()

    found = client.get(
        "/admin/autocomplete/",
        {
            "term": "Волинь",
            "app_label": "catalog",
            "model_name": "record",
            "field_name": "host",
        },
    )
    assert [row["text"] for row in found.json()["results"]] == ["Волинь-нова"]


# --- MARC: UNIMARC 463 and MARC21 773 ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["unimarc", "marc21"])
@pytest.mark.parametrize("host_source_id", ["VN-2021-34", ""])
def test_articles_go_out_and_come_back_with_their_source(tmp_path, fmt, host_source_id):
    from tests.catalog.test_marc import run_import

    host = RecordFactory(
        title="Волинь-нова",
        year=2021,
        source_id=host_source_id,
        material_type=Record.MaterialType.PERIODICAL,
    )
    RecordFactory(
        title="Замок Любарта",
        source_id="ART-1",
        host=host,
        host_part="2021, № 34 (26 серп.)",
        host_pages="12–15",
        authors=["Ковальчук, Ірина"],
    )
    RecordFactory(title="Стир", source_id="ART-2", host=host, host_pages="3")
    export = tmp_path / "export.mrc"
    call_command("export_marc", "--format", fmt, "--output", str(export), stdout=io.StringIO())
    raw = export.read_bytes().decode()
    assert ("463" in raw) if fmt == "unimarc" else ("773" in raw)
    wipe()

    lines, rows, code = run_import(export, tmp_path=tmp_path)

    assert code == 0, rows
    article = Record.objects.get(source_id="ART-1")
    assert article.host.title == "Волинь-нова"
    assert article.host.source_id == host_source_id
    assert (article.host_part, article.host_pages) == ("2021, № 34 (26 серп.)", "12–15")
    assert Record.objects.get(source_id="ART-2").host_pages == "3"
    assert Record.objects.get(source_id="ART-2").host == article.host
    assert not any("Джерело" in row["message"] for row in rows)


def test_an_irbis_style_463_is_read_with_pages_and_issue(tmp_path):
    import pymarc
    from pymarc import Field, Indicators, Subfield

    from catalog.marc import mapping

    marc = pymarc.Record(force_utf8=True)
    marc.leader = pymarc.Leader("00000naa  2200000 i 450 ")
    marc.add_field(Field(tag="001", data="A1"))
    marc.add_field(
        Field(tag="200", indicators=Indicators("1", " "), subfields=[Subfield("a", "Стаття")])
    )
    marc.add_field(
        Field(
            tag="463",
            indicators=Indicators(" ", "1"),
            subfields=[
                Subfield("1", "2001 "),
                Subfield("a", "Вісник краєзнавця"),
                Subfield("v", "Вип. 5"),
                Subfield("1", "210  "),
                Subfield("d", "2019"),
                Subfield("v", "С. 40-45."),
            ],
        )
    )

    data = mapping.record_data(marc, mapping.UNIMARC)

    assert data.host == mapping.HostLink(source_id="", title="Вісник краєзнавця", year=2019)
    assert (data.host_part, data.host_pages) == ("Вип. 5", "40–45")


def test_an_article_whose_source_is_missing_loads_with_a_warning(tmp_path):
    from tests.catalog.test_marc import run_import

    host = RecordFactory(title="Невідомий збірник", source_id="H-1")
    RecordFactory(title="Стаття", source_id="A-1", host=host, host_pages="5")
    export = tmp_path / "export.mrc"
    call_command("export_marc", "--output", str(export), stdout=io.StringIO())
    wipe()
    # Only the article (the second record of the file): the file without its source.
    only = tmp_path / "only.mrc"
    only.write_bytes(_split_iso(export.read_bytes())[1])

    lines, rows, code = run_import(only, tmp_path=tmp_path)

    article = Record.objects.get(source_id="A-1")
    assert article.host is None
    assert any("Джерело статті «Невідомий збірник» не знайдено" in row["message"] for row in rows)


def wipe():
    from tests.catalog.test_marc import wipe as wipe_catalogue

    Record.objects.filter(host__isnull=False).delete()
    wipe_catalogue()


def _split_iso(data: bytes) -> list[bytes]:
    return [chunk + b"\x1d" for chunk in data.split(b"\x1d") if chunk.strip()]


# --- the index: people and places ---------------------------------------------------------------


@pytest.fixture
def lesya(db):
    book = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], year=2019)
    ItemFactory(record=book)
    about = RecordFactory(title="Леся Українка в Луцьку", subjects=["Українка Леся"], year=2021)
    person = FigureFactory(
        name="Українка, Леся",
        name_en="Lesya Ukrainka",
        slug="lesya-ukrainka",
        dates="1871–1913",
        is_local_writer=True,
        bio="Поетеса, дитинство минуло в Луцьку.",
        bio_en="Poet; her childhood was spent in Lutsk.",
    )
    person.names.add(Person.objects.get(name="Українка, Леся"))
    person.subjects.add(about.subjects.get())
    return {"person": person, "book": book, "about": about}


def test_a_persons_page_lists_works_by_and_about_them(client, lesya):
    response = client.get("/catalog/local-lore/people/lesya-ukrainka/")

    assert response.status_code == 200
    assert [r.title for r in response.context["works_by"]] == ["Лісова пісня"]
    assert [r.title for r in response.context["works_about"]] == ["Леся Українка в Луцьку"]
    page = text(response)
    assert "письменники-земляки" in page
    assert "Поетеса, дитинство минуло в Луцьку." in page


def test_the_english_page_shows_the_english_name_and_biography(client, lesya):
    response = client.get("/en/catalog/local-lore/people/lesya-ukrainka/")

    page = text(response)
    assert '<h1 id="person-title">Lesya Ukrainka</h1>' in page
    assert "Poet; her childhood was spent in Lutsk." in page
    assert 'lang="en"' in page


def test_a_work_picked_by_hand_counts_as_the_persons_work(client, lesya):
    pseudonymous = RecordFactory(title="Досвітні огні", authors=["Косач, Лариса"])
    lesya["person"].works.add(pseudonymous)

    response = client.get("/catalog/local-lore/people/lesya-ukrainka/")

    assert {r.title for r in response.context["works_by"]} == {"Лісова пісня", "Досвітні огні"}


def test_an_unpublished_person_has_no_page(client):
    FigureFactory(slug="hidden", is_published=False)

    assert client.get("/catalog/local-lore/people/hidden/").status_code == 404


@pytest.mark.parametrize("works", [2, 25])
def test_a_persons_page_runs_the_same_queries_however_many_works(
    client, works, django_assert_num_queries
):
    person = FigureFactory(slug="writer")
    for _number in range(works):
        record = RecordFactory(authors=["Письменник, Волинський"], subjects=["Про письменника"])
        ItemFactory(record=record)
    person.names.add(Person.objects.get(name="Письменник, Волинський"))
    person.subjects.add(*Record.objects.first().subjects.all())
    # person, works by (count, page), works about (count, page), footer libraries
    with django_assert_num_queries(6):
        response = client.get("/catalog/local-lore/people/writer/")
    assert response.context["works_by_count"] == works


def test_people_are_listed_in_ukrainian_alphabetical_order_under_their_letters(client):
    from core.db import uk_collation_is_alphabetical

    for name in ("Єрмак, Олена", "Ґудзь, Іван", "Гай, Петро", "Іваненко, Ніна", "Ярош, Ян"):
        FigureFactory(name=name)

    response = client.get("/catalog/local-lore/people/")

    letters = [letter for letter, _people in response.context["letters"]]
    if uk_collation_is_alphabetical():
        assert letters == ["Г", "Ґ", "Є", "І", "Я"]
    else:
        assert sorted(letters) == sorted(["Г", "Ґ", "Є", "І", "Я"])


def test_people_are_found_by_a_word_of_the_name_in_any_case_form(client, lesya):
    FigureFactory(name="Кримський, Агатангел Юхимович", slug="krymskyi")

    response = client.get("/catalog/local-lore/people/", {"q": "Кримського"})

    names = [p.name for _letter, people in response.context["letters"] for p in people]
    assert names == ["Кримський, Агатангел Юхимович"]


def test_only_local_writers_when_asked(client, lesya):
    FigureFactory(name="Стравінський, Ігор Федорович", slug="stravinsky")

    response = client.get("/catalog/local-lore/people/", {"writers": "on"})

    names = [p.name for _letter, people in response.context["letters"] for p in people]
    assert names == ["Українка, Леся"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Леся\x00"},
        {"q": "я" * 5000},
        {"writers": "\x00"},
        {"page": "99999999999999999999"},
        {"page": "-1"},
        {"kind": "\x00"},
    ],
)
def test_odd_input_to_the_lists_never_fails(client, lesya, params):
    for path in ("/catalog/local-lore/people/", "/catalog/local-lore/places/"):
        response = client.get(path, params)
        assert response.status_code in (200, 400), (path, params)


def test_a_search_that_finds_nobody_offers_the_collection_search(client, lesya):
    response = client.get("/catalog/local-lore/people/", {"q": "Абракадабра"})

    assert "нікого не знайдено" in text(response)
    assert "/catalog/local-lore/search/?q=" in text(response)


@pytest.mark.parametrize("count", [3, 40])
def test_the_lists_run_the_same_queries_however_many_entries(
    client, count, django_assert_num_queries
):
    for _number in range(count):
        FigureFactory()
        PlaceFactory()
    # count, page, footer libraries
    with django_assert_num_queries(3):
        client.get("/catalog/local-lore/people/")
    with django_assert_num_queries(2):  # the footer is cached by the page before
        client.get("/catalog/local-lore/places/", {"kind": "village"})


def test_a_places_page_lists_the_literature_about_it(client):
    castle = PlaceFactory(
        name="Луцький замок", name_en="Lutsk Castle", slug="castle", kind=Place.Kind.BUILDING
    )
    by_heading = RecordFactory(title="Замок Любарта", subjects=["Луцький замок"])
    picked = RecordFactory(title="Луцьк: історія міста")
    castle.subjects.add(by_heading.subjects.get())
    castle.records_about.add(picked)

    response = client.get("/catalog/local-lore/places/castle/")

    assert {r.title for r in response.context["works_about"]} == {
        "Замок Любарта",
        "Луцьк: історія міста",
    }
    assert "Будівля, памʼятка" in text(response)
    assert "Lutsk Castle" in text(client.get("/en/catalog/local-lore/places/castle/"))


def test_places_are_filtered_by_kind(client):
    PlaceFactory(name="Стир", kind=Place.Kind.RIVER)
    PlaceFactory(name="Колодяжне", kind=Place.Kind.VILLAGE)

    response = client.get("/catalog/local-lore/places/", {"kind": "river"})

    names = [p.name for _letter, places in response.context["letters"] for p in places]
    assert names == ["Стир"]


# --- the landing ---------------------------------------------------------------------------------


def test_the_landing_leads_with_people_places_articles_then_the_search(client, lesya, newspaper):
    PlaceFactory(name="Стир", kind=Place.Kind.RIVER)

    response = client.get("/catalog/local-lore/")

    page = text(response)
    positions = [
        page.index(marker)
        for marker in (
            "Люди краю",
            "Українка, Леся",
            "Місця краю",
            "Стир",
            "Нові статті з місцевих видань",
            "Як Стир змінив Луцьк",
            'action="/catalog/local-lore/search/"',
        )
    ]
    assert positions == sorted(positions)
    assert "с. 12–15" in page


@pytest.mark.parametrize("count", [2, 20])
def test_the_landing_runs_the_same_queries_however_much_there_is(
    client, branch_a, count, django_assert_num_queries
):
    host = RecordFactory(is_local_lore=True)
    for number in range(count):
        FigureFactory()
        PlaceFactory()
        RecordFactory(host=host, host_pages=str(number), authors=[f"Автор, {number}"])
        DigitalPageFactory(document__branch=branch_a, document__title=f"Листівка {number}")
    # people, places, the newest digitised documents, articles with hosts and authors, footer
    # libraries
    with django_assert_num_queries(5):
        response = client.get("/catalog/local-lore/")
    assert len(response.context["articles"]) == min(count, 8)
    page = response.content.decode()
    assert (
        page.index("Місця краю")
        < page.index("Оцифровані документи")
        < page.index("Нові статті з місцевих видань")
    )
    assert page.count(">Листівка ") == min(count, 4)


def test_the_portal_search_finds_people_and_places(lesya):
    PlaceFactory(name="Колодяжне", slug="kolodiazhne")

    found = {result.section.key: result.found for result in search_everywhere("Українка")}
    assert found["lore_people"].count == 1
    assert found["lore_people"].hits[0].url == "/catalog/local-lore/people/lesya-ukrainka/"
    found = {result.section.key: result.found for result in search_everywhere("Колодяжне")}
    assert found["lore_places"].hits[0].url == "/catalog/local-lore/places/kolodiazhne/"


# --- admin ---------------------------------------------------------------------------------------


def test_a_librarian_adds_a_person_whose_catalogue_name_is_linked_by_itself(client, librarian_a):
    RecordFactory(title="Марія", authors=["Самчук, Улас Олексійович"])
    client.force_login(librarian_a)

    response = client.post(
        "/admin/lore/figure/add/",
        {
            "name": "Самчук, Улас Олексійович",
            "dates": "1905–1987",
            "is_local_writer": "on",
            "bio": "Прозаїк.",
            "is_published": "on",
            "slug": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Figure.objects.get()
    assert person.slug == "samchuk-ulas-oleksiiovych"
    assert [name.name for name in person.names.all()] == ["Самчук, Улас Олексійович"]
    assert [r.title for r in person.works_by()] == ["Марія"]


def test_staff_of_every_library_see_the_whole_index_and_only_methodologists_delete(
    client, librarian_a, librarian_b, methodologist
):
    person = FigureFactory(name="Пчілка, Олена")
    place = PlaceFactory(name="Луцьк")
    for user in (librarian_a, librarian_b, methodologist):
        client.force_login(user)
        assert "Пчілка, Олена" in text(client.get("/admin/lore/figure/"))
        assert "Луцьк" in text(client.get("/admin/lore/place/"))
    client.force_login(librarian_b)
    assert client.get(f"/admin/lore/figure/{person.pk}/delete/").status_code == 403
    client.force_login(methodologist)
    assert client.get(f"/admin/lore/place/{place.pk}/delete/").status_code == 200


# --- indicators ----------------------------------------------------------------------------------


def test_works_of_local_writers_are_counted_as_records_and_copies(branch_a, branch_b, lesya):
    ItemFactory(record=lesya["book"], branch=branch_b)
    other = RecordFactory(authors=["Шевченко, Тарас"])
    ItemFactory(record=other, branch=branch_a)
    year = lesya["book"].created_at.year

    assert stats.local_writers_records(years=[year]) == {(None, year): 1}
    copies = stats.local_writers_copies(years=[year])
    assert copies[(branch_b.pk, year)] == 1
    assert sum(copies.values()) == 2  # one in branch B and the factory's own library
    assert stats.local_writers_copies(years=[year - 1]) == {}


def test_a_writer_not_marked_local_is_not_counted(lesya):
    Figure.objects.update(is_local_writer=False)
    year = lesya["book"].created_at.year

    assert stats.local_writers_records(years=[year]) == {}


def test_analytical_records_are_counted_in_the_year_they_were_added(newspaper):
    year = newspaper["first"].created_at.year

    assert catalog_stats.analytics_added(years=[year, year - 1]) == {(None, year): 3}


def test_the_plan_measures_directions_14_and_11_by_the_local_lore_numbers():
    from strategy.models import Plan

    plan = Plan.objects.get(slug="2016-2021")
    direction_14 = plan.directions.get(number=14).indicators.values_list("metric__code", flat=True)
    direction_11 = plan.directions.get(number=11).indicators.values_list("metric__code", flat=True)
    assert {"lore.local_writers_copies", "lore.local_writers_records"} <= set(direction_14)
    assert "catalog.analytics_added" in set(direction_11)


# --- demo ----------------------------------------------------------------------------------------


def test_the_demo_has_people_places_and_a_newspaper_with_articles_and_runs_once(network):
    made = demo.seed(rng=random.Random(1))

    assert made > 0
    assert Figure.objects.filter(is_demo=True).count() >= 10
    assert Place.objects.filter(is_demo=True).count() >= 8
    host = Record.objects.get(source_id="demo-lore:host")
    assert host.components.count() == 5
    lesya = Figure.objects.get(slug="lesya-ukrainka")
    assert lesya.is_local_writer and lesya.works_by().exists()
    assert Contribution.objects.filter(person__lore_figures__is_local_writer=True).exists()
    assert demo.seed(rng=random.Random(1)) == 0


def test_the_english_list_is_in_the_order_of_the_english_names(client):
    FigureFactory(
        name="Українка, Леся", name_en="Lesya Ukrainka", dates="бл. 1871", dates_en="c. 1871"
    )
    FigureFactory(name="Кримський, Агатангел", name_en="Ahatanhel Krymskyi")
    FigureFactory(name="Бабенко, Іван")

    response = client.get("/en/catalog/local-lore/people/")

    letters = [letter for letter, _people in response.context["letters"]]
    assert letters == ["A", "L", "Б"]
    assert "(c. 1871)" in text(response)
