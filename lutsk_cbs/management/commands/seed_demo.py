import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from branches import demo as branches_demo
from catalog import demo as catalog_demo
from circulation import demo as circulation_demo
from digital import demo as digital_demo
from egov import demo as egov_demo
from events import demo as events_demo
from lore import demo as lore_demo
from news import demo as news_demo
from reference import demo as reference_demo
from spaces import demo as spaces_demo
from strategy import demo as strategy_demo
from volunteers import demo as volunteers_demo

# Each app's demo.seed(); later apps append theirs in dependency order.
SEEDERS = [
    ("branches", branches_demo.seed),
    ("accounts", accounts_demo.seed),
    ("catalog", catalog_demo.seed),
    ("events", events_demo.seed),
    ("volunteers", volunteers_demo.seed),
    ("egov", egov_demo.seed),
    ("circulation", circulation_demo.seed),
    ("reference", reference_demo.seed),
    ("news", news_demo.seed),
    ("digital", digital_demo.seed),
    ("lore", lore_demo.seed),
    ("spaces", spaces_demo.seed),
    ("strategy", strategy_demo.seed),
]


class Command(BaseCommand):
    help = "Fill the portal with demo data (marked as demo). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2016, help="random seed")
        parser.add_argument(
            "--records",
            type=int,
            default=catalog_demo.DEFAULT_RECORDS,
            help=(
                "demo catalogue records to have in all (default %(default)s); "
                "e.g. 1000000 for benchmarks. Existing demo records count towards it."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="do everything, then roll it back"
        )

    def handle(self, *args, seed, records, dry_run, **options):
        if records < 0:
            raise CommandError("--records cannot be negative.")
        rng = random.Random(seed)
        counts = {"records": records}
        if dry_run:
            with transaction.atomic():
                self._run(rng, counts)
                transaction.set_rollback(True)
        else:
            self._run(rng, counts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data {'checked (rolled back)' if dry_run else 'loaded'}: "
                f"{len(SEEDERS)} section(s)."
            )
        )

    def _run(self, rng, counts):
        for _name, seeder in SEEDERS:
            if getattr(seeder, "commits_in_batches", False):
                # Large volumes: the seeder commits batch by batch and resumes where it stopped.
                seeder(rng=rng, counts=counts, stdout=self.stdout)
            else:
                with transaction.atomic():
                    seeder(rng=rng, counts=counts, stdout=self.stdout)
