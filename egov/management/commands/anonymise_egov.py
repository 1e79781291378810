from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.services import personal_data_anonymise


class Command(BaseCommand):
    help = (
        "Erase names and contacts from closed e-services help requests and past consultation "
        "bookings older than PERSONAL_DATA_RETENTION_DAYS (or --days). Statistics are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"age in days (default: {settings.PERSONAL_DATA_RETENTION_DAYS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, days, dry_run, **options):
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        counts = personal_data_anonymise(days=days, dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['requests']} help request(s) and {counts['bookings']} booking(s) {verb}."
            )
        )
