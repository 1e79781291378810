"""What the strategy pages show, computed with a fixed number of queries: indicator values
against targets, milestone progress, and the yearly 6-НК report.

Each builder reads whole sets at once (all directions, all indicators, all targets, one
aggregate per metric) and never queries inside a loop over rows.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from strategy.models import Indicator, Metric, Target
from strategy.sources import load


@dataclass
class Cell:
    year: int
    value: object  # None: no data
    target: object = None
    network_only: bool = False  # a figure kept for the whole network only (e.g. the catalogue)

    @property
    def met(self):
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target

    @property
    def percent(self):
        if self.value is None or not self.target:
            return None
        return int((Decimal(self.value) * 100 / Decimal(self.target)).to_integral_value())


@dataclass
class IndicatorRow:
    indicator: Indicator
    metric: Metric
    available: bool
    cells: list = field(default_factory=list)
    by_library: list = field(default_factory=list)  # [(branch, [Cell…])]

    @property
    def has_targets(self):
        return any(cell.target is not None for cell in self.cells)

    @property
    def is_empty(self):
        """Nothing but zeros and no targets: a chart of it would be a blank frame."""
        return not self.has_targets and not any(cell.value for cell in self.cells)


def _targets(indicators):
    """{indicator_id: {(branch_id or None, year): value}} in one query."""
    found = {}
    for target in Target.objects.filter(indicator__in=indicators):
        found.setdefault(target.indicator_id, {})[(target.branch_id, target.year)] = _plain(
            target.value
        )
    return found


def _plain(value):
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _network_target(targets, year, branch_ids):
    if branch_ids is not None:
        picked = [targets[(b, year)] for b in branch_ids if (b, year) in targets]
        return sum(picked) if picked else None
    if (None, year) in targets:
        return targets[(None, year)]
    picked = [v for (b, y), v in targets.items() if y == year and b is not None]
    return sum(picked) if picked else None


def indicator_rows(indicators, *, years, branch_ids=None, libraries=()):
    """Rows of values vs targets by year, and, when `libraries` are given, by library too.

    Queries: one for the targets, one for all manual values, one per computed metric.
    """
    indicators = list(indicators)
    metrics = list({i.metric_id: i.metric for i in indicators}.values())
    series = load(metrics, years=years, branch_ids=branch_ids)
    targets = _targets(indicators)
    rows = []
    for indicator in indicators:
        values = series[indicator.metric_id]
        own_targets = targets.get(indicator.pk, {})
        row = IndicatorRow(indicator=indicator, metric=indicator.metric, available=values.available)
        network_only = values.available and not values.additive and not values._per_library
        row.cells = [
            Cell(
                year=year,
                value=values.network(year, branch_ids),
                target=_network_target(own_targets, year, branch_ids),
                network_only=network_only and branch_ids is not None,
            )
            for year in years
        ]
        if values.available and (values.additive or values._per_library):
            row.by_library = [
                (
                    library,
                    [
                        Cell(
                            year=year,
                            value=values.at(library.pk, year),
                            target=own_targets.get((library.pk, year)),
                        )
                        for year in years
                    ],
                )
                for library in libraries
            ]
        rows.append(row)
    return rows


def indicators_of(directions):
    return (
        Indicator.objects.filter(direction__in=directions)
        .select_related("metric")
        .order_by("direction__number", "position", "pk")
    )


def direction_prefetches():
    return [
        "participants",
        Prefetch("indicators", queryset=Indicator.objects.select_related("metric")),
    ]


# --- the yearly report (form 6-НК) ------------------------------------------------------------


@dataclass
class ReportLine:
    key: str
    label: str
    value: object
    source: str  # the code the figure came from (shown small, for tracing the figure)
    unit: str = ""
    level: int = 0  # 1: a breakdown line under the one above
    manual: bool = False
    admin_url: str = ""  # where the hand-entered values behind a manual figure are listed
    source_label: str = ""  # where the figure came from, in words


# Where a computed metric's numbers come from, by the app its code starts with.
ORIGINS = {
    "accounts": _("з реєстрації читачів"),
    "catalog": _("з електронного каталогу"),
    "events": _("з обліку заходів"),
    "volunteers": _("з обліку волонтерів"),
    "egov": _("з курсів е-урядування"),
    "circulation": _("з обліку видачі документів"),
    "strategy": _("з обліку плану"),
}


def _lower_first(text):
    """«Фінансування з бюджету» → «фінансування з бюджету», but «ЦБС…» stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def source_text(metric):
    """Where a metric's figures come from, in words: «Введено вручну: відвідування»,
    «Надійшло примірників — з електронного каталогу»."""
    if metric is None:
        return ""
    if metric.is_manual:
        return _("Введено вручну: %(name)s") % {"name": _lower_first(metric.display_name)}
    origin = ORIGINS.get(metric.code.split(".")[0])
    return f"{metric.display_name} — {origin}" if origin else metric.display_name


REPORT_LINES = [
    # key, label, metric code
    # Users of the year in 6-НК: every reader whose card was valid in it (accounts.stats).
    ("readers", _("Зареєстровано користувачів"), "accounts.readers_total"),
    ("visits", _("Кількість відвідувань"), "manual.visits"),
    ("loans", _("Документовидача"), "manual.loans"),
    ("holdings", _("Фонд на кінець року"), "catalog.holdings"),
    ("acquisitions", _("Надійшло документів"), "catalog.acquisitions"),
    ("withdrawals", _("Вибуло документів"), "catalog.withdrawals"),
    ("events", _("Проведено масових заходів"), "events.held"),
    ("attendance", _("Відвідувачів масових заходів"), "events.attendance"),
]
ACQUISITION_SOURCES = ("budget", "donation", "author_gift", "grant", "sponsor", "exchange")
RATIOS = [
    # key, label, numerator, denominator, formula shown as the source
    ("reading", _("Читаність"), "loans", "readers", _("документовидача / користувачі")),
    ("visiting", _("Відвідуваність"), "visits", "readers", _("відвідування / користувачі")),
    ("turnover", _("Обертаність фонду"), "loans", "holdings", _("документовидача / фонд")),
    ("provision", _("Книгозабезпеченість"), "holdings", "readers", _("фонд / користувачі")),
]
CATEGORY_LABELS = {
    "child": _("діти до 14 років"),
    "youth": _("юнацтво 15–21"),
    "adult": _("дорослі"),
    "senior": _("люди поважного віку"),
    "special_needs": _("люди з особливими потребами"),
}


def _ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _readers_by_category(year, branch_ids):
    try:
        stats = import_module("accounts.stats")
    except ImportError:
        return None
    counts = {}
    for row in stats.readers_on_books_by_category(years=[year], branch_ids=branch_ids):
        counts[row["category"]] = counts.get(row["category"], 0) + row["count"]
    return counts


def _breakdown_lines(function, *, year, branch_ids, unit, prefix):
    """Lines of a catalogue breakdown (by document type, by reason), one query."""
    try:
        breakdown = getattr(import_module("catalog.stats"), function)
    except (ImportError, AttributeError):
        return []
    totals, labels = {}, {}
    for row in breakdown(years=[year], branch_ids=branch_ids):
        totals[row["kind"]] = totals.get(row["kind"], 0) + row["count"]
        labels[row["kind"]] = row["label"]
    return [
        ReportLine(
            key=f"{function}.{kind}",
            label=f"{prefix}: {labels[kind]}",
            value=totals[kind],
            source=f"catalog.stats.{function} · {kind}",
            source_label=f"{prefix}: {labels[kind]} — {ORIGINS['catalog']}",
            unit=unit,
            level=1,
        )
        for kind in sorted(totals, key=lambda kind: -totals[kind])
    ]


def yearly_report(*, year, branch=None):
    """The 6-НК figures of one library (or the network) for `year`, each with its source.

    Queries: metrics, manual values, one per computed figure, readers by category.
    """
    branch_ids = [branch.pk] if branch is not None else None
    codes = [code for _key, _label, code in REPORT_LINES] + [
        f"catalog.acquisitions.{source}" for source in ACQUISITION_SOURCES
    ]
    metrics = {metric.code: metric for metric in Metric.objects.filter(code__in=codes)}
    series = load(list(metrics.values()), years=[year], branch_ids=branch_ids)

    def value_of(code):
        metric = metrics.get(code)
        if metric is None:
            return None
        return series[metric.pk].network(year, branch_ids)

    lines, by_key = [], {}
    for key, label, code in REPORT_LINES:
        metric = metrics.get(code)
        line = ReportLine(
            key=key,
            label=str(label),
            value=value_of(code),
            source=code,
            source_label=source_text(metric),
            unit=metric.display_unit if metric else "",
            manual=bool(metric and metric.is_manual),
        )
        if line.manual:
            # The parameter names of the admin's own filters, so that they show as selected.
            query = {"metric__id__exact": metric.pk, "year": year}
            if branch is not None:
                query["branch__id__exact"] = branch.pk
            line.admin_url = (
                f"{reverse('admin:strategy_manualvalue_changelist')}?{urlencode(query)}"
            )
        lines.append(line)
        by_key[key] = line.value
        if key == "readers":
            categories = _readers_by_category(year, branch_ids)
            for category, category_label in CATEGORY_LABELS.items():
                lines.append(
                    ReportLine(
                        key=f"readers.{category}",
                        label=str(category_label),
                        value=None if categories is None else categories.get(category, 0),
                        source=f"accounts.stats.readers_on_books_by_category · {category}",
                        source_label=_("Читачі за категоріями: %(category)s — з реєстрації читачів")
                        % {"category": category_label},
                        unit=line.unit,
                        level=1,
                    )
                )
        if key == "withdrawals":
            lines += _breakdown_lines(
                "withdrawals_by_reason",
                year=year,
                branch_ids=branch_ids,
                unit=line.unit,
                prefix=_("причина"),
            )
        if key == "acquisitions":
            lines += _breakdown_lines(
                "acquisitions_by_material",
                year=year,
                branch_ids=branch_ids,
                unit=line.unit,
                prefix=_("вид документа"),
            )
            by_source = 0
            for source in ACQUISITION_SOURCES:
                code_by_source = f"catalog.acquisitions.{source}"
                sub = metrics.get(code_by_source)
                lines.append(
                    ReportLine(
                        key=f"acquisitions.{source}",
                        label=sub.display_name if sub else code_by_source,
                        value=value_of(code_by_source),
                        source=code_by_source,
                        source_label=source_text(sub),
                        unit=line.unit,
                        level=1,
                    )
                )
                by_source += lines[-1].value or 0
            if line.value and line.value > by_source:
                # Copies that came without an intake act (a MARC import, an old stock list):
                # shown so that the sources add up to the total.
                lines.append(
                    ReportLine(
                        key="acquisitions.no_act",
                        label=str(_("Надійшло без акта надходження (імпорт, давні записи)")),
                        value=line.value - by_source,
                        source="catalog.acquisitions − Σ catalog.acquisitions.*",
                        source_label=str(_("Надійшло всього мінус сума за джерелами надходження")),
                        unit=line.unit,
                        level=1,
                    )
                )
    codes = {key: code for key, _label, code in REPORT_LINES}
    for key, label, numerator, denominator, formula in RATIOS:
        lines.append(
            ReportLine(
                key=key,
                label=str(label),
                value=_ratio(by_key.get(numerator), by_key.get(denominator)),
                source=f"{codes[numerator]} / {codes[denominator]}",
                source_label=str(formula),
            )
        )
    return lines
