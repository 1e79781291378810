"""`manage.py import_marc FILE`: load a MARC file into the catalogue; see catalog.marc.importer."""

import os
import signal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch
from catalog.marc.importer import (
    ImportInterrupted,
    ImportOptions,
    ImportReport,
    MarcImporter,
    NoMarcRecords,
    normalize_encoding,
)


def default_report_path(source: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(getattr(settings, "VAR_DIR", Path.cwd())) / "reports" / "marc"
    return folder / f"import-{source.stem}-{stamp}.csv"


class Command(BaseCommand):
    help = (
        "Import bibliographic records and their copies from a MARC file: UNIMARC/RUSMARC "
        "(what ІРБІС exports) or MARC21, ISO 2709 or MARCXML. Records are matched on 001 "
        "(then ISBN) and updated, never duplicated; copies on inventory number. Rejected "
        "records go to a CSV report; the exit code is 2 when any record was rejected, 3 when "
        "the file holds no MARC record at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the MARC file (.iso, .mrc, .xml)")
        parser.add_argument(
            "--format",
            choices=["auto", "unimarc", "marc21"],
            default="auto",
            help="record format; auto looks at each record (200 → UNIMARC, 245 → MARC21)",
        )
        parser.add_argument(
            "--syntax",
            choices=["auto", "iso2709", "marcxml"],
            default="auto",
            help="file syntax; auto looks at the first bytes",
        )
        parser.add_argument(
            "--encoding",
            choices=["auto", "utf-8", "cp1251", "marc8"],
            default="auto",
            help=(
                "character set of ISO 2709 records; auto: leader/09, UNIMARC 100$a/26-29, "
                "else CP1251 for UNIMARC and MARC-8 for MARC21"
            ),
        )
        parser.add_argument(
            "--branch",
            metavar="SLUG",
            help="library that gets the copies whose location names no library (e.g. branch-5)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="records per transaction (default 500)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help=(
                "processes that import batches side by side (ISO 2709; default: the CPU count, "
                "at most 4); stopping the command (SIGTERM, Ctrl-C) stops them too"
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=(
                "read and check everything against the catalogue, write nothing (each batch "
                "is rolled back, so a file of any size holds no locks for long)"
            ),
        )
        parser.add_argument(
            "--report",
            metavar="PATH",
            help="where to write the CSV report (default var/reports/marc/import-NAME-TIME.csv)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        branch = None
        if options["branch"]:
            branch = Branch.objects.filter(slug=options["branch"]).first()
            if branch is None:
                slugs = ", ".join(Branch.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(
                    f"No library with the code {options['branch']!r}; use one of: {slugs}"
                )
        report_path = Path(options["report"]) if options["report"] else default_report_path(source)
        report_path.parent.mkdir(parents=True, exist_ok=True)
        import_options = ImportOptions(
            format=options["format"],
            syntax=options["syntax"],
            encoding=normalize_encoding(options["encoding"]),
            branch=branch,
            batch_size=options["batch_size"],
            dry_run=options["dry_run"],
            workers=options["workers"],
        )
        show_progress = options["verbosity"] > 0 and not options["no_progress"]
        with (
            source.open("rb") as fh,
            report_path.open("w", encoding="utf-8-sig", newline="") as out,
        ):
            report = ImportReport(out, path=report_path)
            try:
                counts = MarcImporter(
                    options=import_options,
                    report=report,
                    progress_bar=show_progress,
                    progress_file=self.stderr,
                ).run(fh, total_bytes=source.stat().st_size)
            except NoMarcRecords as exc:
                raise CommandError(str(exc), returncode=3) from None
            except KeyboardInterrupt as exc:
                # Ctrl-C or SIGTERM (ImportInterrupted); the workers are already stopped.
                terminated = isinstance(exc, ImportInterrupted)
                raise CommandError(
                    _(
                        "Імпорт перервано. Записані пакети збережено, незавершений скасовано; "
                        "повторний запуск з тим самим файлом довантажить решту."
                    ),
                    returncode=128 + (signal.SIGTERM if terminated else signal.SIGINT),
                ) from None
        if options["verbosity"] > 1:
            for line in report.first_lines:
                self.stdout.write(line)
        self.stdout.write(_("Звіт: %(path)s") % {"path": report_path})
        if options["dry_run"]:
            self.stdout.write(_("Пробний прогін: до бази даних нічого не записано."))
        self.stdout.write(
            counts.summary(), self.style.WARNING if counts.rejected else self.style.SUCCESS
        )
        if counts.rejected:
            raise CommandError(
                _("Відхилено записів: %(n)s; причини — у звіті %(path)s")
                % {"n": counts.rejected, "path": report_path},
                returncode=2,
            )
