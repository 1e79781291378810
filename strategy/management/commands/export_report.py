from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from branches.models import Branch
from strategy.figures import nk_form
from strategy.xlsx import report_workbook


class Command(BaseCommand):
    help = "Write the yearly 6-НК report of one library or the whole network to an XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
        parser.add_argument("--library", help="library slug, e.g. branch-5; default: network")
        parser.add_argument("--output", "-o", help="file to write (default 6-nk-YEAR-WHO.xlsx)")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute the figures, write no file"
        )

    def handle(self, *args, year, library, output, dry_run, **options):
        # The report is a Ukrainian state form, whatever language the shell runs in.
        with translation.override(settings.LANGUAGE_CODE):
            self._export(year=year, library=library, output=output, dry_run=dry_run)

    def _export(self, *, year, library, output, dry_run):
        branch = None
        if library:
            branch = Branch.objects.filter(slug=library).first()
            if branch is None:
                raise CommandError(f"No library with the slug «{library}».")
        sections = nk_form(year=year, branch=branch)
        lines = [line for section in sections for line in section.lines]
        missing = sum(1 for line in lines if line.value is None)
        path = Path(output or f"6-nk-{year}-{branch.slug if branch else 'network'}.xlsx")
        if not dry_run:
            report_workbook(year=year, library=branch, sections=sections).save(path)
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Checked' if dry_run else f'Wrote {path}'}: {len(lines)} form rows for {year}, "
                f"{missing} without data."
            )
        )
