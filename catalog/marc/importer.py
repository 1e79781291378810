"""The MARC import engine: streaming, batched, idempotent, with a report of what went wrong.

    with open(path, "rb") as fh, open(report_path, "w", encoding="utf-8-sig", newline="") as out:
        report = ImportReport(out)
        counts = MarcImporter(options=ImportOptions(branch=branch), report=report).run(fh)

* Streaming with constant memory: ISO 2709 is cut into records by their leader length (with a
  resynchronisation on the record terminator when a length lies), MARCXML is parsed with expat in
  64 KiB pieces; only the current batch is held.
* Each record is decoded (`catalog.marc.reader`), then mapped (`catalog.marc.mapping`) *before*
  anything is written; a record that fails either step is rejected on its own, with its number,
  byte offset and the reason.
* Good records are written in batches, one transaction per batch: it commits whole or not at all.
  Should the database still refuse a batch, it is retried record by record so that only the
  record at fault is rejected. Rows go in with COPY and UPDATE … FROM UNNEST (`catalog.marc.bulk`),
  and `catalog.indexing` builds each batch's search documents from the batch in memory.
* With `workers` > 1 (ISO 2709), forked processes take whole batches side by side; the parent
  only cuts the file and writes the report in file order. Transaction-level advisory locks on
  each record's keys (001, ISBN, title+year+publisher) make concurrent batches — or two imports
  at once — wait for each other instead of creating the same record twice. Stopping the parent
  (SIGTERM, Ctrl-C) stops the workers before it exits; should it be killed outright (SIGKILL),
  the kernel sends each worker SIGTERM (PR_SET_PDEATHSIG). A batch cut short is rolled back.
* A dry run writes each batch and rolls it back: it checks every record against the catalogue
  as it is, and holds no transaction or lock longer than one batch, whatever the file's size.
* A file with no MARC record at all (empty, Dublin Core, oai_marc) raises `NoMarcRecords`.
* Idempotent: a record is found again by its source control number (001), else by ISBN, else by
  title + year + publisher among records with neither; copies by inventory number. A record found
  by 001 takes the file's values (the source is the master copy); one found by ISBN or title only
  gets the values the file has and keeps the rest.
* Character sets (ISO 2709, when not given): leader/09 «a» → UTF-8; bytes that are valid UTF-8
  → UTF-8; UNIMARC 100$a/26-29 («50» UTF-8, «89» CP1251, «79» CP866, «99» KOI8-R); otherwise
  CP1251 for UNIMARC (the ІРБІС default) and MARC-8 for MARC21, with CP1251 tried when MARC-8
  cannot read the bytes.
"""

from __future__ import annotations

import collections
import contextlib
import io
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from django.db import DatabaseError, DataError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from branches.models import Branch
from catalog.indexing import document_parts, records_insert
from catalog.marc import mapping
from catalog.marc.bulk import (
    allocate_ids,
    copy_insert,
    document_source,
    lock_keys,
    reindex_batch,
    update_rows,
)
from catalog.marc.reader import (
    SYNTAXES,
    Parsed,
    Position,
    iso2709_chunks,
    normalize_encoding,
    parsed_from_chunk,
    quiet_pymarc,
    read_iso2709,
    read_marcxml,
    sniff_syntax,
)
from catalog.models import Contribution, Item, Person, Record, Subject
from core.db import analyze, ordered_ids
from core.exports import csv_writer

logger = logging.getLogger(__name__)

BLANK = ("", None, "und")


@dataclass
class ImportOptions:
    format: str = "auto"  # auto | unimarc | marc21
    syntax: str = "auto"  # auto | iso2709 | marcxml
    encoding: str | None = None  # None: detect per record
    branch: Branch | None = None  # where copies go when their location names no library
    restrict_to_branch: bool = False  # a librarian's upload: copies of other libraries untouched
    batch_size: int = 500
    dry_run: bool = False
    # Processes that decode, map and write batches side by side (ISO 2709 only; a dry run, a
    # caller's open transaction or a daemonic Celery worker keep it to one).
    workers: int = 1


@dataclass
class ImportCounts:
    seen: int = 0
    loaded: int = 0
    updated: int = 0
    rejected: int = 0
    warnings: int = 0
    items_created: int = 0
    items_updated: int = 0
    bytes_read: int = 0
    bytes_total: int | None = None
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return (self.loaded + self.updated) / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        # «label: number» reads right in Ukrainian for any number, with no plural forms.
        return _(
            "Нових записів: %(loaded)s, оновлено: %(updated)s, відхилено: %(rejected)s "
            "(попереджень: %(warnings)s; примірників додано: %(items_created)s, оновлено: "
            "%(items_updated)s; прочитано записів: %(seen)s за %(seconds)s с, "
            "%(rate)s записів/с)."
        ) % {
            "loaded": self.loaded,
            "updated": self.updated,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "items_created": self.items_created,
            "items_updated": self.items_updated,
            "seen": self.seen,
            "seconds": localize(round(self.seconds, 1)),
            "rate": f"{self.rate:.0f}",
        }


class NoMarcRecords(ValueError):
    """The file holds no MARC record at all (empty, or XML of another kind)."""


def no_records_message(syntax: str, xml_root: str = "") -> str:
    if syntax != "marcxml":
        return _(
            "У файлі немає жодного запису MARC: він порожній або не в форматі ISO 2709. "
            "Нічого не імпортовано."
        )
    kind = ""
    if xml_root in ("dc", "oai_dc"):
        kind = _("Це Dublin Core, а не MARC.")
    elif xml_root == "oai_marc":
        kind = _("Це старий формат oai_marc; потрібен MARCXML (marc21 або marcxchange).")
    elif xml_root:
        kind = _("Знайдено XML з елементами «%(name)s», а не записи MARCXML.") % {"name": xml_root}
    parts = [_("У файлі немає жодного запису MARCXML."), kind, _("Нічого не імпортовано.")]
    return " ".join(part for part in parts if part)


class ImportReport:
    """The rejected records and the warnings, streamed as CSV; the first few kept for display."""

    COLUMNS = ["record", "byte_offset", "line", "control_number", "title", "outcome", "message"]
    KEEP = 50

    def __init__(self, stream=None, *, path: str | Path | None = None):
        self.stream = stream
        self.path = Path(path) if path else None
        self.writer = csv_writer(stream) if stream is not None else None
        if self.writer:
            self.writer.writerow(self.COLUMNS)
        self.rejected = 0
        self.warnings = 0
        self.first_lines: list[str] = []

    def _row(self, outcome, position: Position, control_number, title, message):
        if self.writer:
            self.writer.writerow(
                [
                    position.number,
                    "" if position.offset is None else position.offset,
                    "" if position.line is None else position.line,
                    control_number,
                    (title or "")[:120],
                    outcome,
                    message,
                ]
            )
        if len(self.first_lines) < self.KEEP:
            label = _("відхилено") if outcome == "rejected" else _("попередження")
            ident = f" [{control_number}]" if control_number else ""
            self.first_lines.append(f"{position}{ident} — {label}: {message}")

    def reject(self, position, message, *, control_number="", title=""):
        self.rejected += 1
        self._row("rejected", position, control_number, title, message)

    def warn(self, position, message, *, control_number="", title=""):
        self.warnings += 1
        self._row("warning", position, control_number, title, message)

    def text(self, counts: ImportCounts) -> str:
        lines = [counts.summary()]
        lines += self.first_lines
        hidden = self.rejected + self.warnings - len(self.first_lines)
        if hidden > 0:
            lines.append(_("… і ще %(n)s рядків у звіті.") % {"n": hidden})
        return "\n".join(lines)


def database_refusal(exc: DatabaseError) -> str:
    """Why the database refused a record, in Ukrainian; PostgreSQL's words in parentheses."""
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, IntegrityError):
        reason = _("Запис суперечить іншому запису чи примірнику в каталозі")
    elif isinstance(exc, DataError):
        reason = _("Значення поля завелике або має хибний формат")
    else:
        reason = _("База даних не прийняла запис")
    return f"{reason} ({detail})."


# --- reading ISO 2709 ----------------------------------------------------------------------------


@dataclass
class _Pending:
    position: Position
    control_number: str
    data: mapping.RecordData
    warnings: list[str]


@dataclass
class _Tally:
    loaded: int = 0
    updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    warnings: list[tuple[_Pending, str]] = field(default_factory=list)


class MarcImporter:
    def __init__(
        self,
        *,
        options: ImportOptions,
        report: ImportReport,
        on_progress: Callable[[ImportCounts], None] | None = None,
        progress_bar: bool = False,
        progress_file=None,
    ):
        self.options = options
        self.report = report
        self.on_progress = on_progress
        self.progress_bar = progress_bar
        self.progress_file = progress_file
        self.counts = ImportCounts()
        slugs = Branch.objects.values_list("pk", "slug")
        self.branch_ids = {slug.lower(): pk for pk, slug in slugs}
        self.default_branch_id = options.branch.pk if options.branch else None

    # The whole run -----------------------------------------------------------------------------

    def run(self, fh, *, total_bytes: int | None = None) -> ImportCounts:
        from tqdm import tqdm

        self.counts.bytes_total = total_bytes
        syntax = self.options.syntax
        if syntax not in SYNTAXES:
            fh = fh if hasattr(fh, "peek") else io.BufferedReader(fh)
            syntax = sniff_syntax(fh)
        parallel = (
            self.options.workers > 1 and syntax == "iso2709" and not connection.in_atomic_block
        )
        started = time.monotonic()
        bar = tqdm(
            total=total_bytes,
            unit="B",
            unit_scale=True,
            desc="MARC",
            disable=not self.progress_bar,
            file=self.progress_file,
            mininterval=0.5,
        )
        # A dry run writes each batch and rolls it back (see `_flush`): no transaction, and no
        # advisory lock, lives longer than one batch, whatever the size of the file.
        self.xml_root = ""
        try:
            with quiet_pymarc():
                if parallel:
                    self._run_parallel(fh, bar, started)
                else:
                    if syntax == "marcxml":
                        records = read_marcxml(fh, found=self._xml_found)
                    else:
                        records = read_iso2709(
                            fh, fmt=self.options.format, encoding=self.options.encoding
                        )
                    self.process(records, bar=bar, started=started)
        finally:
            self.counts.seconds = time.monotonic() - started
            self.counts.rejected = self.report.rejected
            self.counts.warnings = self.report.warnings
            bar.set_postfix_str(self._postfix(), refresh=False)
            bar.close()
        if self.on_progress:
            self.on_progress(self.counts)
        if not self.counts.seen:
            raise NoMarcRecords(no_records_message(syntax, self.xml_root))
        return self.counts

    def _xml_found(self, root: str) -> None:
        self.xml_root = root

    def process(self, records: Iterable[Parsed], *, bar=None, started=None) -> None:
        """Map records and write them in batches; a repeated key starts a new batch, so that
        one batch never holds the same record twice."""
        started = started or time.monotonic()
        batch: list[_Pending] = []
        keys: set[tuple] = set()
        for parsed in records:
            self.counts.seen += 1
            self.counts.bytes_read += parsed.size
            if bar is not None:
                bar.update(parsed.size)
            pending = self._prepare(parsed)
            if pending is None:
                continue
            key = self._batch_key(pending.data)
            if key in keys or len(batch) >= self.options.batch_size:
                self._flush(batch)
                batch, keys = [], set()
                if bar is not None:
                    self._progress(bar, started)
            batch.append(pending)
            keys.add(key)
        self._flush(batch)

    def _run_parallel(self, fh, bar, started) -> None:
        """Batches of raw records go to worker processes, which decode, map and write them
        (each batch its own transaction); results come back in file order for the report."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from django.db import connections

        workers = self.options.workers
        options = replace(self.options, workers=1)
        connections.close_all()  # the workers are forked: they must not share our connection
        in_flight: collections.deque = collections.deque()

        def collect(future):
            result = future.result()
            self.counts.seen += result["seen"]
            self.counts.bytes_read += result["bytes"]
            self.counts.loaded += result["loaded"]
            self.counts.updated += result["updated"]
            self.counts.items_created += result["items_created"]
            self.counts.items_updated += result["items_updated"]
            for outcome, position, control_number, title, message in result["rows"]:
                write = self.report.reject if outcome == "rejected" else self.report.warn
                write(position, message, control_number=control_number, title=title)
            bar.update(result["bytes"])
            self._progress(bar, started)

        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
        try:
            with _signals_interrupt():
                chunks = []
                for number, (offset, chunk, problem) in enumerate(iso2709_chunks(fh), 1):
                    chunks.append((number, offset, chunk, problem))
                    if len(chunks) >= self.options.batch_size:
                        in_flight.append(pool.submit(_import_chunks, options, chunks))
                        chunks = []
                        while len(in_flight) >= workers * 2:
                            collect(in_flight.popleft())
                if chunks:
                    in_flight.append(pool.submit(_import_chunks, options, chunks))
                while in_flight:
                    collect(in_flight.popleft())
        except BaseException:
            # SIGTERM, Ctrl-C or a failure: the workers stop now rather than finish (and
            # commit) their batches; a batch cut short is rolled back by PostgreSQL.
            _workers_stop(pool)
            raise
        pool.shutdown(wait=True)

    def _postfix(self):
        c = self.counts
        return f"new {c.loaded} upd {c.updated} rej {self.report.rejected}"

    def _progress(self, bar, started):
        self.counts.seconds = time.monotonic() - started
        self.counts.rejected = self.report.rejected
        self.counts.warnings = self.report.warnings
        bar.set_postfix_str(self._postfix(), refresh=False)
        if self.on_progress:
            self.on_progress(self.counts)

    @staticmethod
    def _batch_key(data: mapping.RecordData) -> tuple:
        if data.source_id:
            return ("id", data.source_id)
        if data.isbn:
            return ("isbn", data.isbn)
        return ("fp", data.title, data.year, data.publisher)

    @staticmethod
    def _lock_keys(data: mapping.RecordData) -> list[tuple]:
        keys = [("fp", data.title, data.year, data.publisher)]
        if data.source_id:
            keys.append(("id", data.source_id))
        if data.isbn:
            keys.append(("isbn", data.isbn))
        return keys

    # One record: read → map, nothing written -----------------------------------------------------

    def _prepare(self, parsed: Parsed) -> _Pending | None:
        if parsed.error:
            self.report.reject(parsed.position, parsed.error, control_number=parsed.control_number)
            return None
        try:
            data = mapping.record_data(parsed.marc, self.options.format)
        except mapping.MappingError as exc:
            self.report.reject(parsed.position, str(exc), control_number=parsed.control_number)
            return None
        except Exception as exc:  # noqa: BLE001 — a mapper bug must not stop the whole file
            self.report.reject(
                parsed.position,
                _("Запис не вдалося розібрати (%(kind)s: %(detail)s).")
                % {"kind": type(exc).__name__, "detail": exc},
                control_number=parsed.control_number,
            )
            return None
        return _Pending(
            position=parsed.position,
            control_number=parsed.control_number or data.source_id,
            data=data,
            warnings=[*parsed.warnings, *data.warnings],
        )

    # One batch: one transaction ------------------------------------------------------------------

    def _refresh_statistics(self) -> None:
        """ANALYZE the tables the import fills each time what this process loaded grows
        fourfold (1,000, 4,000, 16,000 … records). The look-ups of the next batches (records by
        source id, copies by inventory number) are planned from the row counts PostgreSQL last
        saw; a catalogue that was nearly empty at the start would otherwise be scanned whole
        for every batch where autovacuum is off or has not caught up."""
        if self.options.dry_run or connection.in_atomic_block:
            return
        if self.counts.loaded < getattr(self, "_analyzed_at", 1000):
            return
        self._analyzed_at = self.counts.loaded * 4
        analyze(Record, Item, Contribution, Person, Subject)

    def _flush(self, batch: list[_Pending]) -> None:
        if not batch:
            return
        try:
            with transaction.atomic():
                tally = self._write(batch)
                if self.options.dry_run:
                    # Checked against the catalogue, then undone; the rollback also frees the
                    # batch's advisory locks. A record repeated in a later batch is therefore
                    # counted as new again.
                    transaction.set_rollback(True)
        except DatabaseError as exc:
            if len(batch) == 1:
                pending = batch[0]
                self._warn_all(pending)
                self.report.reject(
                    pending.position,
                    database_refusal(exc),
                    control_number=pending.control_number,
                    title=pending.data.title,
                )
                return
            for pending in batch:
                self._flush([pending])
            return
        self.counts.loaded += tally.loaded
        self.counts.updated += tally.updated
        self.counts.items_created += tally.items_created
        self.counts.items_updated += tally.items_updated
        self._refresh_statistics()
        for pending in batch:
            self._warn_all(pending)
        for pending, message in tally.warnings:
            self.report.warn(
                pending.position,
                message,
                control_number=pending.control_number,
                title=pending.data.title,
            )

    def _warn_all(self, pending: _Pending):
        for message in pending.warnings:
            self.report.warn(
                pending.position,
                message,
                control_number=pending.control_number,
                title=pending.data.title,
            )
        pending.warnings = []

    def _write(self, batch: list[_Pending]) -> _Tally:
        tally = _Tally()
        now = timezone.now()
        lock_keys(key for pending in batch for key in self._lock_keys(pending.data))
        matches = self._match(batch)  # index → (existing values, matched by source id?)
        person_ids = self._ensure(
            Person, {c.name: c.dates for p in batch for c in p.data.contributors}
        )
        subject_ids = self._ensure(Subject, {s: None for p in batch for s in p.data.subjects})

        new_rows, updated_rows, updated_index = [], [], []
        record_ids: dict[int, int] = {}
        for index, pending in enumerate(batch):
            values = pending.data.record_values()
            found = matches.get(index)
            if found is None:
                new_rows.append((index, values))
                continue
            existing, authoritative = found
            row = dict(existing)
            for name, value in values.items():
                if (authoritative or value not in BLANK) and not (
                    name == "source_id" and not value
                ):
                    row[name] = value
            row["updated_at"] = now
            updated_rows.append(row)
            updated_index.append(index)
            record_ids[index] = row["pk"]
        for (index, values), pk in zip(new_rows, allocate_ids(Record, len(new_rows)), strict=True):
            values.update(id=pk, created_at=now, updated_at=now)
            record_ids[index] = pk
        # In the order `record.subjects.all()` gives them (Subject's default ordering).
        rank_of_id = ordered_ids(Subject, subject_ids.values())
        subject_rank = {name: rank_of_id[pk] for name, pk in subject_ids.items()}
        # New records are written once, with their search documents; updated ones get theirs
        # after the UPDATE of their fields.
        records_insert(
            [values for _i, values in new_rows],
            [
                document_parts(
                    document_source(record_ids[index], values, batch[index].data, subject_rank)
                )
                for index, values in new_rows
            ],
        )
        update_rows(Record, updated_rows, [*mapping.RECORD_FIELDS, "updated_at"])
        tally.loaded = len(new_rows)
        tally.updated = len(updated_rows)

        # Contributors and subjects: the file's list replaces what the record had.
        updated_ids = [row["pk"] for row in updated_rows]
        through = Record.subjects.through
        if updated_ids:
            Contribution.objects.filter(record_id__in=updated_ids).delete()
            through.objects.filter(record_id__in=updated_ids).delete()
        contributions, subject_links = [], []
        for index, pending in enumerate(batch):
            record_id = record_ids[index]
            seen = set()
            for position, person in enumerate(pending.data.contributors):
                key = (person_ids[person.name], person.role)
                if key not in seen:
                    seen.add(key)
                    contributions.append(
                        {
                            "record_id": record_id,
                            "person_id": key[0],
                            "role": person.role,
                            "position": position,
                        }
                    )
            for subject_id in dict.fromkeys(subject_ids[s] for s in pending.data.subjects):
                subject_links.append({"record_id": record_id, "subject_id": subject_id})
        copy_insert(Contribution, contributions)
        copy_insert(through, subject_links)

        self._link_hosts(batch, record_ids, matches, tally)
        self._write_items(batch, record_ids, tally, now)
        reindex_batch(
            [
                document_source(row["pk"], row, batch[index].data, subject_rank)
                for index, row in zip(updated_index, updated_rows, strict=True)
            ]
        )
        return tally

    @staticmethod
    def _link_hosts(batch, record_ids: dict[int, int], matches, tally: _Tally) -> None:
        """Analytical records (463/773) point at their host: found by its control number
        (001), else by title and year when exactly one record has them. The host must be in
        the catalogue already or earlier in the file; a record updated by its control number
        whose file record names no host loses the one it had."""
        wanted = {index: p.data.host for index, p in enumerate(batch) if p.data.host}
        cleared = [
            record_ids[index]
            for index, (_row, authoritative) in matches.items()
            if authoritative and index not in wanted
        ]
        rows = []
        if cleared:
            rows += [
                {"pk": pk, "host_id": None}
                for pk in Record.objects.filter(pk__in=cleared, host__isnull=False).values_list(
                    "pk", flat=True
                )
            ]
        if wanted:
            source_ids = {link.source_id for link in wanted.values() if link.source_id}
            by_source = dict(
                Record.objects.filter(source_id__in=source_ids).values_list("source_id", "pk")
            )
            titles = {link.title for link in wanted.values() if link.title}
            by_title: dict[str, list[tuple[int, int | None]]] = {}
            for pk, title, year in Record.objects.filter(title__in=titles).values_list(
                "pk", "title", "year"
            ):
                by_title.setdefault(title, []).append((pk, year))
            for index, link in wanted.items():
                record_id = record_ids[index]
                host_id = by_source.get(link.source_id) if link.source_id else None
                if host_id is None and link.title:
                    same = [
                        pk
                        for pk, year in by_title.get(link.title, [])
                        if pk != record_id and (link.year is None or year == link.year)
                    ]
                    host_id = same[0] if len(same) == 1 else None
                if host_id is None or host_id == record_id:
                    tally.warnings.append(
                        (
                            batch[index],
                            _(
                                "Джерело статті «%(host)s» не знайдено в каталозі: "
                                "імпортуйте спершу запис видання, потім статті."
                            )
                            % {"host": link.title or link.source_id},
                        )
                    )
                    continue
                rows.append({"pk": record_id, "host_id": host_id})
        update_rows(Record, rows, ["host"])

    def _match(self, batch: list[_Pending]) -> dict[int, tuple[dict, bool]]:
        fields = ["pk", *mapping.RECORD_FIELDS]
        matches: dict[int, tuple[dict, bool]] = {}
        source_ids = {p.data.source_id for p in batch if p.data.source_id}
        by_source = {}
        if source_ids:
            found = Record.objects.filter(source_id__in=source_ids).values_list("source_id", "pk")
            by_source = dict(found)
        isbn_wanted, fingerprint_wanted = {}, {}
        for index, pending in enumerate(batch):
            data = pending.data
            if data.source_id and data.source_id in by_source:
                matches[index] = ({"pk": by_source[data.source_id]}, True)
            elif data.isbn:
                isbn_wanted[index] = data.isbn
            elif not data.source_id:
                fingerprint_wanted[index] = (data.title, data.year, data.publisher)
        if isbn_wanted:
            candidates: dict[str, list[dict]] = {}
            found = Record.objects.filter(isbn__in=set(isbn_wanted.values())).order_by("pk")
            for row in found.values(*fields):
                candidates.setdefault(row["isbn"], []).append(row)
            taken = {row["pk"] for row, _a in matches.values()}
            for index, isbn in isbn_wanted.items():
                data = batch[index].data
                usable = [
                    row
                    for row in candidates.get(isbn, [])
                    if row["pk"] not in taken and (not row["source_id"] or not data.source_id)
                ]
                same_title = [row for row in usable if row["title"] == data.title]
                chosen = same_title[0] if same_title else (usable[0] if len(usable) == 1 else None)
                if chosen is None and len(usable) > 1:
                    batch[index].warnings.append(
                        _("ISBN %(isbn)s мають кілька записів з іншими назвами — створено новий.")
                        % {"isbn": isbn}
                    )
                if chosen is not None:
                    taken.add(chosen["pk"])
                    matches[index] = (chosen, False)
        if fingerprint_wanted:
            titles = {t for t, _y, _p in fingerprint_wanted.values()}
            existing = {}
            found = Record.objects.filter(title__in=titles, source_id="", isbn="").order_by("pk")
            for row in found.values(*fields):
                existing.setdefault((row["title"], row["year"], row["publisher"]), row)
            for index, key in fingerprint_wanted.items():
                if key in existing:
                    matches[index] = (existing.pop(key), False)
        return matches

    @staticmethod
    def _ensure(model, names: dict[str, str | None]) -> dict[str, int]:
        """Ids of Person or Subject rows with these names, creating the missing ones (in name
        order, so that concurrent imports wait for each other instead of deadlocking)."""
        if not names:
            return {}
        table = connection.ops.quote_name(model._meta.db_table)
        wanted = sorted(names)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name, id FROM {table} WHERE name = ANY(%s)", [wanted])
            ids = dict(cursor.fetchall())
            missing = [name for name in wanted if name not in ids]
            if missing:
                if model is Person:
                    cursor.execute(
                        f"INSERT INTO {table} (name, dates) SELECT * FROM unnest(%s::text[], "
                        "%s::text[]) ON CONFLICT (name) DO NOTHING RETURNING name, id",
                        [missing, [names[name] or "" for name in missing]],
                    )
                else:
                    cursor.execute(
                        f"INSERT INTO {table} (name) SELECT unnest(%s::text[]) "
                        "ON CONFLICT (name) DO NOTHING RETURNING name, id",
                        [missing],
                    )
                ids.update(cursor.fetchall())
                # Names another import inserted meanwhile: DO NOTHING returns none of them.
                others = [name for name in missing if name not in ids]
                if others:
                    cursor.execute(f"SELECT name, id FROM {table} WHERE name = ANY(%s)", [others])
                    ids.update(cursor.fetchall())
        return ids

    def _branch_for(self, item: mapping.ItemData) -> int | None:
        for location in item.locations:
            branch_id = self.branch_ids.get(location.lower())
            if branch_id:
                return branch_id
        return self.default_branch_id

    def _write_items(self, batch, record_ids: dict[int, int], tally: _Tally, now) -> None:
        wanted = []  # (pending, record id, ItemData, branch id)
        seen_inventory: set[str] = set()
        for index, pending in enumerate(batch):
            for item in pending.data.items:
                problem = None
                branch_id = self._branch_for(item)
                if item.inventory_number in seen_inventory:
                    problem = _("Інвентарний номер %(n)s повторюється у файлі — пропущено.")
                elif branch_id is None:
                    problem = _(
                        "Примірник %(n)s: місце «%(where)s» не відповідає жодній бібліотеці, "
                        "а --branch не задано — не створено."
                    )
                elif self.options.restrict_to_branch and branch_id != self.default_branch_id:
                    problem = _("Примірник %(n)s належить іншій бібліотеці — пропущено.")
                if problem:
                    where = " / ".join(item.locations)
                    tally.warnings.append(
                        (pending, problem % {"n": item.inventory_number, "where": where})
                    )
                    continue
                seen_inventory.add(item.inventory_number)
                wanted.append((pending, record_ids[index], item, branch_id))
        if not wanted:
            return
        existing = {
            row["inventory_number"]: row
            for row in Item.objects.filter(inventory_number__in=seen_inventory).values(
                "pk",
                "inventory_number",
                "record_id",
                "branch_id",
                "status",
                "barcode",
                "shelf_mark",
                "price",
            )
        }
        barcodes = {w[2].barcode for w in wanted if w[2].barcode}
        barcode_owner = dict(
            Item.objects.filter(barcode__in=barcodes).values_list("barcode", "inventory_number")
        )
        new_items, changed_items = [], []
        for pending, record_id, data, branch_id in wanted:
            barcode = data.barcode or None
            owner = barcode_owner.get(barcode, data.inventory_number) if barcode else None
            if barcode and owner != data.inventory_number:
                tally.warnings.append(
                    (
                        pending,
                        _("Штрихкод %(code)s уже має примірник %(other)s — %(n)s без штрихкоду.")
                        % {"code": barcode, "other": owner, "n": data.inventory_number},
                    )
                )
                barcode = None
            if barcode:
                barcode_owner[barcode] = data.inventory_number
            row = existing.get(data.inventory_number)
            if row is None:
                if data.status == Item.Status.WITHDRAWN:
                    tally.warnings.append(
                        (
                            pending,
                            _("Примірник %(n)s у файлі списаний — не створено.")
                            % {"n": data.inventory_number},
                        )
                    )
                    continue
                new_items.append(
                    {
                        "record_id": record_id,
                        "branch_id": branch_id,
                        "inventory_number": data.inventory_number,
                        "barcode": barcode,
                        "shelf_mark": data.shelf_mark,
                        "status": data.status or Item.Status.ON_SHELF,
                        "price": data.price if data.price is not None else Decimal("0"),
                        "added_at": now,
                    }
                )
                continue
            problem = None
            if row["record_id"] != record_id:
                problem = _(
                    "Примірник %(n)s уже належить іншому запису (№ %(other)s) — не змінено."
                )
            elif self.options.restrict_to_branch and row["branch_id"] != self.default_branch_id:
                problem = _("Примірник %(n)s належить іншій бібліотеці — не змінено.")
            elif row["status"] == Item.Status.WITHDRAWN:
                problem = _("Примірник %(n)s списаний — не змінено.")
            if problem:
                tally.warnings.append(
                    (pending, problem % {"n": data.inventory_number, "other": row["record_id"]})
                )
                continue
            row["branch_id"] = branch_id
            row["shelf_mark"] = data.shelf_mark
            if barcode:
                row["barcode"] = barcode
            if data.price is not None:
                row["price"] = data.price
            if data.status == Item.Status.WITHDRAWN:
                tally.warnings.append(
                    (
                        pending,
                        _("Примірник %(n)s у файлі списаний — спишіть його актом списання.")
                        % {"n": data.inventory_number},
                    )
                )
            elif data.status and row["status"] != Item.Status.ON_LOAN:
                row["status"] = data.status
            changed_items.append(row)
        copy_insert(Item, new_items)
        update_rows(Item, changed_items, ["branch", "shelf_mark", "barcode", "price", "status"])
        tally.items_created += len(new_items)
        tally.items_updated += len(changed_items)


class _CollectingReport(ImportReport):
    """A worker's report: every row kept, for the parent to write in file order."""

    def __init__(self):
        super().__init__(None)
        self.rows: list[tuple] = []

    def _row(self, outcome, position, control_number, title, message):
        self.rows.append((outcome, position, control_number, title, message))


class ImportInterrupted(KeyboardInterrupt):
    """The importing process was asked to stop (SIGTERM)."""


@contextlib.contextmanager
def _signals_interrupt():
    """While workers run, SIGTERM interrupts the parent like Ctrl-C does, so that it can stop
    them before it exits (by default SIGTERM ends the parent at once and orphans them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise ImportInterrupted(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _workers_stop(pool) -> None:
    # The executor has no public way to stop a running call before Python 3.14
    # (terminate_workers); its process table is the only handle on the workers.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)


PR_SET_PDEATHSIG = 1


def _worker_start(parent_pid: int) -> None:
    """In each worker, first: Ctrl-C (sent to the whole process group) is the parent's to
    handle, SIGTERM ends the worker, and the worker gets SIGTERM when the parent dies — even by
    SIGKILL, which the parent cannot catch (Linux prctl; elsewhere a thread watches the parent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


def _import_chunks(options: ImportOptions, chunks: list[tuple]) -> dict:
    """In a worker process: decode, map and write one batch of raw records."""
    report = _CollectingReport()
    importer = MarcImporter(options=options, report=report)
    with quiet_pymarc():
        importer.process(
            parsed_from_chunk(
                number, offset, chunk, problem, fmt=options.format, encoding=options.encoding
            )
            for number, offset, chunk, problem in chunks
        )
    counts = importer.counts
    return {
        "seen": counts.seen,
        "bytes": counts.bytes_read,
        "loaded": counts.loaded,
        "updated": counts.updated,
        "items_created": counts.items_created,
        "items_updated": counts.items_updated,
        "rows": report.rows,
    }


def marc_import(
    source,
    *,
    options: ImportOptions,
    report: ImportReport,
    total_bytes: int | None = None,
    **kwargs,
) -> ImportCounts:
    """Import one open binary file; see `MarcImporter` for the keyword arguments."""
    return MarcImporter(options=options, report=report, **kwargs).run(
        source, total_bytes=total_bytes
    )


# --- an upload from admin, run by catalog.tasks.marc_import_task ----------------------------


COUNTER_FIELDS = ("loaded", "updated", "rejected", "warnings", "items_created", "items_updated")
HEARTBEAT_SECONDS = 10
# An upload «running» without a heartbeat for this long has lost its worker (killed, machine
# restarted); a redelivered task may take it over. Well under CELERY_VISIBILITY_TIMEOUT (300 s),
# after which the broker redelivers a task whose worker never acknowledged it.
HEARTBEAT_STALE_SECONDS = 90


def marc_upload_claim(*, upload_id: int) -> bool:
    """Mark the upload as running by this worker, unless it is done or another worker is
    running it (its heartbeat is fresh). One UPDATE: of two workers given the same upload, the
    second waits for the first's row lock, then finds the heartbeat fresh and gets False."""
    from django.db.models import Q

    from catalog.models import MarcImport

    now = timezone.now()
    stale = now - timezone.timedelta(seconds=HEARTBEAT_STALE_SECONDS)
    claimable = Q(status=MarcImport.Status.PENDING) | Q(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale),
        status=MarcImport.Status.RUNNING,
    )
    claimed = MarcImport.objects.filter(claimable, pk=upload_id).update(
        status=MarcImport.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    return claimed == 1


class _Heartbeat(threading.Thread):
    """Touches the upload's heartbeat every few seconds while the import runs, also through
    long stretches with no batch written (a file of rejected records)."""

    def __init__(self, upload_id: int):
        super().__init__(daemon=True, name=f"marc-heartbeat-{upload_id}")
        self.upload_id = upload_id
        self.stopped = threading.Event()

    def run(self):
        from django.db import connection as thread_connection

        from catalog.models import MarcImport

        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                MarcImport.objects.filter(
                    pk=self.upload_id, status=MarcImport.Status.RUNNING
                ).update(heartbeat_at=timezone.now())
        except DatabaseError:
            logger.exception("MARC import %s: heartbeat failed", self.upload_id)
        finally:
            thread_connection.close()  # this thread's own connection

    def stop(self):
        self.stopped.set()
        if self.is_alive():
            self.join(timeout=HEARTBEAT_SECONDS * 2)


def marc_upload_run(*, upload_id: int) -> str:
    """Import one `MarcImport` upload, keeping its counters current; returns its final status.

    A redelivered task finds the upload done, or running with a fresh heartbeat (another worker
    is at it: the broker redelivers a long task after its visibility timeout), and does
    nothing. One whose worker died (still «running», no heartbeat for a while) runs again,
    which the import's idempotence makes safe.
    """
    import tempfile

    from django.core.files import File

    from catalog.models import MarcImport

    if not marc_upload_claim(upload_id=upload_id):
        status = MarcImport.objects.filter(pk=upload_id).values_list("status", flat=True)
        logger.info("MARC import %s not started: it is %s", upload_id, status.first())
        return status.first() or ""
    upload = MarcImport.objects.select_related("branch").get(pk=upload_id)
    size = upload.file.size
    upload.bytes_total = size
    MarcImport.objects.filter(pk=upload.pk).update(bytes_total=size)

    def on_progress(counts: ImportCounts):
        MarcImport.objects.filter(pk=upload.pk).update(
            bytes_done=min(counts.bytes_read, size),
            records_seen=counts.seen,
            loaded=counts.loaded,
            updated=counts.updated,
            rejected=counts.rejected,
            warnings=counts.warnings,
            items_created=counts.items_created,
            items_updated=counts.items_updated,
            heartbeat_at=timezone.now(),
        )

    options = ImportOptions(
        workers=1,  # a Celery worker process may not start processes of its own
        format=upload.format,
        syntax=upload.syntax,
        encoding=normalize_encoding(upload.encoding),
        branch=upload.branch,
        restrict_to_branch=upload.created_by is not None and _is_branch_scoped(upload),
    )
    heartbeat = _Heartbeat(upload.pk)
    # Inside a caller's transaction (tests, eager tasks) no other worker sees the claim, and the
    # thread's UPDATE would wait on this transaction's row lock.
    if not connection.in_atomic_block:
        heartbeat.start()
    try:
        with tempfile.TemporaryFile("w+b") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            report = ImportReport(text)
            try:
                with upload.file.open("rb") as fh:
                    counts = MarcImporter(
                        options=options, report=report, on_progress=on_progress
                    ).run(fh, total_bytes=size)
            except NoMarcRecords as exc:
                upload.status = MarcImport.Status.FAILED
                upload.summary = str(exc)
            except Exception as exc:
                logger.exception("MARC import %s failed", upload.pk)
                upload.status = MarcImport.Status.FAILED
                upload.summary = _(
                    "Імпорт зупинився через збій; уже записані пакети збережено, решту можна "
                    "довантажити, завантаживши файл ще раз (технічно: %(kind)s: %(detail)s)."
                ) % {"kind": type(exc).__name__, "detail": str(exc)[:300]}
            else:
                upload.status = MarcImport.Status.DONE
                upload.summary = report.text(counts)
                for name in COUNTER_FIELDS:
                    setattr(upload, name, getattr(counts, name))
                upload.records_seen = counts.seen
                upload.bytes_done = size
            text.flush()
            raw.seek(0)
            upload.report.save(f"marc-import-{upload.pk}.csv", File(raw), save=False)
            text.detach()
    finally:
        heartbeat.stop()
    upload.finished_at = timezone.now()
    fields = ["status", "summary", "report", "bytes_total", "finished_at"]
    if upload.status == MarcImport.Status.DONE:
        # A failed run keeps the counters its last progress report left.
        fields += [*COUNTER_FIELDS, "records_seen", "bytes_done"]
    upload.save(update_fields=fields)
    return upload.status


def _is_branch_scoped(upload) -> bool:
    from branches.scoping import staff_scope

    return staff_scope(upload.created_by) is not None
