from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from volunteers.services import personal_data_anonymise


class Command(BaseCommand):
    help = (
        "Знеособлює закриті справи волонтерства (відхилені й неактивні анкети, завершені "
        "доставки книг додому), стан яких не змінювався довше за строк зберігання "
        f"(PERSONAL_DATA_RETENTION_DAYS, зараз {settings.PERSONAL_DATA_RETENTION_DAYS} днів). "
        "Кількість і роки лишаються для статистики."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Строк зберігання в днях замість PERSONAL_DATA_RETENTION_DAYS.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Лише порахувати, нічого не змінюючи.",
        )

    def handle(self, *args, days, dry_run, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be zero or more.")
        counts = personal_data_anonymise(days=days, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} {counts['applications']} volunteer applications and "
            f"{counts['deliveries']} home delivery requests."
        )
