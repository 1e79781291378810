"""Catalogue relevance: does every way a reader types an author's name find the author's works?

    createdb -h 127.0.0.1 -U postgres lutsk_relevance
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lutsk_relevance
    DEBUG=true .venv/bin/python manage.py migrate
    DEBUG=false .venv/bin/python bench/relevance.py --seed-catalogue

`--seed-catalogue` first loads the project's book list (data/books, the file `seed_demo` reads)
as records through the demo seeder itself (`catalog.demo.seed`), one record per line of the
list, when the database has fewer. Then, for each author of AUTHORS and each query form
(case forms, first name and surname in both orders, initials, transliteration, the Latin
keyboard layout, swapped и/і/ї е/є, one letter left out), it asks `catalog.search.search_records`
as the search page does and prints per form, over the authors:

- recall: the share of the author's records (records with a contributor of that surname and
  first initial as author) among all the records the search returns;
- precision@10: the share of the first 10 results that are the author's (of the first
  min(10, the author's records) when the author has fewer than 10).

Target (issue 13): ≥ 0.95 for every form. `--show-misses` lists the authors below it.
"""

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict

from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()


from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from catalog import demo  # noqa: E402
from catalog.models import Contribution, Person  # noqa: E402
from catalog.search import search_records  # noqa: E402
from core import text  # noqa: E402

TARGET = 0.95

# (surname and first initial as the book list writes them, first name, its genitive, the
# surname's genitive and dative). Classics a school or public-library reader asks for, each
# with at least 9 records in the list.
AUTHORS = [
    ("Шевченко Т.", "Тарас", "Тараса", "Шевченка", "Шевченкові"),
    ("Франко І.", "Іван", "Івана", "Франка", "Франкові"),
    ("Українка Л.", "Леся", "Лесі", "Українки", "Українці"),
    ("Грушевський М.", "Михайло", "Михайла", "Грушевського", "Грушевському"),
    ("Винниченко В.", "Володимир", "Володимира", "Винниченка", "Винниченкові"),
    ("Рильський М.", "Максим", "Максима", "Рильського", "Рильському"),
    ("Лепкий Б.", "Богдан", "Богдана", "Лепкого", "Лепкому"),
    ("Тичина П.", "Павло", "Павла", "Тичини", "Тичині"),
    ("Вовчок М.", "Марко", "Марка", "Вовчка", "Вовчкові"),
    ("Хвильовий М.", "Микола", "Миколи", "Хвильового", "Хвильовому"),
    ("Нечуй-Левицький І.", "Іван", "Івана", "Нечуя-Левицького", "Нечуєві-Левицькому"),
    ("Старицький М.", "Михайло", "Михайла", "Старицького", "Старицькому"),
    ("Драгоманов М.", "Михайло", "Михайла", "Драгоманова", "Драгоманову"),
    ("Сосюра В.", "Володимир", "Володимира", "Сосюри", "Сосюрі"),
    ("Коцюбинський М.", "Михайло", "Михайла", "Коцюбинського", "Коцюбинському"),
    ("Гоголь М.", "Микола", "Миколи", "Гоголя", "Гоголю"),
    ("Яворницький Д.", "Дмитро", "Дмитра", "Яворницького", "Яворницькому"),
    ("Кримський А.", "Агатангел", "Агатангела", "Кримського", "Кримському"),
    ("Куліш П.", "Пантелеймон", "Пантелеймона", "Куліша", "Кулішеві"),
    ("Малишко А.", "Андрій", "Андрія", "Малишка", "Малишкові"),
    ("Стефаник В.", "Василь", "Василя", "Стефаника", "Стефаникові"),
    ("Загребельний П.", "Павло", "Павла", "Загребельного", "Загребельному"),
    ("Смолич Ю.", "Юрій", "Юрія", "Смолича", "Смоличу"),
    ("Стороженко О.", "Олекса", "Олекси", "Стороженка", "Стороженкові"),
    ("Нестайко В.", "Всеволод", "Всеволода", "Нестайка", "Нестайкові"),
    ("Котляревський І.", "Іван", "Івана", "Котляревського", "Котляревському"),
    (
        "Квітка-Основʼяненко Г.",
        "Григорій",
        "Григорія",
        "Квітки-Основʼяненка",
        "Квітці-Основʼяненку",
    ),
    ("Кобилянська О.", "Ольга", "Ольги", "Кобилянської", "Кобилянській"),
    ("Мирний П.", "Панас", "Панаса", "Мирного", "Мирному"),
    ("Драч І.", "Іван", "Івана", "Драча", "Драчеві"),
    ("Грінченко Б.", "Борис", "Бориса", "Грінченка", "Грінченкові"),
    ("Гончар О.", "Олесь", "Олеся", "Гончара", "Гончареві"),
    ("Самчук У.", "Улас", "Уласа", "Самчука", "Самчукові"),
    ("Довженко О.", "Олександр", "Олександра", "Довженка", "Довженкові"),
    ("Сковорода Г.", "Григорій", "Григорія", "Сковороди", "Сковороді"),
    ("Костенко Л.", "Ліна", "Ліни", "Костенко", "Костенко"),
    ("Зеров М.", "Микола", "Миколи", "Зерова", "Зерову"),
    ("Костомаров М.", "Микола", "Миколи", "Костомарова", "Костомарову"),
    ("Хоткевич Г.", "Гнат", "Гната", "Хоткевича", "Хоткевичу"),
]

# What the Latin layout gives for each Cyrillic key (the inverse of core.text's table).
_TO_LATIN = {
    cyr: lat
    for lat, cyr in zip(
        "qwertyuiop[]asdfghjkl;'zxcvbnm,.QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>",
        "йцукенгшщзхїфівапролджєячсмитьбюЙЦУКЕНГШЩЗХЇФІВАПРОЛДЖЄЯЧСМИТЬБЮ",
        strict=True,
    )
}
_SWAPS = {"и": "і", "і": "и", "ї": "і", "е": "є", "є": "е"}


def on_latin_layout(word: str) -> str:
    return "".join(_TO_LATIN.get(ch, ch) for ch in word.replace("ʼ", "'"))


def swapped_letter(word: str) -> str | None:
    """The surname with its last и/і/ї/е/є swapped for the letter readers confuse it with."""
    for position in range(len(word) - 1, 0, -1):
        if word[position] in _SWAPS:
            return word[:position] + _SWAPS[word[position]] + word[position + 1 :]
    return None


def letter_left_out(word: str) -> str:
    """The surname without a letter from its middle (never the first or the last)."""
    position = len(word) // 2
    return word[:position] + word[position + 1 :]


def forms(surname, initial, first, first_gen, surname_gen, surname_dat):
    latin_surname = text.transliterate(surname).capitalize()
    latin_first = text.transliterate(first).capitalize()
    found = {
        "nominative": surname,
        "genitive": surname_gen,
        "dative": surname_dat,
        "«твори» + genitive": f"твори {surname_gen}",
        "first name + surname": f"{first} {surname}",
        "surname + first name": f"{surname} {first}",
        "both in the genitive": f"{first_gen} {surname_gen}",
        "initial + surname": f"{initial}. {surname}",
        "surname + initial": f"{surname.lower()} {initial.lower()}.",
        "lower case, both": f"{first.lower()} {surname.lower()}",
        "transliterated": latin_surname,
        "transliterated, both": f"{latin_first} {latin_surname}",
        "Latin layout": on_latin_layout(surname),
        "Latin layout, both": f"{on_latin_layout(first)} {on_latin_layout(surname)}",
        "и/і/ї е/є swapped": swapped_letter(surname),
        "one letter left out": letter_left_out(surname),
    }
    return {form: query for form, query in found.items() if query}


def authors_records():
    """{author: set of record ids} for AUTHORS, by surname and first initial."""
    wanted = {}
    for entry in AUTHORS:
        surname, initial = entry[0].rsplit(" ", 1)
        parts, _ = text.person_name_parts(surname)
        wanted[("-".join(parts), text.fold_name(initial[0]))] = entry
    persons = defaultdict(list)
    for pk, name in Person.objects.values_list("pk", "name"):
        parts, initial = text.person_name_parts(name)
        key = ("-".join(parts), text.fold_name(initial))
        if key in wanted:
            persons[wanted[key]].append(pk)
    records = {}
    for entry, person_ids in persons.items():
        records[entry] = set(
            Contribution.objects.filter(
                person_id__in=person_ids, role=Contribution.Role.AUTHOR
            ).values_list("record_id", flat=True)
        )
    return records


def seed_catalogue():
    books = demo.BookList(this_year=2026)
    have = demo.demo_records().count()
    if have >= len(books):
        print(f"catalogue: {have} demo records, the whole book list ({len(books)}) is there")
        return
    started = time.perf_counter()
    demo.seed(rng=random.Random(2016), counts={"records": len(books)}, stdout=sys.stdout)
    print(f"catalogue: seeded to {len(books)} records in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed-catalogue", action="store_true", help="load the book list first")
    parser.add_argument("--show-misses", action="store_true", help="list authors below target")
    args = parser.parse_args()
    settings.CATALOG_SEARCH_CACHE_SECONDS = 0  # every query searched, none from the cache
    if args.seed_catalogue:
        seed_catalogue()

    started = time.perf_counter()
    records = authors_records()
    scores = defaultdict(lambda: {"recall": [], "precision": []})
    misses = []
    searches = 0
    for entry, relevant in records.items():
        if not relevant:
            continue
        surname, initial = entry[0].rsplit(" ", 1)
        for form, query in forms(surname, initial[0], *entry[1:]).items():
            ids = list(search_records(query=query).records.values_list("pk", flat=True))
            searches += 1
            recall = len(relevant & set(ids)) / len(relevant)
            top = min(10, len(relevant))
            precision = len(relevant & set(ids[:10])) / top
            scores[form]["recall"].append(recall)
            scores[form]["precision"].append(precision)
            if recall < TARGET or precision < TARGET:
                misses.append((form, query, len(relevant), len(ids), recall, precision))
    elapsed = time.perf_counter() - started

    authors = sum(1 for relevant in records.values() if relevant)
    total = sum(len(relevant) for relevant in records.values())
    print(f"database {connection.settings_dict['NAME']}: {authors} authors, {total} records")
    print()
    print(f"| query form | example | recall (min) | precision@10 (min) | ≥ {TARGET} |")
    print("|---|---|---:|---:|:---:|")
    examples = {}
    for entry in [AUTHORS[1], *AUTHORS]:  # Франко's, or the first author's that has the form
        surname, initial = entry[0].rsplit(" ", 1)
        for form, query in forms(surname, initial[0], *entry[1:]).items():
            examples.setdefault(form, query)
    for form, values in scores.items():
        recall = statistics.mean(values["recall"])
        precision = statistics.mean(values["precision"])
        ok = "yes" if recall >= TARGET and precision >= TARGET else "**no**"
        print(
            f"| {form} | «{examples.get(form, '')}» | {recall:.3f} ({min(values['recall']):.2f})"
            f" | {precision:.3f} ({min(values['precision']):.2f}) | {ok} |"
        )
    print()
    print(
        f"{searches} searches in {elapsed:.1f} s ({1000 * elapsed / max(searches, 1):.0f} ms each)"
    )
    if args.show_misses:
        print()
        for form, query, relevant, returned, recall, precision in misses:
            print(
                f"  {form:24} «{query}»: {relevant} records, {returned} returned, "
                f"recall {recall:.2f}, precision@10 {precision:.2f}"
            )


if __name__ == "__main__":
    main()
