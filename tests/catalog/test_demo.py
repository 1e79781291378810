"""The demo catalogue: real titles cleaned, spread over the libraries, idempotent."""

import csv
import io
import random
import re

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from stdnum import isbn as stdnum_isbn

from branches.models import Branch
from catalog import demo
from catalog.management.commands import clean_book_list as cleaning
from catalog.models import Contribution, IntakeBatch, Item, OnlineResource, Person, Record
from catalog.services import inventory_prefix

RECORDS = 200


def seed(records=RECORDS, seed_value=7):
    out = io.StringIO()
    made = demo.seed(rng=random.Random(seed_value), counts={"records": records}, stdout=out)
    return made, out.getvalue()


@pytest.fixture
def demo_catalogue(db):
    made, summary = seed()
    assert made == RECORDS
    return summary


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ІСТОРІЯ УКРАЇНИ-РУСИ", "Історія України-Руси"),
        ("ТВОРИТ. 3: ОПОВІДАННЯ", "Твори. Т. 3: Оповідання"),
        ("КІНО№  12", "Кіно. № 12"),
        (
            "ЧУЖОЗЕМНІ ПОДОРОЖНІ ПО СХІДНІЙ ЄВРОПІ ДО 1700 Р",
            "Чужоземні подорожні по східній Європі до 1700 р.",
        ),
        (
            "ВОЛИНСЬКИЙ ОБЛАСНИЙ АКАДЕМІЧНИЙ МУЗИЧНО-ДРАМАТИЧНИЙ ТЕАТР ІМЕНІ ТАРАСА ШЕВЧЕНКА",
            "Волинський обласний академічний музично-драматичний театр імені Тараса Шевченка",
        ),
        (
            "РЕЛІГІЙНІСТЬ Т. Г. ШЕВЧЕНКА НА ПІДСТАВІ ЙОГО ПОЕТИЧНИХ ТВОРІВ",
            "Релігійність Т. Г. Шевченка на підставі його поетичних творів",
        ),
        (
            "ДІЯЛЬНІСТЬ ОУН(Б) І ЗАПІЛЛЯ УПА НА ВОЛИНІ Й ПІВДЕННОМУ ПОЛІССІ (1941-1944 РР.)",
            "Діяльність ОУН(Б) і запілля УПА на Волині й південному Поліссі (1941-1944 рр.)",
        ),
        ("ЛУЦЬК У РОКИ НАЦИСТСЬКОЇ ОКУПАЦІЇ", "Луцьк у роки нацистської окупації"),
        ("ІСТОРІЯ КИЇВСЬКОЇ РУСІ", "Історія Київської Русі"),
        ("ЖИТТЯ І ЗДОРОВ'Я ЛЮДЕЙ НА УКРАЇНІ", "Життя і здоровʼя людей на Україні"),
        ('НАРИС ІСТОРІЇ "УКРАЇНСЬКИХ СІЧОВИХ СТРІЛЬЦІВ"Ч. 1', None),
    ],
)
def test_upper_case_titles_become_sentence_case_with_proper_names_kept(raw, expected):
    title = cleaning.clean_title(raw)
    if expected is None:
        assert title == "Нарис історії «Українських січових стрільців». Ч. 1"
    else:
        assert title == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Кордт\xa0В.О.", "Кордт В. О."),
        ("Шевченко\xa0Т. Г.", "Шевченко Т. Г."),
        ("Шевченко Тарас Григорович", "Шевченко Т. Г."),
        ("[Любович\xa0М.]", "Любович М."),
        ("Феденко \xa0П.", "Феденко П."),
        ("Коцюба Г. М", "Коцюба Г. М."),
        ("Дорошенко в. В.", "Дорошенко В. В."),
        ("[Hечуй-Левицький] [І. С.]", "Нечуй-Левицький І. С."),  # a Latin H in the source
        ("Крип'якевич\xa0І. П.", "Крипʼякевич І. П."),
        ("Дніпрова Чайка", "Дніпрова Чайка"),  # a pseudonym stays as it is
    ],
)
def test_authors_are_written_surname_then_spaced_initials(raw, expected):
    assert cleaning.clean_author(raw) == expected


def test_years_outside_1700_to_this_year_are_dropped():
    this_year = timezone.localdate().year
    assert cleaning.clean_year("1700.0", this_year=this_year) == 1700
    assert cleaning.clean_year("1699.0", this_year=this_year) is None
    assert cleaning.clean_year(f"{this_year + 1}.0", this_year=this_year) is None
    assert cleaning.clean_year("", this_year=this_year) is None


def test_the_list_drops_duplicates_and_rows_that_are_not_titles():
    rows, _surnames = cleaning._source_rows(str(cleaning.SOURCE_FILE), timezone.localdate().year)
    keys = [cleaning._dedupe_key(row.raw_title, row.author) for row in rows]
    assert len(keys) == len(set(keys))
    assert 14_000 < len(rows) < 14_579  # the source has 14,579 rows
    assert cleaning._dedupe_key("КОБЗАР[Т.] 1", "") == cleaning._dedupe_key("Кобзар. Т. 1", "")
    assert not any(row.raw_title in ("2", "97") for row in rows)


SCRAPED = """title,author,year_written,year_published
ІСТОРІЯ УКРАЇНИ-РУСИ,Грушевський Михайло Сергійович,,1954.0
КОБЗАР,Шевченко\xa0Т. Г.,,1840.0
КОБЗАР,Шевченко Т. Г.,,1840.0
ЛУЦЬК У РОКИ НАЦИСТСЬКОЇ ОКУПАЦІЇ,,,3024.0
КІНО№  12,,,1930.0
2,,,1930.0
"""


def test_the_cleaning_command_writes_the_list_the_demo_reads_as_it_is(tmp_path):
    source = tmp_path / "scraped.csv"
    source.write_text(SCRAPED, encoding="utf-8")
    output = tmp_path / "clean.csv"
    out = io.StringIO()

    call_command("clean_book_list", source=source, output=output, stdout=out, verbosity=0)

    books = demo.load_books(str(output))
    assert [(b.title, b.author, b.year) for b in books] == [
        ("Історія України-Руси", "Грушевський М. С.", 1954),
        ("Кобзар", "Шевченко Т. Г.", 1840),
        ("Луцьк у роки нацистської окупації", "", None),
        ("Кіно. № 12", "", 1930),
    ]
    assert books[0].subjects == ("Історія України",)
    assert books[2].is_local_lore
    assert books[3].periodical
    assert "4 books cleaned from scraped.csv" in out.getvalue()


def test_the_committed_book_list_is_already_clean():
    books = demo.load_books()
    assert len(books) > 14_000
    assert not any(book.title.isupper() for book in books if len(book.title) > 12)
    assert not any("\xa0" in book.author for book in books)


def test_generated_isbns_have_a_valid_check_digit():
    assert demo.isbn13("978966000001") == "9789660000018"
    for n in range(50):
        assert stdnum_isbn.is_valid(demo.isbn13(f"978966{n * 7919 % 10**6:06d}"))


def test_seeded_records_are_clean_and_searchable(demo_catalogue):
    records = list(demo.demo_records())
    assert len(records) == RECORDS
    this_year = timezone.localdate().year
    for record in records:
        letters = [ch for ch in record.title if ch.isalpha()]
        assert letters[0].isupper() or record.title[0].isdigit(), record.title
        assert any(ch.islower() for ch in letters) or len(letters) <= 4, record.title
        assert record.year is None or 1700 <= record.year <= this_year
        if record.isbn:
            assert stdnum_isbn.is_valid(record.isbn), record.isbn
    assert any(record.isbn for record in records)
    mostly_lower = [r for r in records if sum(ch.islower() for ch in r.title) > len(r.title) / 2]
    assert len(mostly_lower) > 0.9 * len(records)  # sentence case, not UPPER CASE
    first_editions = [r for r in records if not r.edition]
    keys = {(r.title, r.responsibility) for r in first_editions}
    assert len(keys) == len(first_editions)  # no duplicates
    assert not Record.objects.filter(pk__in=[r.pk for r in records], search_document=None).exists()
    assert Record.objects.filter(is_local_lore=True).exists()
    assert {r.material_type for r in records} >= {
        Record.MaterialType.BOOK,
        Record.MaterialType.PERIODICAL,
    }
    assert "catalog: 200 new demo records" in demo_catalogue


def test_people_are_in_surname_and_initials_form(demo_catalogue):
    names = list(Person.objects.values_list("name", flat=True))
    assert names
    for name in names:
        assert "\xa0" not in name and "  " not in name, name
        assert not re.search(r"[А-ЯІЇЄҐ]\.[А-ЯІЇЄҐ]", name), name  # «В.О.» → «В. О.»
    initials_form = re.compile(r"^[А-ЯІЇЄҐ][\w’ʼ\-]+ (?:[А-ЯІЇЄҐ]\.(?:-[А-ЯІЇЄҐ]\.)? ?)+$")
    assert sum(bool(initials_form.match(name)) for name in names) > 0.8 * len(names)
    assert Contribution.objects.filter(role=Contribution.Role.AUTHOR).exists()


def test_copies_are_in_every_library_with_their_own_inventory_numbers(demo_catalogue):
    branches = list(Branch.objects.all())
    per_branch = dict(
        Item.objects.values_list("branch").annotate(n=Count("pk")).values_list("branch", "n")
    )
    assert set(per_branch) == {branch.pk for branch in branches}
    numbers = list(Item.objects.values_list("inventory_number", "branch_id", "barcode"))
    assert len({number for number, _, _ in numbers}) == len(numbers)
    assert len({barcode for _, _, barcode in numbers}) == len(numbers)
    prefixes = {branch.pk: inventory_prefix(branch) for branch in branches}
    for number, branch_id, _barcode in numbers:
        assert number.startswith(prefixes[branch_id]), number
    statuses = set(Item.objects.values_list("status", flat=True))
    assert Item.Status.ON_SHELF in statuses and Item.Status.ON_LOAN in statuses
    counts = demo.demo_records().annotate(n=Count("items")).values_list("n", flat=True)
    assert min(counts) >= 1 and max(counts) <= 4


def test_intake_acts_and_online_resources_are_there(demo_catalogue):
    sources = set(IntakeBatch.objects.values_list("source", flat=True))
    assert IntakeBatch.Source.BUDGET in sources and len(sources) >= 3
    assert not IntakeBatch.objects.filter(act_number="").exists()
    assert Item.objects.filter(intake__isnull=False).exists()
    urls = set(OnlineResource.objects.values_list("url", flat=True))
    assert "https://zakon.rada.gov.ua/" in urls and "https://diia.gov.ua/" in urls


def test_seeding_again_adds_nothing_and_a_bigger_count_tops_up(demo_catalogue):
    counts = (Record.objects.count(), Item.objects.count(), Person.objects.count())
    made, summary = seed()
    assert made == 0 and "none added" in summary
    assert (Record.objects.count(), Item.objects.count(), Person.objects.count()) == counts
    assert OnlineResource.objects.count() == len(demo.ONLINE_RESOURCES)
    acts = IntakeBatch.objects.count()

    made, _ = seed(records=RECORDS + 30)
    assert made == 30
    assert demo.demo_records().count() == RECORDS + 30
    assert IntakeBatch.objects.count() == acts
    source_ids = list(demo.demo_records().values_list("source_id", flat=True))
    assert len(set(source_ids)) == len(source_ids)


def test_seed_demo_command_takes_a_record_count(db):
    out = io.StringIO()
    call_command("seed_demo", "--records", "40", stdout=out, stderr=io.StringIO())
    assert demo.demo_records().count() == 40
    assert "Demo data loaded" in out.getvalue()


def test_the_demo_keeps_a_trickle_of_new_titles_so_new_arrivals_are_never_empty(demo_catalogue):
    from catalog.presentation import new_arrivals

    fresh = demo.new_title_records()
    assert fresh.count() > 0
    # The ones dated within 90 days are new arrivals of the network and of their libraries.
    arrived = set(new_arrivals().values_list("source_id", flat=True))
    assert {s for s in arrived if s.startswith(demo.NEW_PREFIX)}
    for record in fresh.prefetch_related("items"):
        assert record.items.exists() and record.search_document is not None
        assert record.year == max(item.added_at.year for item in record.items.all())
    today = timezone.localdate()
    assert not Item.objects.filter(record__in=fresh, added_at__date__gt=today).exists()


def test_seeding_again_adds_no_second_copy_of_the_new_titles(demo_catalogue):
    before = (demo.new_title_records().count(), Item.objects.count(), IntakeBatch.objects.count())

    seed()

    after = (demo.new_title_records().count(), Item.objects.count(), IntakeBatch.objects.count())
    assert after == before


def test_the_new_titles_are_the_same_whichever_seed_made_the_demo(db):
    seed(seed_value=1)
    first = sorted(demo.new_title_records().values_list("source_id", "title"))
    Record.objects.all().delete()
    Item.objects.all().delete()
    IntakeBatch.objects.all().delete()

    seed(seed_value=2)

    assert sorted(demo.new_title_records().values_list("source_id", "title")) == first


def test_a_demo_without_a_catalogue_gets_no_new_titles_either(db):
    assert seed(records=0)[0] == 0

    assert not demo.new_title_records().exists()


# --- A demo catalogue a reader believes (issue 13) -------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("UKRAINA LІТНUАNІСА. Т. 3", "UKRAINA LITHUANICA. Т. 3"),  # Cyrillic І, Т, Н, А, С
        ("УКРАЇНА ІRRЕDЕNТА", "УКРАЇНА IRREDENTA"),
        ("КPУТОЯPЧЕНКА", "КРУТОЯРЧЕНКА"),  # Latin P
        ("ХVІІ-хvіііст.", "XVII-XVIII ст."),  # Cyrillic Х and І in Roman numerals
        ("х\u200eVІІ", "XVII"),
    ],
)
def test_words_typed_in_two_alphabets_are_made_one(raw, expected):
    fixed = cleaning.fix_homoglyphs(raw)
    assert fixed == expected
    assert not cleaning.has_mixed_word(fixed)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ГРИГІР ТЮТЮННИК: З ЛЮБОВІ Й МУКИ", "Григір Тютюнник: з любові й муки"),
        ("ПЛАЧ ЄРЕМІЇ", "Плач Єремії"),
        ("ІСТОРІЯ УКРАЇНИ XV-XVI В. В.", "Історія України XV-XVI вв."),
        (
            "ВИБРАНІ ТВОРИТ. 3: [ДОСЛІДЖЕННЯ ТА МАТЕРІАЛИ",
            "Вибрані твори. Т. 3: Дослідження та матеріали",
        ),
        ("ВІЙНА (XVI – СЕРЕДИНА XVII СТ.", "Війна (XVI – середина XVII ст.)"),
        ("ДАЙ, Я БУДУ ТАКИМ, ЯК ХОЧУ..", "Дай, я буду таким, як хочу…"),
    ],
)
def test_names_keep_their_capitals_and_brackets_close(raw, expected):
    assert cleaning.clean_title(raw) == expected


@pytest.mark.parametrize(
    ("title", "truncated"),
    [
        ("ПЕРШЕ ВИДАННЯ ЕНЕЇДИ КОТЛЯРЕВСЬКОГО ПЕРЕДРУКОВАНЕ В СТОЛІТНЮ РІЧНИЦЮ ЙОГО", True),
        ("УКРАЇНСЬКІ ПИСЬМЕННИКИ КРАМАТОРСЬКА:", True),
        ("ЗАПОВІТ ПЕТРА І", False),
        ("СЛОВНИК УКРАЇНСЬКОЇ МОВИ. Т. 3: З", False),
        ("ВПЛИВИ СТАРОЧЕСЬКОГО ПРАВА ЛИТОВСЬКОЇ ДОБИ XV-XVI В", False),
        ("ЕТНІЧНІ ГРУПИ УКРАЇНИ НА 1.1.1939", False),
    ],
)
def test_titles_the_scraper_cut_off_are_recognised(title, truncated):
    assert cleaning.is_truncated(title) is truncated


@pytest.mark.parametrize(
    ("year", "title", "author", "language", "expected"),
    [
        (1720, "Вибрані поезії", "Шевченко Т. Г.", "ukr", None),  # before he was born
        (1840, "Кобзар", "Шевченко Т. Г.", "ukr", 1840),
        (1847, "Повне зібрання творів. Т. 2: Поезії. 1847-1861", "Шевченко Т. Г.", "ukr", None),
        (1861, "Зібрання творів. Т. 52", "Франко І. Я.", "ukr", None),  # while he wrote them
        (
            1842,
            "Кобзар. Т. 1, ч. 1: Романтична доба творчости Тараса Шевченка",
            "Шевченко Т. Г.",
            "ukr",
            None,
        ),
        (1907, "Твори Тараса Шевченка. Т. 2", "Шевченко Т. Г.", "ukr", 1907),
        (1718, "Присяга миргородського полку 1718 року", "", "ukr", None),
        (1840, "Марко Лукич Кропивницький (1840-1940)", "Кирилюк Є. П.", "ukr", None),
        (1842, "Виргилева энеида", "Котляревський І. П.", "rus", 1842),
        (1954, "Історія України-Руси", "Грушевський М. С.", "ukr", 1954),
    ],
)
def test_impossible_years_are_dropped(year, title, author, language, expected):
    assert cleaning.plausible_year(year, title=title, author=author, language=language) == expected


def test_the_committed_list_has_no_mixed_alphabets_cut_titles_or_impossible_years():
    books = demo.load_books()
    assert not [b.title for b in books if cleaning.has_mixed_word(b.title)]
    assert not [b.title for b in books if cleaning.is_truncated(b.title)]
    for opening, closing in ("()", "[]", "«»"):
        assert not [b.title for b in books if b.title.count(opening) != b.title.count(closing)]
    for book in books:
        kept = cleaning.plausible_year(
            book.year, title=book.title, author=book.author, language=book.language
        )
        assert kept == book.year, book


NAMES = re.compile(
    r"\b(шевченк\w*|тютюнник\w*|єремі[їя]|коцюбинськ\w*|котляревськ\w*|українк[аи]|франк[оа]"
    r"|стефаник\w*|кобилянськ\w*|луцьк\w*|волин[ьіі]\w*|київ\w*|львів\w*)\b",
    re.IGNORECASE,
)


def test_names_in_the_committed_titles_keep_their_capitals():
    lower = [
        (match.group(0), book.title)
        for book in demo.load_books()
        for match in NAMES.finditer(book.title)
        if match.group(0)[0].islower()
    ]
    # adjectives («київський», «волинський») and sciences («шевченкознавство») are written in
    # lower case; names and what is theirs («Шевченкова могила») are not
    common = re.compile(r"((ськ|цьк)(ий|а|е|і|ого|ої|ому|ій|им|их|ими|у|ою)|знав\w*|іана)$")
    assert not [(word, title) for word, title in lower if not common.search(word)]


def test_the_default_demo_has_the_classics_a_school_reader_looks_for():
    classics = demo.load_classics()
    books = demo.BookList(this_year=timezone.localdate().year)
    first = [books[index] for index in range(demo.DEFAULT_RECORDS)]
    assert set(classics) <= set(first)
    titles = {(book.title, demo.surname_of(book.author)) for book in classics}
    for wanted in [
        ("Кобзар", "Шевченко"),
        ("Захар Беркут", "Франко"),
        ("Лісова пісня", "Українка"),
        ("Тіні забутих предків", "Коцюбинський"),
        ("Енеїда", "Котляревський"),
        ("Кайдашева сімʼя", "Нечуй-Левицький"),
        ("Хіба ревуть воли, як ясла повні?", "Мирний"),
        ("Земля", "Кобилянська"),
        ("Собор", "Гончар"),
        ("Маруся Чурай", "Костенко"),
    ]:
        assert wanted in titles
    authors = {demo.surname_of(book.author) for book in classics}
    assert {"Стефаник", "Тютюнник", "Загребельний", "Стус"} <= authors


def test_the_classics_list_has_believable_editions():
    this_year = timezone.localdate().year
    with open(demo.CLASSICS_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert int(row["first_appeared"]) <= int(row["year"]) <= this_year, row
        assert demo.surname_of(row["author"]), row
