"""Numbers the strategy dashboards read (contract: docs/stats.md).

Definitions:
- «digital.documents»: documents (photographs, letters, newspapers…) a library digitised in the
  year, by the date of digitisation staff record, whether published yet or not.
- «digital.pages»: the scanned pages of those documents.
"""

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from digital.models import DigitalDocument, DigitalPage


def _by_branch_year(queryset, *, prefix, years, branch_ids, count):
    queryset = queryset.annotate(year=ExtractYear(f"{prefix}digitised_on")).filter(
        year__in=list(years)
    )
    if branch_ids is not None:
        queryset = queryset.filter(**{f"{prefix}branch_id__in": list(branch_ids)})
    rows = (
        queryset.values(f"{prefix}branch_id", "year")
        .annotate(value=Count(count))
        .values_list(f"{prefix}branch_id", "year", "value")
        .order_by()
    )
    return {(branch_id, year): value for branch_id, year, value in rows}


def documents(*, years, branch_ids=None):
    return _by_branch_year(
        DigitalDocument.objects.all(), prefix="", years=years, branch_ids=branch_ids, count="pk"
    )


def pages(*, years, branch_ids=None):
    return _by_branch_year(
        DigitalPage.objects.all(),
        prefix="document__",
        years=years,
        branch_ids=branch_ids,
        count="pk",
    )


COMPUTED: dict[str, Indicator] = {
    "digital.documents": Indicator(
        label=_("Оцифровано краєзнавчих документів"),
        unit=_("документів"),
        func=documents,
        counts=_(
            "Фотографії, листівки, листи, газети та інші документи, які бібліотека оцифрувала "
            "в цьому році (за датою оцифрування), опубліковані й ще ні."
        ),
    ),
    "digital.pages": Indicator(
        label=_("Оцифровано сторінок"),
        unit=_("сторінок"),
        func=pages,
        counts=_("Скановані сторінки документів, оцифрованих бібліотекою в цьому році."),
    ),
}
