"""Numbers of the catalogue that the strategy dashboards read (contract: docs/stats.md).

Every function takes `years` and optionally `branch_ids`, runs one aggregate query and returns
`{(branch_id, year): value}`; missing keys mean zero. Network-only figures (records in the
e-catalogue) use `None` as the branch.

A copy counts as received in the year of its intake act, or of `added_at` when it came without
one (e.g. a MARC import), and as withdrawn in the year of its withdrawal act.
"""

from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalog.models import IntakeBatch, Item, PurchaseSuggestion, Record, SearchLog, Withdrawal
from core.stats import Indicator
from core.tz import KYIV


def _received_on():
    return Coalesce(F("intake__date"), TruncDate("added_at", tzinfo=KYIV))


def _by_branch_and_year(queryset, year_expression, *, years, branch_ids, branch_field="branch"):
    years = sorted(set(years))
    queryset = queryset.annotate(stat_year=year_expression).filter(stat_year__in=years)
    if branch_ids is not None:
        queryset = queryset.filter(**{f"{branch_field}__in": list(branch_ids)})
    rows = (
        queryset.values(branch_field, "stat_year")
        .order_by()
        .annotate(total=Count("pk"))
        .values_list(branch_field, "stat_year", "total")
    )
    return {(branch, year): total for branch, year, total in rows}


def acquisitions(*, years, branch_ids=None, source=None):
    """Copies received, by library and year; `source` narrows to one intake source."""
    items = Item.objects.all()
    if source:
        items = items.filter(intake__source=source)
    return _by_branch_and_year(
        items, ExtractYear(_received_on()), years=years, branch_ids=branch_ids
    )


def _acquisitions_from(source):
    def func(*, years, branch_ids=None):
        return acquisitions(years=years, branch_ids=branch_ids, source=source)

    func.__name__ = f"acquisitions_{source}"
    return func


def withdrawals(*, years, branch_ids=None):
    """Copies written off, by library and year of the withdrawal act."""
    items = Item.objects.filter(withdrawal__isnull=False)
    return _by_branch_and_year(
        items, ExtractYear("withdrawal__date"), years=years, branch_ids=branch_ids
    )


def holdings(*, years, branch_ids=None):
    """Copies on the books at the end of each year: received by then and not yet written off."""
    years = sorted(set(years))
    items = Item.objects.annotate(received_on=_received_on())
    if branch_ids is not None:
        items = items.filter(branch__in=list(branch_ids))
    per_year = {
        f"y{year}": Count(
            "pk",
            filter=Q(received_on__lte=date(year, 12, 31))
            & (Q(withdrawal__isnull=True) | Q(withdrawal__date__gt=date(year, 12, 31))),
        )
        for year in years
    }
    if not per_year:
        return {}
    rows = items.values("branch").order_by().annotate(**per_year)
    return {
        (row["branch"], year): row[f"y{year}"] for row in rows for year in years if row[f"y{year}"]
    }


def _records_up_to_year_end(records, *, years):
    years = sorted(set(years))
    if not years:
        return {}
    counts = records.aggregate(
        **{
            f"y{year}": Count("pk", filter=Q(created_at__date__lte=date(year, 12, 31)))
            for year in years
        }
    )
    return {(None, year): counts[f"y{year}"] for year in years if counts[f"y{year}"]}


def records(*, years, branch_ids=None):
    """Records in the e-catalogue at each year end: one catalogue for the whole network."""
    return _records_up_to_year_end(Record.objects.all(), years=years)


def local_lore_records(*, years, branch_ids=None):
    """Local-lore records (flagged or of the local-lore type) in the e-catalogue at year end."""
    lore = Record.objects.filter(
        Q(is_local_lore=True) | Q(material_type=Record.MaterialType.LOCAL_LORE)
    )
    return _records_up_to_year_end(lore, years=years)


def analytics_added(*, years, branch_ids=None):
    """Analytical records (articles in a periodical or a collection) added to the
    e-catalogue in each year (Kyiv time): one catalogue, a network figure only."""
    years = sorted(set(years))
    rows = (
        Record.objects.analytics()
        .annotate(stat_year=ExtractYear("created_at", tzinfo=KYIV))
        .filter(stat_year__in=years)
        .values("stat_year")
        .order_by()
        .annotate(total=Count("pk"))
        .values_list("stat_year", "total")
    )
    return {(None, year): total for year, total in rows}


def zero_hit_searches(*, years, branch_ids=None):
    """Searches that found nothing, by the library the reader filtered on, and network-wide.

    Most searches name no library, so the network figure is more than the libraries' sum.
    """
    years = sorted(set(years))
    rows = list(
        SearchLog.objects.filter(hits=0)
        .annotate(stat_year=ExtractYear("created_at", tzinfo=KYIV))
        .filter(stat_year__in=years)
        .values("branch", "stat_year")
        .order_by()
        .annotate(total=Count("pk"))
        .values_list("branch", "stat_year", "total")
    )
    result = {}
    for branch, year, total in rows:
        # The network total sums every group, including the searches with no library.
        result[(None, year)] = result.get((None, year), 0) + total
        if branch is not None and (branch_ids is None or branch in branch_ids):
            result[(branch, year)] = total
    return result


def purchase_suggestions(*, years, branch_ids=None):
    """Readers' «Запропонувати придбати», by the library they chose."""
    return _by_branch_and_year(
        PurchaseSuggestion.objects.filter(branch__isnull=False),
        ExtractYear("created_at", tzinfo=KYIV),
        years=years,
        branch_ids=branch_ids,
    )


def _breakdown(queryset, year_expression, dimension, labels, *, years, branch_ids):
    queryset = queryset.annotate(stat_year=year_expression).filter(stat_year__in=sorted(set(years)))
    if branch_ids is not None:
        queryset = queryset.filter(branch__in=list(branch_ids))
    rows = (
        queryset.values("branch", "stat_year", dimension)
        .order_by()
        .annotate(total=Count("pk"))
        .values_list("branch", "stat_year", dimension, "total")
    )
    return [
        {
            "branch_id": branch,
            "year": year,
            "kind": kind,
            "label": labels.get(kind, kind),
            "count": total,
        }
        for branch, year, kind, total in rows
    ]


def acquisitions_by_material(*, years, branch_ids=None):
    """Copies received by document type (book, periodical, audio…), for the 6-НК breakdown.

    `[{"branch_id", "year", "kind", "label", "count"}]`, one aggregate query.
    """
    return _breakdown(
        Item.objects.all(),
        ExtractYear(_received_on()),
        "record__material_type",
        dict(Record.MaterialType.choices),
        years=years,
        branch_ids=branch_ids,
    )


def withdrawals_by_reason(*, years, branch_ids=None):
    """Copies written off by the act's reason; same shape as acquisitions_by_material()."""
    return _breakdown(
        Item.objects.filter(withdrawal__isnull=False),
        ExtractYear("withdrawal__date"),
        "withdrawal__reason",
        dict(Withdrawal.Reason.choices),
        years=years,
        branch_ids=branch_ids,
    )


COMPUTED: dict[str, Indicator] = {
    "catalog.acquisitions": Indicator(
        label=_("Надійшло примірників"),
        unit=_("прим."),
        func=acquisitions,
        counts=_("Примірники, що надійшли за актами надходження, за датою надходження."),
    ),
    **{
        f"catalog.acquisitions.{source.value}": Indicator(
            label=format_lazy("{}: {}", _("Надійшло примірників"), source.label),
            unit=_("прим."),
            func=_acquisitions_from(source.value),
            counts=format_lazy(
                _("Примірники, що надійшли за актами з джерелом «{}», за датою надходження."),
                source.label,
            ),
        )
        for source in IntakeBatch.Source
    },
    "catalog.withdrawals": Indicator(
        label=_("Вибуло (списано) примірників"),
        unit=_("прим."),
        func=withdrawals,
        counts=_("Примірники, списані актами вибуття, за датою акта."),
    ),
    "catalog.holdings": Indicator(
        label=_("Фонд на кінець року"),
        unit=_("прим."),
        func=holdings,
        counts=_("Примірники, що надійшли до 31 грудня й не списані до того дня."),
    ),
    "catalog.records": Indicator(
        label=_("Записів в електронному каталозі"),
        unit=_("записів"),
        func=records,
        additive=False,
        counts=_(
            "Бібліографічні записи в електронному каталозі на кінець року (один каталог мережі)."
        ),
    ),
    "catalog.local_lore_records": Indicator(
        label=_("Краєзнавчих записів в електронному каталозі"),
        unit=_("записів"),
        func=local_lore_records,
        additive=False,
        counts=_("Записи з позначкою «краєзнавство» в електронному каталозі на кінець року."),
    ),
    "catalog.analytics_added": Indicator(
        label=_("Нових аналітичних записів (статей) в електронному каталозі"),
        unit=_("записів"),
        func=analytics_added,
        additive=False,
        counts=_(
            "Бібліографічні записи статей з газет, журналів і збірників (з указаним джерелом), "
            "додані до електронного каталогу за рік."
        ),
    ),
    "catalog.zero_hit_searches": Indicator(
        label=_("Незадоволені запити (пошук без результатів)"),
        unit=_("запитів"),
        func=zero_hit_searches,
        additive=False,
        counts=_("Пошуки в каталозі, що нічого не знайшли (незадоволені запити)."),
    ),
    "catalog.purchase_suggestions": Indicator(
        label=_("Пропозиції читачів придбати"),
        unit=_("пропозицій"),
        func=purchase_suggestions,
        counts=_("Пропозиції читачів придбати книгу, за обраною бібліотекою."),
    ),
}
