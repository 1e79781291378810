"""`manage.py export_marc`: write the catalogue (with copies) as UNIMARC or MARC21."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from branches.models import Branch
from catalog.marc import mapping, writer
from catalog.models import Item, Record

XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<collection xmlns="' + writer.MARCXML_NAMESPACE.encode() + b'">\n'
)
XML_TAIL = b"</collection>\n"


def export_records(
    out,
    *,
    fmt: str,
    syntax: str,
    encoding: str = "utf-8",
    branch=None,
    progress=None,
    skipped: list[str] | None = None,
    lossy: list[str] | None = None,
) -> tuple[int, int]:
    """Stream every record (or those with copies in `branch`) to a binary file.

    Returns (records, copies) written. Withdrawn copies are left out: they are not holdings.
    A record too long for ISO 2709 is left out and named in `skipped`; one with characters
    the character set lacks (CP1251 has no accented Latin letters such as «é» or «ő») is
    written with «?» for them and named in `lossy` with those characters.
    """
    items = Item.objects.select_related("branch").exclude(status=Item.Status.WITHDRAWN)
    records = Record.objects.order_by("pk")
    if branch is not None:
        items = items.filter(branch=branch)
        records = records.filter(pk__in=Item.objects.filter(branch=branch).values("record_id"))
    # An analytical record names its host (463/773): joined in, without its search columns.
    records = records.select_related("host").defer("host__search_document", "host__search_names")
    records = records.prefetch_related(
        "contributions__person", "subjects", Prefetch("items", queryset=items, to_attr="copies")
    )
    written = copies = 0
    if syntax == "marcxml":
        out.write(XML_HEAD)
    for record in records.iterator(chunk_size=500):
        pymarc_record = writer.record_to_marc(record, record.copies, fmt, encoding=encoding)
        if syntax == "marcxml":
            out.write(writer.marcxml_bytes(pymarc_record) + b"\n")
        else:
            lost: set[str] = set()
            try:
                out.write(writer.iso2709_bytes(pymarc_record, fmt, encoding=encoding, lost=lost))
            except ValueError as exc:
                if skipped is not None:
                    skipped.append(f"{record.pk} «{record.title[:60]}»: {exc}")
                continue
            if lost and lossy is not None:
                lossy.append(
                    _(
                        "Запис %(pk)s «%(title)s»: у %(encoding)s немає символів %(chars)s — "
                        "записано «?»."
                    )
                    % {
                        "pk": record.pk,
                        "title": record.title[:60],
                        "encoding": encoding.upper(),
                        "chars": ", ".join(f"«{c}» (U+{ord(c):04X})" for c in sorted(lost)),
                    }
                )
        written += 1
        copies += len(record.copies)
        if progress is not None:
            progress.update(1)
    if syntax == "marcxml":
        out.write(XML_TAIL)
    return written, copies


class Command(BaseCommand):
    help = (
        "Export bibliographic records with their copies as UNIMARC (holdings in 899) or MARC21 "
        "(holdings in 852), ISO 2709 or MARCXML; import_marc reads the file back to the same "
        "records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=mapping.FORMATS, default=mapping.UNIMARC)
        parser.add_argument("--syntax", choices=["iso2709", "marcxml"], default="iso2709")
        parser.add_argument(
            "--encoding",
            choices=["utf-8", "cp1251"],
            default="utf-8",
            help="character set of ISO 2709 UNIMARC (cp1251 for older ІРБІС); MARCXML is UTF-8",
        )
        parser.add_argument("--output", "-o", metavar="FILE", help="default: standard output")
        parser.add_argument(
            "--branch", metavar="SLUG", help="only records with copies in this library"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        from tqdm import tqdm

        encoding = options["encoding"]
        if encoding != "utf-8" and (
            options["format"] != mapping.UNIMARC or options["syntax"] != "iso2709"
        ):
            raise CommandError("--encoding cp1251 is for UNIMARC in ISO 2709 only")
        branch = None
        if options["branch"]:
            branch = Branch.objects.filter(slug=options["branch"]).first()
            if branch is None:
                raise CommandError(f"No library with the code {options['branch']!r}")
        to_stdout = not options["output"] or options["output"] == "-"
        # The summary goes to stderr when the records themselves go to stdout.
        say = self.stderr if to_stdout else self.stdout
        total = Record.objects.count() if branch is None else None
        bar = tqdm(
            total=total,
            unit=" records",
            desc="MARC export",
            file=self.stderr,
            disable=options["verbosity"] == 0 or options["no_progress"],
            mininterval=0.5,
        )
        skipped: list[str] = []
        lossy: list[str] = []
        try:
            if to_stdout:
                out = sys.stdout.buffer
                records, copies = export_records(
                    out,
                    fmt=options["format"],
                    syntax=options["syntax"],
                    encoding=encoding,
                    branch=branch,
                    progress=bar,
                    skipped=skipped,
                    lossy=lossy,
                )
                out.flush()
            else:
                path = Path(options["output"])
                with path.open("wb") as out:
                    records, copies = export_records(
                        out,
                        fmt=options["format"],
                        syntax=options["syntax"],
                        encoding=encoding,
                        branch=branch,
                        progress=bar,
                        skipped=skipped,
                        lossy=lossy,
                    )
        finally:
            bar.close()
        for line in skipped:
            self.stderr.write(f"Skipped record {line}")
        for line in lossy:
            self.stderr.write(line, self.style.WARNING)
        if lossy:
            self.stderr.write(
                _("Записів із символами, яких немає в %(encoding)s: %(n)s (див. вище).")
                % {"encoding": encoding.upper(), "n": len(lossy)},
                self.style.WARNING,
            )
        where = "standard output" if to_stdout else options["output"]
        say.write(
            f"Exported {records} records with {copies} copies as {options['format']} "
            f"({options['syntax']}, {encoding}) to {where}."
        )
