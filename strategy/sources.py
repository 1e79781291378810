"""Where the indicator numbers come from: the apps' `stats.py` modules (docs/stats.md) and the
values typed in by hand.

`load()` answers for a set of metrics at once: one query for all manual metrics together and
one aggregate query per computed metric, so a page's query count depends on how many metrics it
shows, never on how much data lies behind them. A computed code that no installed app provides
(yet) gives a series marked unavailable, shown as «немає даних», not an error.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from strategy.models import ManualValue, Metric

logger = logging.getLogger(__name__)

STATS_MODULES = (
    "branches.stats",
    "catalog.stats",
    "accounts.stats",
    "events.stats",
    "volunteers.stats",
    "egov.stats",
    "circulation.stats",
    "reference.stats",
    "news.stats",
    "digital.stats",
    "lore.stats",
    "spaces.stats",
    "strategy.stats",
)


def computed_indicators():
    """Every app's COMPUTED merged: {code: Indicator}. Read afresh so new apps just appear."""
    found = {}
    for name in STATS_MODULES:
        try:
            module = import_module(name)
        except ImportError:
            logger.warning("strategy: %s cannot be imported; its indicators show no data", name)
            continue
        found.update(getattr(module, "COMPUTED", {}))
    return found


@dataclass
class Series:
    """One metric's values: {(branch_id or None, year): number}."""

    available: bool = True
    additive: bool = True
    values: dict = field(default_factory=dict)
    counts: str = ""  # what a computed figure counts, in words

    def at(self, branch_id, year):
        if not self.available:
            return None
        if not self.additive and not self._per_library:
            return None  # a network-only figure has no value for one library
        return self.values.get((branch_id, year), 0)

    def network(self, year, branch_ids=None):
        """The network figure; restricted to `branch_ids`, the sum of those libraries."""
        if not self.available:
            return None
        if branch_ids is not None:
            if not self.additive and not self._per_library:
                return None
            return sum((self.values.get((b, year), 0) for b in branch_ids), 0)
        if (None, year) in self.values:
            return self.values[(None, year)]
        if not self.additive:
            return 0
        return sum((v for (b, y), v in self.values.items() if y == year and b is not None), 0)

    @property
    def _per_library(self):
        return any(branch is not None for branch, _year in self.values)


def load(metrics, *, years, branch_ids=None):
    """{metric.pk: Series} for `metrics` over `years`, limited to `branch_ids` if given."""
    years = sorted(set(years))
    series = {}
    manual = [m for m in metrics if m.source == Metric.Source.MANUAL]
    if manual:
        rows = ManualValue.objects.filter(metric__in=manual, year__in=years)
        if branch_ids is not None:
            rows = rows.filter(branch__in=list(branch_ids))
        for metric in manual:
            series[metric.pk] = Series(additive=metric.additive)
        for metric_id, branch_id, year, value in rows.values_list(
            "metric", "branch", "year", "value"
        ):
            series[metric_id].values[(branch_id, year)] = _number(value)
    registry = computed_indicators() if len(manual) < len(metrics) else {}
    for metric in metrics:
        if metric.source != Metric.Source.COMPUTED:
            continue
        indicator = registry.get(metric.code)
        if indicator is None:
            series[metric.pk] = Series(available=False)
            continue
        raw = indicator.func(years=years, branch_ids=branch_ids)
        series[metric.pk] = Series(
            additive=indicator.additive,
            values={key: _number(value) for key, value in raw.items()},
            counts=indicator.counts,
        )
    return series


def _number(value):
    """Whole numbers as int so that 12.00 reads «12»; fractions stay Decimal."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value
