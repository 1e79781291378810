"""Numbers of the local-lore index that the strategy dashboards read (contract: docs/stats.md).

- «lore.local_writers_records»: records in the e-catalogue at the end of the year that are
  works of a person the index marks «місцевий письменник» (as author under one of their
  catalogue names, or picked as their work). One catalogue: a network figure only.
- «lore.local_writers_copies»: copies of those records in each library's holdings at the end of
  the year — received by 31 December (intake act date, or the day the copy was added) and
  not written off by then. Plan direction 14: «твори письменників-земляків у фонді».
"""

from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from catalog.models import Contribution, Item, Record
from core.stats import Indicator
from core.tz import KYIV
from lore.models import Figure


def _local_writers_works():
    """Ids of the records by local writers, as a subquery."""
    authored = Contribution.objects.filter(
        role=Contribution.Role.AUTHOR, person__lore_figures__is_local_writer=True
    ).values("record_id")
    picked = Figure.works.through.objects.filter(figure__is_local_writer=True).values("record_id")
    return Record.objects.filter(Q(pk__in=authored) | Q(pk__in=picked)).values("pk")


def local_writers_records(*, years, branch_ids=None):
    years = sorted(set(years))
    if not years:
        return {}
    counts = Record.objects.filter(pk__in=_local_writers_works()).aggregate(
        **{
            f"y{year}": Count("pk", filter=Q(created_at__date__lte=date(year, 12, 31)))
            for year in years
        }
    )
    return {(None, year): counts[f"y{year}"] for year in years if counts[f"y{year}"]}


def local_writers_copies(*, years, branch_ids=None):
    years = sorted(set(years))
    if not years:
        return {}
    items = Item.objects.filter(record__in=_local_writers_works()).annotate(
        received_on=Coalesce(F("intake__date"), TruncDate("added_at", tzinfo=KYIV))
    )
    if branch_ids is not None:
        items = items.filter(branch__in=list(branch_ids))
    rows = (
        items.values("branch")
        .order_by()
        .annotate(
            **{
                f"y{year}": Count(
                    "pk",
                    filter=Q(received_on__lte=date(year, 12, 31))
                    & (Q(withdrawal__isnull=True) | Q(withdrawal__date__gt=date(year, 12, 31))),
                )
                for year in years
            }
        )
    )
    return {
        (row["branch"], year): row[f"y{year}"] for row in rows for year in years if row[f"y{year}"]
    }


COMPUTED: dict[str, Indicator] = {
    "lore.local_writers_records": Indicator(
        label=_("Твори письменників-земляків в електронному каталозі"),
        unit=_("записів"),
        func=local_writers_records,
        additive=False,
        counts=_(
            "Бібліографічні записи на кінець року, автор яких у краєзнавчому покажчику "
            "позначений як місцевий письменник (або які вибрано як його твори)."
        ),
    ),
    "lore.local_writers_copies": Indicator(
        label=_("Твори письменників-земляків у фонді"),
        unit=_("прим."),
        func=local_writers_copies,
        counts=_(
            "Примірники творів місцевих письменників (позначка в краєзнавчому покажчику), що "
            "надійшли до 31 грудня й не списані до того дня, за бібліотекою."
        ),
    ),
}
