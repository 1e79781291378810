"""Demo local-lore index: people and places of Lutsk and Volyn (real ones, with facts kept to
what is well known), a few works by the local writers with a copy each, and an issue of a
local newspaper with articles described analytically (their titles and authors invented for
the demo). Everything is marked as demo (`is_demo`, source ids «demo-lore:…»); safe to run
again."""

from django.db import transaction
from django.utils.text import slugify

from branches.models import Branch
from catalog.indexing import records_reindex
from catalog.models import Contribution, Item, Person, Record, Subject
from catalog.services import inventory_numbers_reserve
from core.text import transliterate
from lore.models import Figure, Place
from lore.services import figure_names_match

SOURCE_PREFIX = "demo-lore:"

# name, name_en, dates (or dates and their English), local writer, bio, bio_en, subject heading
# about the person
PEOPLE = [
    (
        "Українка, Леся",
        "Lesya Ukrainka",
        "1871–1913",
        True,
        "Поетеса і драматургиня, справжнє імʼя — Лариса Петрівна Косач. Народилася в "
        "Новограді-Волинському; дитинство минуло в Луцьку й Колодяжному на Волині.",
        "Poet and playwright, born Larysa Kosach in Novohrad-Volynskyi; she spent her "
        "childhood in Lutsk and Kolodiazhne in Volyn.",
        "Українка Леся",
    ),
    (
        "Пчілка, Олена",
        "Olena Pchilka",
        "1849–1930",
        True,
        "Письменниця, етнографиня і видавчиня, справжнє імʼя — Ольга Петрівна Косач "
        "(Драгоманова), мати Лесі Українки. Родина Косачів жила в Луцьку в 1879–1882 роках.",
        "Writer, ethnographer and publisher, born Olha Drahomanova, mother of Lesya Ukrainka; "
        "the Kosach family lived in Lutsk in 1879–1882.",
        "Пчілка Олена",
    ),
    (
        "Кримський, Агатангел Юхимович",
        "Ahatanhel Krymskyi",
        "1871–1942",
        True,
        "Сходознавець, мовознавець, письменник і перекладач, один із засновників Української "
        "академії наук. Народився у Володимирі на Волині.",
        "Orientalist, linguist, writer and translator, one of the founders of the Ukrainian "
        "Academy of Sciences; born in Volodymyr, Volyn.",
        "Кримський Агатангел",
    ),
    (
        "Самчук, Улас Олексійович",
        "Ulas Samchuk",
        "1905–1987",
        True,
        "Прозаїк, автор трилогії «Волинь» і роману «Марія». Народився в Дермані на Волині.",
        "Novelist, author of the trilogy «Volyn» and the novel «Maria»; born in Derman, Volhynia.",
        "Самчук Улас",
    ),
    (
        "Лис, Володимир Савович",
        "Volodymyr Lys",
        ("нар. 1950", "born 1950"),
        True,
        "Прозаїк і драматург з Луцька, автор роману «Століття Якова».",
        "Novelist and playwright from Lutsk, author of the novel «The Century of Yakiv».",
        "Лис Володимир",
    ),
    (
        "Братковський, Данило",
        "Danylo Bratkovskyi",
        ("бл. 1650–1702", "c. 1650–1702"),
        True,
        "Поет і громадський діяч Волині, автор збірки віршів «Світ, по частині розглянутий» "
        "(1697). Страчений у Луцьку 1702 року.",
        "Poet and public figure of Volyn, author of the verse collection «The World Viewed in "
        "Part» (1697); executed in Lutsk in 1702.",
        "Братковський Данило",
    ),
    (
        "Липинський, Вʼячеслав Казимирович",
        "Viacheslav Lypynskyi",
        "1882–1931",
        False,
        "Історик, політичний мислитель і публіцист. Народився в Затурцях на Волині.",
        "Historian, political thinker and writer; born in Zaturtsi, Volyn.",
        "Липинський Вʼячеслав",
    ),
    (
        "Стравінський, Ігор Федорович",
        "Igor Stravinsky",
        "1882–1971",
        False,
        "Композитор. Улітку жив у родинному маєтку в Устилузі на Волині, де писав ранні твори.",
        "Composer; he spent summers at the family estate in Ustyluh, Volyn, where he wrote "
        "early works.",
        "Стравінський Ігор",
    ),
    (
        "Любарт (Дмитро) Гедимінович",
        "Liubart (Dmytro) Gediminovich",
        ("XIV ст.", "14th century"),
        False,
        "Князь волинський, за якого в Луцьку звели муровані стіни й вежі Верхнього замку, "
        "що носить його імʼя.",
        "Prince of Volyn, under whom the stone walls and towers of Lutsk's Upper Castle, which "
        "bears his name, were built.",
        "Любарт",
    ),
    (
        "Косач, Петро Антонович",
        "Petro Kosach",
        "1842–1909",
        False,
        "Правник і громадський діяч, батько Лесі Українки; у 1879–1882 роках служив у Луцьку.",
        "Lawyer and public figure, father of Lesya Ukrainka; he served in Lutsk in 1879–1882.",
        "Косач Петро",
    ),
]

# Works by the writers: (author in the catalogue, title, year)
WORKS = [
    ("Українка, Леся", "Лісова пісня", 2019),
    ("Українка, Леся", "Бояриня", 2021),
    ("Пчілка, Олена", "Український народний орнамент", 2017),
    ("Самчук, Улас Олексійович", "Марія", 2018),
    ("Самчук, Улас Олексійович", "Волинь", 2016),
    ("Лис, Володимир Савович", "Століття Якова", 2020),
    ("Кримський, Агатангел Юхимович", "Андрій Лаговський", 2019),
]

# name, name_en, kind, description, description_en, subject heading about the place
PLACES = [
    (
        "Луцьк",
        "Lutsk",
        Place.Kind.CITY,
        "Обласний центр Волині на річці Стир, уперше згаданий у літописі під 1085 роком.",
        "The regional centre of Volyn on the Styr river, first mentioned in the chronicle "
        "under 1085.",
        "Луцьк",
    ),
    (
        "Луцький замок (замок Любарта)",
        "Lutsk Castle (Liubart's Castle)",
        Place.Kind.BUILDING,
        "Верхній замок у Старому місті Луцька, памʼятка XIV–XVI століть.",
        "The Upper Castle in Lutsk's Old Town, a monument of the 14th–16th centuries.",
        "Луцький замок",
    ),
    (
        "Старий Луцьк",
        "Old Lutsk",
        Place.Kind.DISTRICT,
        "Історико-культурний заповідник у центрі міста: замок, храми, давні вулиці.",
        "The historical and cultural reserve in the city centre: the castle, churches and old "
        "streets.",
        "Старий Луцьк",
    ),
    (
        "Стир",
        "Styr",
        Place.Kind.RIVER,
        "Права притока Прип'яті, на якій стоїть Луцьк.",
        "A right tributary of the Prypiat, on which Lutsk stands.",
        "Стир (річка)",
    ),
    (
        "Колодяжне",
        "Kolodiazhne",
        Place.Kind.VILLAGE,
        "Село біля Ковеля, де жила родина Косачів; тут працює літературно-меморіальний музей "
        "Лесі Українки.",
        "A village near Kovel where the Kosach family lived; home of the Lesya Ukrainka "
        "literary memorial museum.",
        "Колодяжне",
    ),
    (
        "Устилуг",
        "Ustyluh",
        Place.Kind.CITY,
        "Місто на Західному Бузі, де був маєток родини Стравінських.",
        "A town on the Western Bug with the Stravinsky family estate.",
        "Устилуг",
    ),
    (
        "Світязь",
        "Svitiaz",
        Place.Kind.RIVER,
        "Найбільше з Шацьких озер, у Шацькому національному природному парку.",
        "The largest of the Shatsk lakes, in the Shatsk National Nature Park.",
        "Світязь (озеро)",
    ),
    (
        "Володимир",
        "Volodymyr",
        Place.Kind.CITY,
        "Одне з найдавніших міст Волині, батьківщина Агатангела Кримського.",
        "One of the oldest towns of Volyn, birthplace of Ahatanhel Krymskyi.",
        "Володимир (місто)",
    ),
    (
        "Вулиця Лесі Українки (Луцьк)",
        "Lesya Ukrainka Street (Lutsk)",
        Place.Kind.STREET,
        "Пішохідна вулиця в центрі Луцька, що веде до Старого міста.",
        "A pedestrian street in the centre of Lutsk leading to the Old Town.",
        "Луцьк — Вулиці",
    ),
]

HOST = {
    "title": "Волинь-нова",
    "subtitle": "громадсько-політична газета",
    "place": "Луцьк",
    "year": 2021,
    "edition": "2021, № 34 (26 серп.)",
}
# (title, author or "", issue, pages, subjects)
ARTICLES = [
    (
        "Замок Любарта: що розповіли нові розкопки",
        "Ковальчук, Ірина",
        "2021, № 34",
        "4",
        ["Луцький замок"],
    ),
    (
        "Стежками Лесі Українки в Луцьку",
        "Мельник, Оксана",
        "2021, № 34",
        "6–7",
        ["Українка Леся", "Луцьк"],
    ),
    ("Як Стир змінив Луцьк", "", "2021, № 34", "9", ["Стир (річка)", "Луцьк"]),
    ("Улас Самчук і волинське село", "Грищук, Тарас", "2021, № 34", "10–11", ["Самчук Улас"]),
    ("Колодяжне чекає гостей", "", "2021, № 34", "12", ["Колодяжне"]),
]


def _slug(name: str) -> str:
    return slugify(transliterate(name))[:110].strip("-")


def _subject(name: str) -> Subject:
    return Subject.objects.get_or_create(name=name)[0]


def _record(key: str, **fields) -> tuple[Record, bool]:
    return Record.objects.get_or_create(source_id=f"{SOURCE_PREFIX}{key}", defaults=fields)


@transaction.atomic
def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    if Figure.objects.filter(is_demo=True).exists():
        return 0
    made = 0
    touched: list[int] = []
    branch = Branch.objects.public().order_by("pk").first()

    for index, (author, title, year) in enumerate(WORKS):
        record, created = _record(
            f"work-{index}", title=title, year=year, place="Київ", is_local_lore=True
        )
        if created:
            person = Person.objects.get_or_create(name=author)[0]
            Contribution.objects.create(record=record, person=person)
            touched.append(record.pk)
            made += 1
            if branch is not None:
                (number,) = inventory_numbers_reserve(branch=branch, count=1)
                Item.objects.create(
                    record=record,
                    branch=branch,
                    inventory_number=number,
                    status=Item.Status.ON_SHELF,
                )

    host, created = _record(
        "host",
        material_type=Record.MaterialType.PERIODICAL,
        is_local_lore=True,
        **HOST,
    )
    if created:
        touched.append(host.pk)
        made += 1
    for index, (title, author, issue, pages, subjects) in enumerate(ARTICLES):
        article, created = _record(
            f"article-{index}",
            title=title,
            year=HOST["year"],
            language="ukr",
            is_local_lore=True,
            host=host,
            host_part=issue,
            host_pages=pages,
        )
        if not created:
            continue
        if author:
            person = Person.objects.get_or_create(name=author)[0]
            Contribution.objects.create(record=article, person=person)
        article.subjects.add(*[_subject(name) for name in subjects])
        touched.append(article.pk)
        made += 1

    for name, name_en, dates, writer, bio, bio_en, heading in PEOPLE:
        dates, dates_en = dates if isinstance(dates, tuple) else (dates, "")
        figure = Figure.objects.create(
            name=name,
            name_en=name_en,
            slug=_slug(name_en),
            dates=dates,
            dates_en=dates_en,
            is_local_writer=writer,
            bio=bio,
            bio_en=bio_en,
            is_demo=True,
        )
        figure.subjects.add(_subject(heading))
        figure_names_match(figure=figure)
        made += 1
    for name, name_en, kind, description, description_en, heading in PLACES:
        place = Place.objects.create(
            name=name,
            name_en=name_en,
            slug=_slug(name_en),
            kind=kind,
            description=description,
            description_en=description_en,
            is_demo=True,
        )
        place.subjects.add(_subject(heading))
        made += 1
    # A book about the city, if the demo catalogue has one, is «about» Lutsk too.
    lutsk = Place.objects.get(is_demo=True, slug=_slug("Lutsk"))
    lutsk.records_about.add(
        *Record.objects.filter(title__icontains="Луцьк", host__isnull=True)
        .exclude(source_id__startswith=SOURCE_PREFIX)
        .order_by("pk")[:10]
    )
    records_reindex(touched)
    if stdout is not None:
        stdout.write(f"lore: {made} demo row(s) added.")
    return made
