from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.retention import personal_data_anonymise


class Command(BaseCommand):
    help = (
        "Знеособлює персональні дані закритих справ усіх застосунків (реєстрації, анкети, "
        "запити, бронювання, пропозиції, журнал дій), старших за строк зберігання "
        "PERSONAL_DATA_RETENTION_DAYS. Кількості й дати лишаються для статистики."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("Строк зберігання в днях (типово PERSONAL_DATA_RETENTION_DAYS=%(days)s).")
            % {"days": settings.PERSONAL_DATA_RETENTION_DAYS},
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Лише порахувати, нічого не змінюючи."),
        )

    def handle(self, *args, days, dry_run, **options):
        if days is not None and days < 0:
            raise CommandError(_("--days не може бути відʼємним."))
        results = personal_data_anonymise(days=days, dry_run=dry_run)
        failed = [result for result in results if result.error is not None]
        for result in results:
            if result.error is not None:
                self.stderr.write(
                    _("%(what)s: помилка — %(error)s")
                    % {"what": result.shredder.label, "error": result.error}
                )
            elif options["verbosity"] > 1 or result.count:
                self.stdout.write(f"{result.shredder.label}: {result.count}")
        total = sum(result.count for result in results)
        if dry_run:
            line = ngettext(
                "Буде знеособлено %(count)d запис.",
                "Буде знеособлено %(count)d записи.",
                total,
            )
        else:
            line = ngettext(
                "Знеособлено %(count)d запис.",
                "Знеособлено %(count)d записи.",
                total,
            )
        self.stdout.write(self.style.SUCCESS(line % {"count": total}))
        if failed:
            raise CommandError(
                ngettext(
                    "Не вдалося знеособити: %(count)d вид даних.",
                    "Не вдалося знеособити: %(count)d види даних.",
                    len(failed),
                )
                % {"count": len(failed)}
            )
