"""`manage.py reindex_search`: rebuild every record's search document and the vocabularies.

Needed once after an upgrade that changes what a search document holds (catalog migration
0013 added the name and title keys and the catalogue's own names, `SearchName`); imports,
the demo seeder and record edits keep documents current on their own afterwards.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from catalog.indexing import BATCH, records_reindex
from catalog.models import Record


class Command(BaseCommand):
    help = "Rebuild the search documents of all records (or --ids) and the search vocabularies."

    def add_arguments(self, parser):
        parser.add_argument("--ids", nargs="*", type=int, help="only these records")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute everything, then roll it back"
        )

    def handle(self, *args, ids=None, dry_run=False, **options):
        records = Record.objects.order_by("pk")
        if ids:
            records = records.filter(pk__in=ids)
        all_ids = list(records.values_list("pk", flat=True))
        done = 0
        with tqdm(total=len(all_ids), desc="search documents", unit="rec", disable=None) as bar:
            for start in range(0, len(all_ids), BATCH):
                # One transaction a batch: an interrupted run keeps what it did.
                with transaction.atomic():
                    done += records_reindex(all_ids[start : start + BATCH])
                    if dry_run:
                        transaction.set_rollback(True)
                bar.update(min(BATCH, len(all_ids) - start))
        verb = "checked (rolled back)" if dry_run else "rebuilt"
        self.stdout.write(self.style.SUCCESS(f"Search documents {verb}: {done} record(s)."))
