"""A demo catalogue built from real Ukrainian titles and authors, spread over the branches.

The titles and authors come from `data/books/ukrainian_literature_1700-2024.clean.csv`, which
`manage.py clean_book_list` made once from the list scraped from the Vernadsky National Library
catalogue (see `data/books/SOURCES.md`): sentence case keeping proper names, «Кордт В. О.»,
volume designations split off, impossible years dropped, duplicates removed, a subject, language
and local-lore guess per title. Seeding reads that file as it is. Publisher, place, subjects'
indices, copies, intake acts and the like are plausible values drawn at random, never presented
as real holdings.

`seed(counts={"records": N})` tops the demo catalogue up to N records (source_id «demo:<n>»), so
running it again creates nothing new. Beyond the ~14,500 distinct titles the rows are reused as
later editions and further books of the same work. Work is streamed in batches of 5,000 records
(rows written with PostgreSQL COPY, each batch one transaction, each record written once with
its search document), so memory stays flat whether N is 2,000 or 1,000,000.
"""

import calendar
import contextlib
import csv
import os
import random
import re
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone
from tqdm import tqdm

from branches.models import Branch
from catalog.indexing import DocumentSource, document_parts, records_insert
from catalog.models import (
    Contribution,
    IntakeBatch,
    Item,
    OnlineResource,
    Person,
    Record,
    Subject,
)
from catalog.services import inventory_numbers_reserve
from core.db import analyze, copy_insert, ordered_ids
from core.tz import KYIV

# Made from the scraped list by `manage.py clean_book_list`; read here as it is.
BOOKS_DIR = Path(settings.BASE_DIR) / "data" / "books"
BOOKS_FILE = BOOKS_DIR / "ukrainian_literature_1700-2024.clean.csv"
CLASSICS_FILE = BOOKS_DIR / "classics.csv"
# One classic in every 40 records from the second on: the default 2,000 hold them all.
CLASSICS_EVERY = 40
DEMO_PREFIX = "demo:"
DEMO_NOTE = "Демонстраційні дані (seed_demo)"
DEFAULT_RECORDS = 2000
BATCH = 5000
YEAR_MIN = 1700

_LEGACY_START = date(1995, 1, 1)

# Letters of a «Прізвище І. Б.» name (Cyrillic, and Latin upper case for initials).
CYRILLIC = "А-Яа-яІіЇїЄєҐґ"
UPPER = "А-ЯІЇЄҐA-Z"


def surname_of(name: str) -> str:
    """«Шевченко Т. Г.» → «Шевченко»; other forms → ""."""
    match = re.match(rf"^([{UPPER}][{CYRILLIC}ʼ\-]+) (?:[{UPPER}]\.[ -]?)+$", name)
    return match.group(1) if match else ""


def display_name(name: str) -> str:
    """«Шевченко Т. Г.» → «Т. Г. Шевченко», as a statement of responsibility writes it."""
    surname = surname_of(name)
    return f"{name[len(surname) + 1 :]} {surname}" if surname else name


def isbn13(body: str) -> str:
    """12 digits → a valid ISBN-13 with its check digit."""
    total = sum(int(d) * (3 if index % 2 else 1) for index, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def ordinal_edition(n: int) -> str:
    """2 → «2-ге», 3 → «3-тє», 7 → «7-ме»: how Ukrainian title pages number editions."""
    if 11 <= n % 100 <= 19:
        suffix = "те"
    else:
        suffix = {1: "ше", 2: "ге", 3: "тє", 7: "ме", 8: "ме"}.get(n % 10, "те")
        if n % 100 == 40:
            suffix = "ве"
    return f"{n}-{suffix}"


# ---------------------------------------------------------------------------------------------
# What a record is about
# ---------------------------------------------------------------------------------------------

SUBJECTS = {
    # name: (UDC, BBK, keywords in the lower-case title)
    "Поезія": ("821.161.2-1", "84(4Укр)5-5", r"поез|вірш|поем|кобзар|лірик|сонет|співомовк"),
    "Українська література": (
        "821.161.2",
        "84(4Укр)",
        r"твори|вибране|оповідан|роман|повіст|новел|драм|пʼєс|комеді|проза|літератур",
    ),
    "Історія України": (
        "94(477)",
        "63.3(4Укр)",
        r"істор|козац|гетьман|запорі|січ|літопис|війн|повстан|оун|упа\b|революц|унр|археолог|"
        r"княз|голодомор|депортац|репрес",
    ),
    "Краєзнавство Волині": (
        "908(477.82)",
        "26.89(4Укр-4Вол)",
        r"волин|луцьк|ковел|полісс|любомл|шацьк|берестеч|лесин|любарт",
    ),
    "Дитяча література": (
        "821.161.2-93",
        "84(4Укр)6",
        r"казк|для дітей|дитяч|малят|абетк|буквар|загадк|колисков",
    ),
    "Право": ("34(477)", "67.9(4Укр)", r"\bправ[оа]|закон|кодекс|конституц|\bсуд|юриди|карн"),
    "Компʼютери": ("004", "32.973", r"компʼютер|інформати|програмуван|інтернет|смартфон|цифров"),
    "Іноземні мови": (
        "811.111",
        "81.2Англ",
        r"(?:англійськ|німецьк|польськ|французьк)\w* мов|розмовник|самовчитель|english|deutsch",
    ),
    "Мовознавство": (
        "811.161.2",
        "81.2Укр",
        r"\bмов[аиіо]|мовознав|правопис|граматик|діалект|лексик|фразеолог|словник",
    ),
    "Етнографія. Фольклор": (
        "398(477)",
        "82.3(4Укр)",
        r"пісн|звича|обряд|фольклор|етнограф|прислів|колядк|весілл|народн",
    ),
    "Мистецтво": (
        "7.03(477)",
        "85.103(4Укр)",
        r"мистецт|художник|театр|музик|\bкіно|живопис|архітект|іконопис|співак",
    ),
    "Релігія": (
        "2",
        "86.3",
        r"церк|релігі|\bбог|святи|проповід|\bбібл(?:ія|ії|ію|ійн)|євангел|митрополит",
    ),
    "Довідкові видання": (
        "03",
        "92",
        r"енциклопед|довідник|словник|каталог|покажчик|реєстр|бібліограф|календар",
    ),
    "Освіта і педагогіка": ("37", "74", r"педагог|освіт|школ|навчан|виховн|медіаграмотн"),
    "Економіка": ("33", "65", r"економ|господар|торгів|фінанс|бюджет|податк|аграр|земельн"),
    "Природа": ("502", "28", r"природ|гідро|ботані|фауна|флора|геолог|клімат"),
    "Медицина": ("61", "5", r"медиц|хірург|здоровʼ|лікар|хвороб"),
}
_CHILDREN = "Дитяча література"

ANNOTATIONS = {
    "Поезія": [
        "До збірки ввійшли вибрані поетичні твори різних років.",
        "Вірші, що стали класикою української поезії, з коментарями упорядника.",
    ],
    "Українська література": [
        "Видання містить художні твори, відібрані для широкого кола читачів.",
        "Текст подано за прижиттєвим виданням, з примітками та словником застарілих слів.",
    ],
    "Історія України": [
        "Дослідження ґрунтується на архівних документах і широкому колі джерел.",
        "Для істориків, краєзнавців і всіх, хто цікавиться минулим України.",
    ],
    "Краєзнавство Волині": [
        "Про історію, памʼятки та визначних людей Луцька і Волині.",
        "Краєзнавче видання з ілюстраціями, картами й покажчиком назв населених пунктів Волині.",
    ],
    _CHILDREN: [
        "Для дітей дошкільного та молодшого шкільного віку.",
        "Яскраві ілюстрації та великий шрифт для першого самостійного читання.",
    ],
    "Право": ["Текст із усіма змінами станом на рік видання. Для юристів і громадян."],
    "Компʼютери": [
        "Покроковий посібник для початківців: компʼютер, інтернет, електронні послуги.",
    ],
    "Іноземні мови": ["Граматика, лексика та вправи з ключами для самостійного вивчення."],
    "Довідкові видання": [
        "Довідкове видання для бібліотек, навчальних закладів і широкого кола читачів.",
    ],
}
DEFAULT_ANNOTATION = ["Для широкого кола читачів."]

# (name, place, founded, kinds it publishes)
PUBLISHERS = [
    ("А-ба-ба-га-ла-ма-га", "Київ", 1992, {"children", "fiction"}),
    ("Видавництво Старого Лева", "Львів", 2001, {"children", "fiction", "poetry"}),
    ("Фоліо", "Харків", 1991, {"fiction", "history", "poetry", "general"}),
    ("Наш формат", "Київ", 2013, {"history", "general", "computers", "law"}),
    ("Віват", "Харків", 2013, {"fiction", "children", "general", "languages"}),
    ("Ранок", "Харків", 1997, {"children", "languages", "education", "computers"}),
    ("Наукова думка", "Київ", 1922, {"history", "science", "reference", "law", "languages"}),
    ("Дніпро", "Київ", 1919, {"fiction", "poetry"}),
]
LOCAL_PUBLISHERS = [("Волинські старожитності", "Луцьк"), ("Твердиня", "Луцьк")]
_KIND_OF_SUBJECT = {
    "Поезія": "poetry",
    "Українська література": "fiction",
    "Історія України": "history",
    _CHILDREN: "children",
    "Право": "law",
    "Компʼютери": "computers",
    "Іноземні мови": "languages",
    "Мовознавство": "languages",
    "Довідкові видання": "reference",
    "Освіта і педагогіка": "education",
    "Природа": "science",
    "Медицина": "science",
}
SERIES = {
    "Поезія": ["Бібліотека української поезії", "Шкільна бібліотека"],
    "Українська література": ["Шкільна бібліотека", "Українська класика", "Читанка"],
    "Історія України": ["Історична бібліотека", "Україна крізь віки"],
    _CHILDREN: ["Перші книжки", "Читаємо самі"],
    "Краєзнавство Волині": ["Волинь: краєзнавча бібліотечка"],
}


@dataclass(frozen=True, slots=True)
class Book:
    """One cleaned row of the list (or a title written for the demo)."""

    title: str
    author: str = ""
    year: int | None = None
    subjects: tuple[str, ...] = ()
    language: str = "ukr"
    material_type: str = Record.MaterialType.BOOK
    is_local_lore: bool = False
    periodical: bool = False


@lru_cache(maxsize=2)
def load_books(path: str = str(BOOKS_FILE)) -> tuple[Book, ...]:
    """The cleaned book list, in its file's order."""
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            Book(
                title=row["title"],
                author=row["author"],
                year=int(row["year"]) if row["year"] else None,
                subjects=tuple(name for name in row["subjects"].split("|") if name),
                language=row["language"],
                is_local_lore=row["is_local_lore"] == "1",
                periodical=row["periodical"] == "1",
            )
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=1)
def load_classics(path: str = str(CLASSICS_FILE)) -> tuple[Book, ...]:
    """The works a school reader looks for (data/books/classics.csv), in every demo."""
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            Book(
                title=row["title"],
                author=row["author"],
                year=int(row["year"]),
                subjects=tuple(name for name in row["subjects"].split("|") if name),
            )
            for row in csv.DictReader(handle)
        )


class BookList:
    """The rows in a fixed shuffled order (so a small demo has every century and subject), the
    curated titles and the classics (data/books/classics.csv) spread through the first
    records. Years after `this_year` read as unknown, so that a demo seeded «in the past» has
    no books from its future.

    The order does not come from the seeder's rng, so that a later run carries on with it."""

    def __init__(self, *, this_year: int, path: Path = BOOKS_FILE):
        order = [
            book if (book.year or 0) <= this_year else replace(book, year=None)
            for book in load_books(str(path))
        ]
        random.Random(2016).shuffle(order)
        for position, book in enumerate(CURATED):
            order.insert(position * CURATED_EVERY, book)
        for position, book in enumerate(load_classics()):
            order.insert(position * CLASSICS_EVERY + 1, book)
        self._order = order

    def __len__(self):
        return len(self._order)

    def __getitem__(self, index: int) -> Book:
        return self._order[index]

    def authors(self, *, since: int | None = None) -> list[str]:
        """Authors in «Прізвище І. Б.» form, of books published since a year if given."""
        return [
            entry.author
            for entry in self._order
            if surname_of(entry.author) and (since is None or (entry.year or 0) >= since)
        ]


# Titles a public library holds that the scraped list of older literature lacks: laws,
# textbooks, computer courses, children's books and the local-lore collection. Generic titles
# without invented authors, written for the demo.
CURATED = [
    Book("Конституція України", year=2023, subjects=("Право",)),
    Book("Цивільний кодекс України", year=2024, subjects=("Право",)),
    Book("Кодекс законів про працю України", year=2023, subjects=("Право",)),
    Book("Англійська мова: самовчитель для початківців", year=2021, subjects=("Іноземні мови",)),
    Book("Польська мова: розмовник", year=2022, subjects=("Іноземні мови",)),
    Book("Німецька мова для дорослих: курс A1–A2", year=2020, subjects=("Іноземні мови",)),
    Book(
        "Англійсько-український, українсько-англійський словник",
        year=2019,
        subjects=("Іноземні мови", "Довідкові видання"),
    ),
    Book("Компʼютер для людей поважного віку", year=2020, subjects=("Компʼютери",)),
    Book("Інтернет і смартфон: перші кроки", year=2022, subjects=("Компʼютери",)),
    Book("Основи програмування на Python", year=2023, subjects=("Компʼютери",)),
    Book(
        "Медіаграмотність: як розпізнати фейк",
        year=2022,
        subjects=("Компʼютери", "Освіта і педагогіка"),
    ),
    Book("Українські народні казки", year=2020, subjects=(_CHILDREN,)),
    Book("Абетка", year=2022, subjects=(_CHILDREN,)),
    Book("Колискові пісні", year=2018, subjects=(_CHILDREN, "Етнографія. Фольклор")),
    Book(
        "Луцьк: путівник",
        year=2019,
        subjects=("Краєзнавство Волині",),
        is_local_lore=True,
        material_type=Record.MaterialType.LOCAL_LORE,
    ),
    Book(
        "Луцький замок Любарта",
        year=2018,
        subjects=("Краєзнавство Волині", "Історія України"),
        is_local_lore=True,
    ),
    Book(
        "Календар знаменних і памʼятних дат Волині",
        year=2024,
        subjects=("Краєзнавство Волині", "Довідкові видання"),
        is_local_lore=True,
        material_type=Record.MaterialType.LOCAL_LORE,
    ),
    Book(
        "Луцьк на старих світлинах",
        year=2021,
        subjects=("Краєзнавство Волині",),
        is_local_lore=True,
        material_type=Record.MaterialType.LOCAL_LORE,
    ),
    Book(
        "Лесині місця на Волині", year=2021, subjects=("Краєзнавство Волині",), is_local_lore=True
    ),
    Book(
        "Луцька міська централізована бібліотечна система: історія в документах",
        year=2016,
        subjects=("Краєзнавство Волині",),
        is_local_lore=True,
        material_type=Record.MaterialType.LOCAL_LORE,
    ),
    Book(
        "Волинь у Другій світовій війні: документи і спогади",
        year=2015,
        subjects=("Краєзнавство Волині", "Історія України"),
        is_local_lore=True,
    ),
    Book(
        "Волинська газета: підшивка",
        year=2024,
        subjects=("Краєзнавство Волині",),
        is_local_lore=True,
        periodical=True,
    ),
]
CURATED_EVERY = 50  # one of these in every 50 records, so even a small demo has them all
_CURATED_SET = frozenset(CURATED)

ONLINE_RESOURCES = [
    # title, url, topic, language, description
    (
        "Національна бібліотека України імені В. І. Вернадського",
        "http://www.nbuv.gov.ua/",
        OnlineResource.Topic.LIBRARIES,
        "ukr",
        "Електронний каталог і наукова електронна бібліотека найбільшої бібліотеки України.",
    ),
    (
        "Електронна бібліотека «Культура України»",
        "http://elib.nlu.org.ua/",
        OnlineResource.Topic.LIBRARIES,
        "ukr",
        "Оцифровані книги, періодика й ноти з фондів Національної бібліотеки України "
        "імені Ярослава Мудрого.",
    ),
    (
        "Українська література — ukrlib",
        "https://www.ukrlib.com.ua/",
        OnlineResource.Topic.LIBRARIES,
        "ukr",
        "Твори української та зарубіжної літератури, біографії письменників, шкільна програма.",
    ),
    (
        "Ізборник: історія України IX–XVIII ст.",
        "http://litopys.org.ua/",
        OnlineResource.Topic.LIBRARIES,
        "ukr",
        "Першоджерела давньої української історії та літератури, літописи, дослідження.",
    ),
    (
        "Енциклопедія Сучасної України",
        "https://esu.com.ua/",
        OnlineResource.Topic.SCIENCE,
        "ukr",
        "Академічна енциклопедія Інституту енциклопедичних досліджень НАН України.",
    ),
    (
        "Дія — портал державних послуг",
        "https://diia.gov.ua/",
        OnlineResource.Topic.REGISTERS,
        "ukr",
        "Державні послуги онлайн: довідки, виплати, реєстрація бізнесу, документи.",
    ),
    (
        "Публічна кадастрова карта України",
        "https://map.land.gov.ua/",
        OnlineResource.Topic.REGISTERS,
        "ukr",
        "Земельні ділянки, їхні кадастрові номери, площа та цільове призначення.",
    ),
    (
        "Єдиний державний реєстр судових рішень",
        "https://reyestr.court.gov.ua/",
        OnlineResource.Topic.LAW,
        "ukr",
        "Тексти судових рішень усіх судів України з пошуком за справою, судом і датою.",
    ),
    (
        "Законодавство України",
        "https://zakon.rada.gov.ua/",
        OnlineResource.Topic.LAW,
        "ukr",
        "Офіційний вебпортал Верховної Ради: чинні закони, кодекси та постанови з усіма змінами.",
    ),
    (
        "Вебпортал електронних послуг Пенсійного фонду України",
        "https://portal.pfu.gov.ua/",
        OnlineResource.Topic.REGISTERS,
        "ukr",
        "Особовий рахунок, стаж, призначення пенсії та довідки онлайн.",
    ),
    (
        "Дія.Цифрова освіта",
        "https://osvita.diia.gov.ua/",
        OnlineResource.Topic.EDUCATION,
        "ukr",
        "Безкоштовні освітні серіали з цифрової грамотності для всіх поколінь.",
    ),
    (
        "Prometheus — онлайн-курси",
        "https://prometheus.org.ua/",
        OnlineResource.Topic.EDUCATION,
        "ukr",
        "Безкоштовні онлайн-курси від провідних університетів і викладачів.",
    ),
    (
        "Europeana",
        "https://www.europeana.eu/",
        OnlineResource.Topic.LIBRARIES,
        "eng",
        "Digitised books, manuscripts and images from European libraries, archives and museums.",
    ),
    (
        "Project Gutenberg",
        "https://www.gutenberg.org/",
        OnlineResource.Topic.LIBRARIES,
        "eng",
        "Over 70,000 free e-books of public-domain literature.",
    ),
]

# ---------------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------------

# Weight of a library when copies are spread: the central library holds most.
_BRANCH_WEIGHT = {"central": 3.0, "central_children": 2.0, "branch": 1.2, "children": 1.0}
_CHILDREN_KINDS = {"central_children", "children"}
INTAKE_SOURCES = [
    (IntakeBatch.Source.BUDGET, 0.35),
    (IntakeBatch.Source.DONATION, 0.25),
    (IntakeBatch.Source.AUTHOR_GIFT, 0.1),
    (IntakeBatch.Source.GRANT, 0.15),
    (IntakeBatch.Source.SPONSOR, 0.15),
]
SUPPLIERS = {
    IntakeBatch.Source.BUDGET: [
        "Український інститут книги",
        "Управління культури Луцької міської ради",
    ],
    IntakeBatch.Source.DONATION: [
        "Акція «Подаруй книгу бібліотеці»",
        "Читачі бібліотеки (акція дарування)",
    ],
    IntakeBatch.Source.GRANT: ["Український культурний фонд", "Міжнародний фонд «Відродження»"],
    IntakeBatch.Source.SPONSOR: ["Місцеві підприємці (спонсорська допомога)"],
}
BATCHES_PER_BRANCH = 12  # one intake act every three months over three years


def seed(*, rng, counts=None, stdout=None) -> int:
    """Top the demo catalogue up to `counts["records"]` records; returns how many were made.

    Each batch of records, with its people, subjects, copies and search documents, is one
    transaction: an interrupted run leaves whole batches and the next run carries on.
    """
    started = time.monotonic()
    target = int((counts or {}).get("records", DEFAULT_RECORDS))
    today = timezone.localdate()
    with transaction.atomic():
        _online_resources()
        existing = demo_records().count()
    index = _next_index() if existing else 0
    to_create = max(0, target - existing)
    if not to_create:
        # New titles join a demo catalogue; «--records 0» (libraries only) adds none.
        fresh = seed_new_titles(today=today) if existing else 0
        if stdout:
            stdout.write(f"catalog: {existing} demo records already there, none added")
            if fresh:
                stdout.write(f"catalog: {fresh} new titles arrived recently")
        return 0
    books = BookList(this_year=today.year)
    with transaction.atomic():
        branches = list(Branch.objects.order_by("sort_order", "pk"))
        if not branches:
            raise RuntimeError("No libraries: run the migrations before seed_demo.")
        author_gifts = books.authors(since=2000)[:200]
        ctx = _Context(
            rng=rng,
            books=books,
            subjects=_subjects_by_name(),
            branches=branches,
            batches={
                branch.pk: _intake_batches(branch, rng=rng, today=today, gifts=author_gifts)
                for branch in branches
            },
            helpers=books.authors()[:2000],
            persons={},
            today=today,
            now=timezone.now(),
        )
    created = copies = 0
    with (
        _document_pool(to_create) as pool,
        tqdm(
            total=to_create,
            desc="catalog demo",
            unit="rec",
            file=sys.stderr,
            mininterval=2,
        ) as progress,
    ):
        ctx.pool = pool
        while created < to_create:
            size = min(BATCH, to_create - created)
            with transaction.atomic():
                copies += _seed_batch(ctx, range(index, index + size))
            reset_queries()  # with DEBUG on, Django keeps every statement (megabytes each)
            index += size
            created += size
            progress.update(size)
    with transaction.atomic():
        _update_intake_costs([b.pk for batch in ctx.batches.values() for b in batch])
    fresh = seed_new_titles(today=today, books=books)
    if created:
        analyze(Record, Item, Contribution, IntakeBatch)
    if stdout:
        stdout.write(
            f"catalog: {created} new demo records ({existing + created} in all), {copies} new "
            f"copies in {len(ctx.branches)} libraries, {len(ONLINE_RESOURCES)} online resources "
            f"in {time.monotonic() - started:.1f} s"
        )
        if fresh:
            stdout.write(f"catalog: {fresh} new titles arrived recently")
    return created


seed.commits_in_batches = True


@dataclass
class _Context:
    rng: object
    books: BookList
    subjects: dict
    branches: list
    batches: dict
    helpers: list
    persons: dict
    today: date
    now: datetime
    pool: object = None  # processes computing search documents (`_document_pool`)

    @property
    def central(self):
        return next((b for b in self.branches if b.kind == Branch.Kind.CENTRAL), self.branches[0])


def _next_index() -> int:
    """One past the highest «demo:<n>» so far (records may have been deleted in between)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(MAX(substring(source_id from 6)::bigint), -1) FROM catalog_record "
            "WHERE source_id LIKE %s AND substring(source_id from 6) ~ '^[0-9]+$'",
            [DEMO_PREFIX + "%"],
        )
        return cursor.fetchone()[0] + 1


def _online_resources():
    for title, url, topic, language, description in ONLINE_RESOURCES:
        OnlineResource.objects.update_or_create(
            url=url,
            defaults={
                "title": title,
                "topic": topic,
                "language": language,
                "description": description,
            },
        )


def _subjects_by_name() -> dict[str, int]:
    for name in SUBJECTS:
        Subject.objects.get_or_create(name=name)
    return dict(Subject.objects.filter(name__in=list(SUBJECTS)).values_list("name", "pk"))


def _intake_batches(branch, *, rng, today, gifts) -> list[IntakeBatch]:
    """The branch's demo intake acts, one per quarter over three years, newest a few days old."""
    batches = list(IntakeBatch.objects.filter(branch=branch, note=DEMO_NOTE).order_by("date"))
    if batches:
        return batches
    sources, weights = zip(*INTAKE_SOURCES, strict=True)
    per_year = {}
    for step in reversed(range(BATCHES_PER_BRANCH)):
        day = today - timedelta(days=3 + step * 91 + rng.randint(0, 20))
        per_year[day.year] = per_year.get(day.year, 0) + 1
        source = rng.choices(sources, weights)[0]
        batches.append(
            IntakeBatch.objects.create(
                branch=branch,
                date=day,
                source=source,
                act_number=f"Д-{per_year[day.year]}/{day.year}",
                supplier=rng.choice(SUPPLIERS.get(source) or gifts or [""]),
                note=DEMO_NOTE,
            )
        )
    return batches


def _seed_batch(ctx: _Context, indexes: range) -> int:
    timer = _Timer()
    plans = [_plan_record(ctx, i) for i in indexes]
    timer("plan")
    return _write_plans(ctx, plans, timer)


def _write_plans(ctx: _Context, plans: list[dict], timer=None) -> int:
    """Records, their people, subjects, copies and search documents; returns the copies."""
    timer = timer or _Timer()
    _ensure_persons(ctx, {name for plan in plans for name, _role in plan["people"]})
    timer("persons")
    records = [plan["record"] for plan in plans]
    for record, pk in zip(records, _next_ids(Record, len(records)), strict=True):
        record.pk = pk
    # Each record written once, with its search document computed from the plan in memory.
    fields = [
        f
        for f in Record._meta.concrete_fields
        if f.attname not in ("search_document", "search_names")
    ]
    # Values as the instances hold them (text, numbers, dates, aware datetimes: psycopg
    # adapts them); `updated_at` (auto_now) is set in save(), so here.
    names = [f.attname for f in fields]
    prepared = [f for f in fields if isinstance(f, (models.FileField, models.JSONField))]
    rows = []
    now = timezone.now()
    for record in records:
        row = {name: getattr(record, name) for name in names}
        row["updated_at"] = now
        for f in prepared:
            row[f.attname] = f.get_db_prep_save(f.pre_save(record, True), connection)
        rows.append(row)
    rank_of_id = ordered_ids(Subject, ctx.subjects.values())
    subject_rank = {name: rank_of_id[pk] for name, pk in ctx.subjects.items()}
    sources = [
        (
            record.pk,
            {name: row[name] for name in _DOCUMENT_FIELDS},
            plan["people"],
            sorted(dict.fromkeys(plan["subjects"]), key=subject_rank.get),
        )
        for record, row, plan in zip(records, rows, plans, strict=True)
    ]
    parts = _documents(ctx.pool, sources)
    timer("documents")
    records_insert(rows, parts)
    timer("records")
    contributions, subject_links = [], []
    subject_through = Record.subjects.through
    for record, plan in zip(records, plans, strict=True):
        for position, (name, role) in enumerate(plan["people"]):
            contributions.append(
                {
                    "record_id": record.pk,
                    "person_id": ctx.persons[name],
                    "role": role,
                    "position": position,
                }
            )
        for subject in plan["subjects"]:
            subject_links.append({"record_id": record.pk, "subject_id": ctx.subjects[subject]})
    copy_insert(Contribution, contributions)
    copy_insert(subject_through, subject_links)
    timer("links")
    copies = _create_items(ctx, records, plans)
    timer("items")
    timer.report()
    return copies


NEW_PREFIX = "demo-new:"
NEW_TITLES_PER_MONTH = 18
NEW_TITLE_MONTHS = 3  # the «new arrivals» pages look 90 days back


def new_title_records():
    return Record.objects.filter(source_id__startswith=NEW_PREFIX)


def seed_new_titles(*, today, books=None) -> int:
    """A steady trickle of new titles: each month the libraries take in a few new books (this
    year's editions), one intake act per library, so «Нові надходження» is never empty.

    Deterministic per month (its own random generator) and idempotent: a title is keyed by
    month and number («demo-new:2026-11:3») and made once; this month's titles appear as
    their day comes, so running the seed again later in the month adds the next few.
    """
    months = []
    year, month = today.year, today.month
    for _ in range(NEW_TITLE_MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    have = set(new_title_records().values_list("source_id", flat=True))
    branches = list(Branch.objects.order_by("sort_order", "pk"))
    if not branches:
        return 0
    plans_by_month = []
    for year, month in reversed(months):
        rng = random.Random(f"new-titles:{year}-{month:02d}")
        last_day = calendar.monthrange(year, month)[1]
        # Each library's act of the month, on a fixed day; titles spread over those acts.
        act_days = {branch.pk: rng.randint(1, last_day) for branch in branches}
        titles = []
        for number in range(NEW_TITLES_PER_MONTH):
            holders = _pick_branches(
                rng, branches, rng.choices([1, 2, 3], [50, 35, 15])[0], children=False
            )
            pick = rng.random()
            titles.append((number, holders, pick))
        plans_by_month.append((year, month, act_days, titles))
    wanted = [
        (year, month, act_days, number, holders, pick)
        for year, month, act_days, titles in plans_by_month
        for number, holders, pick in titles
        if f"{NEW_PREFIX}{year}-{month:02d}:{number}" not in have
        and any(date(year, month, act_days[b.pk]) <= today for b in holders)
    ]
    if not wanted:
        return 0
    books = books or BookList(this_year=today.year)
    recent = [i for i in range(len(books)) if (books[i].year or 0) >= today.year - 12]
    pool = recent or list(range(len(books)))
    now = timezone.now()
    with transaction.atomic():
        ctx = _Context(
            rng=random.Random(f"new-titles:{today:%Y-%m}"),
            books=books,
            subjects=_subjects_by_name(),
            branches=branches,
            batches={},
            helpers=[],
            persons={},
            today=today,
            now=now,
        )
        plans = []
        for year, month, act_days, number, holders, pick in wanted:
            ctx.rng = random.Random(f"new-title:{year}-{month:02d}:{number}")
            plan = _plan_record(ctx, pool[int(pick * len(pool))], copies=False)
            record = plan["record"]
            record.source_id = f"{NEW_PREFIX}{year}-{month:02d}:{number}"
            record.year = year  # a new edition: this year's book
            record.edition = ""
            if record.isbn:  # not the ISBN of the older record of the same book
                record.isbn = isbn13(f"978617{(year * 997 + month * 89 + number) % 10**6:06d}")
            copies = []
            for branch in holders:
                day = date(year, month, act_days[branch.pk])
                if day > today:
                    continue
                added = datetime.combine(day, datetime.min.time(), tzinfo=KYIV) + timedelta(
                    hours=9, minutes=ctx.rng.randint(0, 480)
                )
                copies.append(
                    {
                        "branch": branch,
                        "batch": _month_act(branch, day),
                        "added": min(added, now),
                        "status": Item.Status.IN_PROCESSING
                        if (today - day).days <= 7
                        else Item.Status.ON_SHELF,
                        "price": _price(ctx.rng, year, record.material_type),
                    }
                )
            plan["copies"] = copies
            record.created_at = min(copy["added"] for copy in copies)
            plans.append(plan)
        _ensure_persons(ctx, {name for plan in plans for name, _role in plan["people"]})
        _write_plans(ctx, plans)
        _update_intake_costs(list({copy["batch"].pk for plan in plans for copy in plan["copies"]}))
    return len(plans)


def _month_act(branch, day: date) -> IntakeBatch:
    """The library's demo intake act of that month (made once, on its day)."""
    batch, _created = IntakeBatch.objects.get_or_create(
        branch=branch,
        act_number=f"Н-{day.month}/{day.year}",
        defaults={
            "date": day,
            "source": IntakeBatch.Source.BUDGET,
            "supplier": SUPPLIERS[IntakeBatch.Source.BUDGET][0],
            "note": DEMO_NOTE,
        },
    )
    return batch


def _next_ids(model, count: int) -> list[int]:
    """Primary keys taken from the table's sequence, so rows can be copied in with them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


_DOCUMENT_FIELDS = ("title", "subtitle", "series", "annotation", "responsibility")
# Below this many records a seed computes the search documents in its own process.
PARALLEL_FROM = 10_000


def _document_parts_of(sources: list[tuple]) -> list[dict]:
    return [document_parts(DocumentSource(*source)) for source in sources]


def _documents(pool, sources: list[tuple]) -> list[dict]:
    """The search documents of a batch: lemmas and transliteration are most of a seed's
    Python time, and pure functions of the text, so a big seed spreads them over the cores."""
    if pool is None:
        return _document_parts_of(sources)
    workers = pool._processes
    size = -(-len(sources) // workers)
    chunks = [sources[start : start + size] for start in range(0, len(sources), size)]
    return [part for chunk in pool.map(_document_parts_of, chunks) for part in chunk]


@contextlib.contextmanager
def _document_pool(records: int):
    """Forked processes that compute search documents (no database) for a big seed."""
    workers = min(4, os.cpu_count() or 1)
    if records < PARALLEL_FROM or workers < 2:
        yield None
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()  # the children are forked: they must not inherit a live socket
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


class _Timer:
    """Per-phase timings of a batch on stderr when DEMO_PROFILE is set (for tuning)."""

    enabled = bool(os.environ.get("DEMO_PROFILE"))

    def __init__(self):
        self.last = time.monotonic()
        self.phases = []

    def __call__(self, name):
        now = time.monotonic()
        self.phases.append(f"{name} {now - self.last:.2f}")
        self.last = now

    def report(self):
        if self.enabled:
            sys.stderr.write(" | ".join(self.phases) + "\n")


def _plan_record(ctx: _Context, index: int, *, copies: bool = True) -> dict:
    rng = ctx.rng
    book = ctx.books[index % len(ctx.books)]
    cycle = index // len(ctx.books)
    title, year, edition = book.title, book.year, ""
    if cycle:
        # Past the list's distinct titles: later editions (2nd to 10th) of the same work, then
        # further books of it («Кн. 2», …), each a few years after the previous one.
        step = cycle % 10
        if cycle >= 10:
            title = f"{book.title}. Кн. {cycle // 10 + 1}"[:500]
        if step:
            edition = rng.choice(
                ["{n} вид., переробл. і допов.", "{n} вид., стер.", "{n} вид., випр."]
            ).format(n=ordinal_edition(step + 1))
        if year:
            year = min(ctx.today.year, year + step * rng.randint(1, 4) + cycle // 10)
    subjects = list(book.subjects)
    material = book.material_type
    local = book.is_local_lore
    if book.periodical:
        material = Record.MaterialType.PERIODICAL
    elif material == Record.MaterialType.BOOK:
        roll = rng.random()
        if local and roll < 0.4:
            material = Record.MaterialType.LOCAL_LORE
        elif roll < 0.02 and (year or 0) >= 2005 and "Українська література" in subjects:
            material = Record.MaterialType.AUDIO
            edition = edition or "Аудіокнига"
        elif roll < 0.05 and (year or 9999) < 1930:
            material = Record.MaterialType.E_RESOURCE
            edition = edition or "Цифрова копія"
    kind = next((_KIND_OF_SUBJECT[s] for s in subjects if s in _KIND_OF_SUBJECT), "general")
    publisher, place = _publisher(rng, kind=kind, year=year, local=local)
    isbn = ""
    if (year or 0) >= 1995 and material != Record.MaterialType.PERIODICAL and rng.random() < 0.5:
        isbn = isbn13(f"978966{(index * 7919 + 12345) % 10**6:06d}")
    children = _CHILDREN in subjects
    age = ""
    if children:
        age = rng.choice(["0+", "6+", "6+", "12+"])
    elif (year or 0) >= 2000 and rng.random() < 0.3:
        age = rng.choice(["12+", "16+", "16+", "18+"])
    udc, bbk = SUBJECTS[subjects[0]][:2]
    if (year or 0) < 1991:
        udc, bbk = ("", bbk) if rng.random() < 0.7 else (udc, bbk)
    elif (year or 0) < 2010 and rng.random() < 0.5:
        pass  # both indices, as records converted in the 2000s carry
    else:
        bbk = ""
    people = []
    if book.author:
        people.append((book.author, Contribution.Role.AUTHOR))
    if ctx.helpers and rng.random() < 0.08:
        role = (
            Contribution.Role.ILLUSTRATOR
            if children
            else rng.choice([Contribution.Role.EDITOR, Contribution.Role.COMPILER])
        )
        helper = rng.choice(ctx.helpers)
        if helper != book.author:
            people.append((helper, role))
    responsibility = " ; ".join(
        ({"author": "", "editor": "за ред. ", "compiler": "упоряд. ", "illustrator": "худож. "}[r])
        + display_name(name)
        for name, r in people
    )
    series = ""
    if rng.random() < 0.12 and subjects[0] in SERIES:
        series = rng.choice(SERIES[subjects[0]])
    annotation = ""
    if rng.random() < 0.25 or book in _CURATED_SET:
        annotation = rng.choice(ANNOTATIONS.get(subjects[0], DEFAULT_ANNOTATION))
    record = Record(
        title=title,
        responsibility=responsibility[:500],
        publisher=publisher,
        place=place,
        year=year,
        edition=edition,
        isbn=isbn,
        language=book.language,
        material_type=material,
        udc=udc,
        bbk=bbk,
        series=series,
        age_rating=age,
        annotation=annotation,
        is_local_lore=local,
        source_id=f"{DEMO_PREFIX}{index}",
    )
    plan = {
        "record": record,
        "people": people,
        "subjects": subjects,
        "sign": _author_sign(book.author or book.title),
        "udc": udc or bbk,
    }
    if copies:
        plan["copies"] = _plan_copies(ctx, record, children=children)
        # Catalogued when the first copy came in, as a librarian would have done it.
        record.created_at = min(copy["added"] for copy in plan["copies"])
    return plan


def _publisher(rng, *, kind: str, year: int | None, local: bool) -> tuple[str, str]:
    if local and (year or 0) >= 1995 and rng.random() < 0.6:
        return rng.choice(LOCAL_PUBLISHERS)
    if year is not None and year < 1919:
        return "", rng.choices(["Львів", "Київ", "Харків"], [5, 3, 2])[0]
    fitting = [p for p in PUBLISHERS if year is None or p[2] <= year]
    preferred = [p for p in fitting if kind in p[3]] or fitting
    name, place, _founded, _kinds = rng.choice(preferred)
    return name, place


def _author_sign(value: str) -> str:
    """An author sign in the spirit of Havkina's table: initial letter and two digits."""
    letters = [ch for ch in value if ch.isalpha()]
    first = letters[0].upper() if letters else "А"
    return f"{first}{sum(ord(ch) for ch in value) % 90 + 10}"


def _ensure_persons(ctx: _Context, names: set[str]) -> None:
    missing = [name for name in names if name not in ctx.persons]
    if not missing:
        return
    Person.objects.bulk_create(
        [Person(name=name) for name in missing], batch_size=BATCH, ignore_conflicts=True
    )
    ctx.persons.update(Person.objects.filter(name__in=missing).values_list("name", "pk"))


def _plan_copies(ctx: _Context, record: Record, *, children: bool) -> list[dict]:
    """Which libraries hold copies, from which intake act, since when, in what state."""
    rng = ctx.rng
    year = record.year
    if record.material_type == Record.MaterialType.E_RESOURCE or (year or 9999) < 1945:
        branches = [ctx.central]  # rare books and digital copies: the central library
    else:
        copies = rng.choices([1, 2, 3, 4], [35, 30, 20, 15])[0]
        branches = _pick_branches(rng, ctx.branches, copies, children=children)
    planned = []
    for branch in branches:
        batch = None
        if year is None or year >= ctx.today.year - 4 or rng.random() < 0.3:
            possible = [b for b in ctx.batches[branch.pk] if year is None or b.date.year >= year]
            batch = rng.choice(possible) if possible else None
        if batch is not None:
            day = batch.date
        else:
            # Older stock, taken in before the acts kept here.
            first = max(_LEGACY_START, date((year or 1994) + 1, 1, 1))
            last = ctx.batches[branch.pk][0].date - timedelta(days=30)
            day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
        added = datetime.combine(day, datetime.min.time(), tzinfo=KYIV) + timedelta(
            hours=9, minutes=rng.randint(0, 480)
        )
        planned.append(
            {
                "branch": branch,
                "batch": batch,
                "added": min(added, ctx.now),
                "status": _status(rng, record, batch, ctx.today),
                "price": _price(rng, year, record.material_type),
            }
        )
    return planned


def _create_items(ctx: _Context, records, plans) -> int:
    """Copies with the next inventory numbers of each library (shared with the intake form)."""
    wanted = {}
    for plan in plans:
        for copy in plan["copies"]:
            wanted[copy["branch"].pk] = wanted.get(copy["branch"].pk, 0) + 1
    numbers = {
        branch.pk: iter(inventory_numbers_reserve(branch=branch, count=wanted[branch.pk]))
        for branch in ctx.branches
        if branch.pk in wanted
    }
    items = []
    for record, plan in zip(records, plans, strict=True):
        shelf_mark = f"{plan['udc']} {plan['sign']}".strip()
        for copy in plan["copies"]:
            inventory = next(numbers[copy["branch"].pk])
            items.append(
                {
                    "record_id": record.pk,
                    "branch_id": copy["branch"].pk,
                    "inventory_number": inventory,
                    "barcode": _barcode(inventory),
                    "shelf_mark": shelf_mark,
                    "status": copy["status"],
                    "price": copy["price"],
                    "intake_id": copy["batch"].pk if copy["batch"] is not None else None,
                    "added_at": copy["added"],
                }
            )
    copy_insert(Item, items)
    return len(items)


def _pick_branches(rng, branches, copies: int, *, children: bool) -> list:
    pool = []
    for branch in branches:
        weight = _BRANCH_WEIGHT.get(branch.kind, 1.0)
        if branch.kind in _CHILDREN_KINDS:
            weight *= 3.0 if children else 0.25
        elif children:
            weight *= 0.5
        pool.append([branch, weight])
    chosen = []
    for _ in range(min(copies, len(pool))):
        total = sum(weight for _, weight in pool)
        roll = rng.random() * total
        for entry in pool:
            roll -= entry[1]
            if roll <= 0:
                break
        chosen.append(entry[0])
        pool.remove(entry)
    return chosen


def _status(rng, record, batch, today) -> str:
    if batch is not None and (today - batch.date).days <= 14 and rng.random() < 0.6:
        return Item.Status.IN_PROCESSING
    if record.material_type in (Record.MaterialType.E_RESOURCE,) or (record.year or 9999) < 1945:
        return Item.Status.REFERENCE
    if record.material_type == Record.MaterialType.PERIODICAL and rng.random() < 0.4:
        return Item.Status.REFERENCE
    return rng.choices(
        [
            Item.Status.ON_SHELF,
            Item.Status.ON_LOAN,
            Item.Status.REFERENCE,
            Item.Status.IN_PROCESSING,
        ],
        [76, 16, 4, 4],
    )[0]


def _price(rng, year, material) -> Decimal:
    if year is None or year < 1945:
        cents = rng.randint(100, 2000) * 100  # an assessed value of an old edition
    elif year < 1991:
        cents = rng.randint(5, 60) * 100
    elif year < 2015:
        cents = rng.randint(40, 250) * 100 + rng.choice([0, 50])
    else:
        cents = rng.randint(150, 650) * 100 + rng.choice([0, 50, 90])
    if material == Record.MaterialType.PERIODICAL:
        cents = cents // 5
    return Decimal(cents) / 100


def _barcode(inventory_number: str) -> str:
    """EAN-13 for in-house use (prefix 2): library number, copy number and a check digit."""
    digits = re.sub(r"\D", "", inventory_number)[-11:].rjust(11, "0")
    body = "2" + digits
    return isbn13(body)


def _update_intake_costs(batch_ids: list[int]) -> None:
    """An act's cost is the sum of its copies' prices."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_intakebatch AS b SET cost = COALESCE(s.total, 0) "
            "FROM (SELECT b2.id, (SELECT SUM(price) FROM catalog_item i WHERE i.intake_id = b2.id)"
            " AS total FROM catalog_intakebatch b2 WHERE b2.id = ANY(%s)) AS s WHERE b.id = s.id",
            [batch_ids],
        )


def demo_records():
    return Record.objects.filter(source_id__startswith=DEMO_PREFIX)
