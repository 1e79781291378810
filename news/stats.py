"""Numbers the strategy dashboards read (contract: docs/stats.md).

Definitions:
- «news.published»: news items, announcements and press releases published in the year (by
  their publish date), per library; network items (no library) count in the network total only,
  hence additive=False and the (None, year) keys.
- «news.press_releases»: the press releases among them.
"""

from django.db.models import Count, IntegerField, Value
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from news.models import NewsItem


def _by_branch_year(queryset, *, years, branch_ids):
    # rewrite(False): modeltranslation's values_list() reorders columns, which breaks the UNION.
    queryset = (
        queryset.rewrite(False)
        .annotate(year=ExtractYear("published_at"))
        .filter(year__in=list(years))
    )
    if branch_ids is not None:
        queryset = queryset.filter(branch_id__in=list(branch_ids))
    per_branch = queryset.filter(branch__isnull=False)
    per_branch = (
        per_branch.values("branch_id", "year")
        .annotate(value=Count("id"))
        .values_list("branch_id", "year", "value")
        .order_by()
    )
    # The network's own items belong to no library, so the network figure is not the sum of
    # the libraries': it comes as the (None, year) rows, in the same statement (UNION ALL).
    network = (
        queryset.annotate(network=Value(None, output_field=IntegerField()))
        .values("network", "year")
        .annotate(value=Count("id"))
        .values_list("network", "year", "value")
        .order_by()
    )
    rows = per_branch.union(network, all=True)
    return {(branch_id, year): value for branch_id, year, value in rows}


def published(*, years, branch_ids=None):
    return _by_branch_year(NewsItem.objects.published(), years=years, branch_ids=branch_ids)


def press_releases(*, years, branch_ids=None):
    return _by_branch_year(
        NewsItem.objects.published().press_releases(), years=years, branch_ids=branch_ids
    )


COMPUTED: dict[str, Indicator] = {
    "news.published": Indicator(
        label=_("Опубліковано новин"),
        unit=_("новин"),
        func=published,
        additive=False,
        counts=_("Новини, оголошення та прес-релізи, опубліковані на порталі протягом року."),
    ),
    "news.press_releases": Indicator(
        label=_("Прес-релізи"),
        unit=_("прес-релізів"),
        func=press_releases,
        additive=False,
        counts=_("Прес-релізи, опубліковані на порталі протягом року."),
    ),
}
