"""MARC import throughput and peak memory, on synthetic UNIMARC records.

    .venv/bin/python bench/marc_import.py [--records 100000] [--workers 2] [--reimport]

Writes N RUSMARC records the way ІРБІС exports them (ISO 2709, CP1251, blank leader/09, 899
holdings) into a temporary file, built from the real titles and authors in
data/books/ukrainian_literature_1700-2024.csv, then imports them with the engine of
`manage.py import_marc` into a fresh database of its own (`bench_marc_import` on the server the
settings point at; dropped at the end unless --keep-db), so the demo data is never touched.
Prints records/s and the peak resident memory of the process before and after the import:
with streaming, the peak should not grow with N.
"""

import argparse
import csv
import os
import random
import resource
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()


import pymarc  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from pymarc import Field, Indicators, Subfield  # noqa: E402

BOOKS = [
    BASE_DIR / "data" / "books" / "ukrainian_literature_1700-2024.csv",
    BASE_DIR.parent / "shared" / "data" / "books" / "ukrainian_literature_1700-2024.csv",
]
SUBJECTS = [
    "Українська література -- 20 ст.",
    "Поезія",
    "Історія України",
    "Волинь -- Краєзнавство",
    "Дитяча література",
    "Педагогіка",
    "Право -- Україна",
    "Економіка",
    "Комп'ютерна грамотність",
    "Мистецтво",
]
PUBLISHERS = [
    ("Київ", "Дніпро"),
    ("Львів", "Видавництво Старого Лева"),
    ("Луцьк", "Волинська книга"),
    ("Харків", "Фоліо"),
    ("Тернопіль", "Навчальна книга - Богдан"),
]


def peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def memory_line(before: float) -> str:
    line = f"peak RSS {before:.0f} MB before, {peak_rss_mb():.0f} MB after"
    children = peak_rss_mb(resource.RUSAGE_CHILDREN)
    if children:
        line += f"; worker processes {children:.0f} MB each at most"
    return line + f"; load average {os.getloadavg()[0]:.1f}"


def load_books(limit=20000):
    for path in BOOKS:
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                rows = [(r["title"], r["author"]) for r in csv.DictReader(fh) if r["title"]]
            return rows[:limit]
    return [("КОБЗАР", "Шевченко Т.Г."), ("ЛІСОВА ПІСНЯ", "Українка Л.")]


def isbn13(n: int) -> str:
    body = f"978966{n % 1_000_000:06d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def synthetic_record(n: int, rng: random.Random, books) -> pymarc.Record:
    title, author = books[n % len(books)]
    title = title.capitalize()
    place, publisher = rng.choice(PUBLISHERS)
    year = rng.randint(1950, 2024)
    record = pymarc.Record(force_utf8=True, leader="00000nam0 2200000 i 450 ")
    record.add_field(Field(tag="001", data=f"BENCH/{n:08d}"))
    fields = [
        ("010", [("a", isbn13(n))]),
        ("100", [("a", f"20240101d{year}    u  y0ukry0189    ca")]),
        ("101", [("a", "ukr")]),
        ("200", [("a", title), ("e", "роман"), ("f", author or "")]),
        ("210", [("a", place), ("c", publisher), ("d", str(year))]),
        ("225", [("a", "Бібліотека школяра")]),
        ("330", [("a", f"{title}. Анотація до видання {n} для читачів бібліотеки.")]),
        ("606", [("a", rng.choice(SUBJECTS))]),
        ("610", [("a", rng.choice(SUBJECTS))]),
        ("675", [("a", "821.161.2")]),
        ("686", [("a", "84(4Укр)6"), ("2", "rubbk")]),
    ]
    if author:
        surname, _, initials = author.partition(" ")
        fields.append(("700", [("a", surname), ("b", initials), ("4", "070")]))
    for copy in range(rng.randint(1, 3)):
        fields.append(
            (
                "899",
                [
                    ("a", "LUTSK"),
                    ("j", f"84(4Укр)6 {surname[:1] if author else 'А'}"),
                    ("p", f"B{n:08d}-{copy}"),
                    ("x", f"Цена:{rng.randint(20, 400)}.00"),
                ],
            )
        )
    for tag, subfields in fields:
        values = [Subfield(code, value) for code, value in subfields if value]
        if values:
            record.add_field(Field(tag=tag, indicators=Indicators(" ", " "), subfields=values))
    return record


def write_file(path: Path, count: int, seed: int) -> None:
    from catalog.marc.mapping import UNIMARC
    from catalog.marc.writer import iso2709_bytes

    rng = random.Random(seed)
    books = load_books()
    with path.open("wb") as out:
        for n in range(count):
            out.write(iso2709_bytes(synthetic_record(n, rng, books), UNIMARC, encoding="cp1251"))


def run_import(path: Path, branch, batch_size: int, workers: int = 1):
    from catalog.marc.importer import ImportOptions, ImportReport, MarcImporter

    options = ImportOptions(branch=branch, batch_size=batch_size, workers=workers)
    report_path = path.with_suffix(".report.csv")
    with path.open("rb") as fh, report_path.open("w", encoding="utf-8-sig", newline="") as out:
        counts = MarcImporter(options=options, report=ImportReport(out)).run(
            fh, total_bytes=path.stat().st_size
        )
    if counts.warnings or counts.rejected:
        print(f"({counts.warnings} warnings, {counts.rejected} rejected: see {report_path})")
    return counts


def slice_file(source: Path, target: Path, limit: int | None) -> int:
    """Copy the first `limit` records of an ISO 2709 file (all when None); returns how many."""
    from catalog.marc.reader import iso2709_chunks

    count = 0
    with source.open("rb") as fh, target.open("wb") as out:
        for _offset, chunk, _problem in iso2709_chunks(fh):
            if limit is not None and count >= limit:
                break
            out.write(chunk)
            count += 1
    return count


def pymarc_parse_rate(path: Path) -> tuple[int, float]:
    """pymarc alone: every record of the file parsed to a Record (UTF-8), nothing else."""
    started = time.perf_counter()
    count = 0
    with path.open("rb") as fh:
        for record in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True):
            if record is not None:
                count += 1
    return count, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--workers", type=int, default=min(4, os.cpu_count() or 1), help="as import_marc"
    )
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument(
        "--file",
        type=Path,
        help="import this ISO 2709 file (e.g. pymarc's BooksAll.2016.part01.utf8) instead of "
        "synthetic records, after timing pymarc's parse of the same records",
    )
    parser.add_argument("--limit", type=int, help="with --file: only its first N records (a slice)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="with --file: measure N times (fresh database)"
    )
    parser.add_argument("--reimport", action="store_true", help="import the file a second time")
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--database",
        default="bench_marc_import",
        help="name of the database to create (and drop afterwards) on the settings' server",
    )
    args = parser.parse_args()

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = args.database
    if args.file:
        return measure_file(args)
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from branches.models import Branch

        branch = Branch.objects.get(slug="central")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.iso"
            started = time.perf_counter()
            write_file(path, args.records, args.seed)
            size_mb = path.stat().st_size / 1e6
            print(
                f"generated {args.records} UNIMARC records (CP1251, {size_mb:.1f} MB) "
                f"in {time.perf_counter() - started:.1f} s"
            )
            rss_before = peak_rss_mb()
            counts = run_import(path, branch, args.batch_size, args.workers)
            print(
                f"workers: {args.workers}, batch size {args.batch_size}, "
                f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
            )
            print(
                f"import:   {counts.loaded + counts.updated} records, "
                f"{counts.items_created} copies in {counts.seconds:.1f} s = "
                f"{counts.rate:.0f} records/s (rejected {counts.rejected}); "
                + memory_line(rss_before)
            )
            if args.reimport:
                counts = run_import(path, branch, args.batch_size, args.workers)
                print(
                    f"reimport: {counts.updated} records updated, {counts.loaded} new in "
                    f"{counts.seconds:.1f} s = {counts.rate:.0f} records/s; "
                    + memory_line(rss_before)
                )
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0, keepdb=args.keep_db)


def measure_file(args) -> None:
    """pymarc's parse-only rate and the import's rate on the same records, in the same run,
    each import into a fresh database; the ratio is what the issue's target is about."""
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file
        if args.limit:
            path = Path(tmp) / "slice.mrc"
            count = slice_file(args.file, path, args.limit)
            print(f"first {count} records of {args.file.name} ({path.stat().st_size / 1e6:.1f} MB)")
        for run in range(1, args.repeat + 1):
            load = os.getloadavg()[0]
            parsed, seconds = pymarc_parse_rate(path)
            parse_rate = parsed / seconds
            print(
                f"run {run}: pymarc parse only: {parsed} records in {seconds:.1f} s = "
                f"{parse_rate:.0f} records/s (load average {load:.1f})"
            )
            db_name = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, keepdb=False
            )
            try:
                from branches.models import Branch

                branch = Branch.objects.get(slug="central")
                rss_before = peak_rss_mb()
                counts = run_import(path, branch, args.batch_size, args.workers)
                print(
                    f"run {run}: import, {args.workers} workers, batch {args.batch_size}: "
                    f"{counts.loaded + counts.updated} records in {counts.seconds:.1f} s = "
                    f"{counts.rate:.0f} records/s (rejected {counts.rejected}) = "
                    f"{counts.rate / parse_rate:.0%} of pymarc's parse; " + memory_line(rss_before)
                )
                if args.reimport:
                    counts = run_import(path, branch, args.batch_size, args.workers)
                    print(
                        f"run {run}: reimport: {counts.updated} updated, {counts.loaded} new "
                        f"in {counts.seconds:.1f} s = {counts.rate:.0f} records/s; "
                        + memory_line(rss_before)
                    )
            finally:
                connection.creation.destroy_test_db(db_name, verbosity=0, keepdb=args.keep_db)


if __name__ == "__main__":
    main()
