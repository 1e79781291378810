from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            raise CommandError(_("--days не може бути відʼємним."))
        counts = personal_data_anonymise(days=days, dry_run=dry_run)
        applications = ngettext(
            "%(count)d анкету волонтера",
            "%(count)d анкети волонтерів",
            counts["applications"],
        ) % {"count": counts["applications"]}
        deliveries = ngettext(
            "%(count)d заявку на доставку книг",
            "%(count)d заявки на доставку книг",
            counts["deliveries"],
        ) % {"count": counts["deliveries"]}
        if dry_run:
            line = _("Буде знеособлено: %(applications)s і %(deliveries)s.")
        else:
            line = _("Знеособлено: %(applications)s і %(deliveries)s.")
        self.stdout.write(
            self.style.SUCCESS(line % {"applications": applications, "deliveries": deliveries})
        )
