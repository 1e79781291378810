from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events.services import personal_data_anonymise


class Command(BaseCommand):
    help = (
        "Remove names and contacts of people registered for events that ended, and of club "
        "members who left, more than PERSONAL_DATA_RETENTION_DAYS ago. Seat counts stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.PERSONAL_DATA_RETENTION_DAYS,
            help="keep data this many days (default: PERSONAL_DATA_RETENTION_DAYS=%(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, days, dry_run, **options):
        before = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            registrations, members = personal_data_anonymise(before=before)
            if dry_run:
                transaction.set_rollback(True)
        verb = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {registrations} registration(s) and {members} club member(s) "
                f"older than {days} days"
            )
        )
