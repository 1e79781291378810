import random

from django.core.management.base import BaseCommand
from django.db import transaction

from branches import demo as branches_demo

# Each app's demo.seed(); later apps append theirs in dependency order.
SEEDERS = [("branches", branches_demo.seed)]


class Command(BaseCommand):
    help = "Fill the portal with demo data (marked as demo). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2016, help="random seed")
        parser.add_argument(
            "--dry-run", action="store_true", help="do everything, then roll it back"
        )

    def handle(self, *args, seed, dry_run, **options):
        rng = random.Random(seed)
        with transaction.atomic():
            for name, seeder in SEEDERS:
                seeder(rng=rng, counts={}, stdout=self.stdout)
            if dry_run:
                transaction.set_rollback(True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data {'checked (rolled back)' if dry_run else 'loaded'}: "
                f"{len(SEEDERS)} section(s)."
            )
        )
