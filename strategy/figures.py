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

from strategy.models import Indicator, ManualValue, Metric, ReportRow, Target
from strategy.sources import computed_indicators, load


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
    counts: str = ""  # what the figure counts, in words (the app's stats.py)

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
        row = IndicatorRow(
            indicator=indicator,
            metric=indicator.metric,
            available=values.available,
            counts=values.counts,
        )
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
    origin: str = ""  # shown beside the figure: computed by the portal or typed in


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


USERS_UNIT_CODE = "accounts.readers_total"
REPORT_LINES = [
    # key, label, metric code
    # Users of the year in 6-НК: readers registered or re-registered in it; the figure is the
    # sum of accounts.stats.readers_on_books_by_category, the metric gives the unit only.
    ("readers", _("Зареєстровано користувачів"), USERS_UNIT_CODE),
    ("visits", _("Кількість відвідувань"), "manual.visits"),
    ("loans", _("Документовидача"), "manual.loans"),
    ("holdings", _("Фонд на кінець року"), "catalog.holdings"),
    ("acquisitions", _("Надійшло документів"), "catalog.acquisitions"),
    ("withdrawals", _("Вибуло документів"), "catalog.withdrawals"),
    ("events", _("Проведено масових заходів"), "events.held"),
    ("attendance", _("Відвідувачів масових заходів"), "events.attendance"),
    ("enquiries", _("Виконано довідок"), "nk.enquiries"),
]
# Figures the portal records for a library only once it does that work through the portal:
# visits and loans (документовидача) come from lending in the years the library lent through
# the portal (at least one check-out in the year), reference enquiries (довідки) from the
# enquiries log in the years it logged any; otherwise from the figure typed in. The network
# adds up its libraries each way (docs/stats.md).
RECORDED_LINES = {
    # key: (computed codes added up, the hand-entered metric for years without records,
    #       the code whose non-zero figure for a library and year means it recorded that work)
    "visits": (("circulation.visits", "events.attendance"), "manual.visits", "circulation.loans"),
    "loans": (("circulation.loans",), "manual.loans", "circulation.loans"),
    "enquiries": (("reference.enquiries",), "nk.enquiries", "reference.enquiries"),
}
ORIGIN_COMPUTED = {
    "readers": _("обчислено з реєстрації читачів порталу"),
    "visits": _("обчислено з видач порталу і відвідувань заходів"),
    "loans": _("обчислено з видач порталу"),
    "enquiries": _("обчислено з журналу довідок і відповідей на запитання читачів"),
}
ORIGIN_TYPED = _("введено вручну")
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


def _recorded_computed(year, branch_ids):
    """{code: {(branch_id, year): value}} of the RECORDED_LINES codes, one query each; None
    where the app is not installed."""
    registry = computed_indicators()
    codes = {code for computed, _typed, recorded in RECORDED_LINES.values() for code in computed}
    codes |= {recorded for _computed, _typed, recorded in RECORDED_LINES.values()}
    return {
        code: registry[code].func(years=[year], branch_ids=branch_ids) if code in registry else None
        for code in sorted(codes)
    }


def _recorded_value(key, *, year, branch_ids, computed, typed):
    """(value, libraries computed, libraries typed) of a RECORDED_LINES row: per library, the
    portal's figure if it recorded that work in `year`, else its typed figure (None if
    nothing typed)."""
    codes, _typed_code, recorded_code = RECORDED_LINES[key]
    recorded_counts = computed.get(recorded_code) or {}
    recorded = {
        b for (b, y), value in recorded_counts.items() if y == year and value and b is not None
    }
    typed_by_branch = {b: v for (b, y), v in typed.items() if y == year}
    libraries = set(branch_ids) if branch_ids is not None else recorded | set(typed_by_branch)
    total, from_portal, from_typed = None, 0, 0
    for library in libraries:
        if library in recorded:
            value = sum((computed.get(code) or {}).get((library, year), 0) for code in codes)
            from_portal += 1
        elif library in typed_by_branch:
            value = typed_by_branch[library]
            from_typed += 1
        else:
            continue
        total = value if total is None else total + value
    return total, from_portal, from_typed


def _origin(key, from_portal, from_typed):
    if from_portal and from_typed:
        return _("%(computed)s (бібліотек: %(n)s), %(typed)s (бібліотек: %(m)s)") % {
            "computed": ORIGIN_COMPUTED[key],
            "n": from_portal,
            "typed": ORIGIN_TYPED,
            "m": from_typed,
        }
    if from_portal:
        return str(ORIGIN_COMPUTED[key])
    if from_typed:
        return str(ORIGIN_TYPED)
    return ""


def yearly_report(*, year, branch=None):
    """The 6-НК figures of one library (or the network) for `year`, each with its source.

    Queries: metrics, manual values, one per computed figure, readers by category, and one
    per code of the figures the portal records (RECORDED_LINES).
    """
    branch_ids = [branch.pk] if branch is not None else None
    lending = _recorded_computed(year, branch_ids)
    codes = [code for _key, _label, code in REPORT_LINES] + [
        f"catalog.acquisitions.{source}" for source in ACQUISITION_SOURCES
    ]
    metrics = {metric.code: metric for metric in Metric.objects.filter(code__in=codes)}
    # The users' figure is the sum of their categories: its metric gives the unit only.
    series = load(
        [metric for metric in metrics.values() if metric.code != USERS_UNIT_CODE],
        years=[year],
        branch_ids=branch_ids,
    )

    def value_of(code):
        metric = metrics.get(code)
        if metric is None or metric.pk not in series:
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
        if key in RECORDED_LINES and metric is not None:
            line.value, from_portal, from_typed = _recorded_value(
                key,
                year=year,
                branch_ids=branch_ids,
                computed=lending,
                typed=series[metric.pk].values,
            )
            line.origin = _origin(key, from_portal, from_typed)
            line.manual = not from_portal
            if from_portal:
                computed_codes = RECORDED_LINES[key][0]
                line.source = " + ".join(computed_codes) + (f" | {code}" if from_typed else "")
                line.source_label = line.origin
        if key == "readers":
            categories = _readers_by_category(year, branch_ids)
            if categories is not None:
                # The users of the year are the sum of its categories (one rule, one query).
                line.value = sum(categories.values())
                line.source = "accounts.stats.readers_on_books_by_category"
                line.source_label = _(
                    "Читачі, записані або перереєстровані в році — з реєстрації читачів"
                )
                line.origin = str(ORIGIN_COMPUTED["readers"])
        lines.append(line)
        by_key[key] = line.value
        if key == "readers":
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


# --- the report laid out as the form 6-НК (docs/stats.md) ---------------------------------------

# A breakdown line exists only for kinds that occur; when its total is known, a kind that did
# not occur is a zero, not a gap.
BREAKDOWN_TOTALS = {
    "acquisitions_by_material": "acquisitions",
    "withdrawals_by_reason": "withdrawals",
}


@dataclass
class FormLine:
    number: int
    label: str
    level: int
    kind: str
    value: object  # None: nothing known («—»)
    manual: bool
    source: str = ""  # the code(s) behind the figure, shown only when tracing
    source_label: str = ""
    admin_url: str = ""
    origin: str = ""  # «обчислено з видач порталу» / «введено вручну», shown beside the figure

    @property
    def number_text(self):
        return f"{self.number:02d}"


@dataclass
class FormSection:
    number: int
    title: str
    lines: list = field(default_factory=list)


def _computed_value(keys, by_key):
    values = []
    for key in keys:
        line = by_key.get(key)
        if line is not None:
            values.append(line.value)
            continue
        total = by_key.get(BREAKDOWN_TOTALS.get(key.split(".")[0], ""))
        values.append(0 if total is not None and total.value is not None else None)
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _manual_admin_url(metric, year, branch):
    query = {"metric__id__exact": metric.pk, "year": year}
    if branch is not None:
        query["branch__id__exact"] = branch.pk
    return f"{reverse('admin:strategy_manualvalue_changelist')}?{urlencode(query)}"


def manual_values(rows, *, year, branch=None):
    """{metric_id: value} of the hand-entered rows for one library (or summed over the network
    for additive metrics); a metric nobody entered is absent. One query."""
    values = ManualValue.objects.filter(
        metric__in={row.metric_id for row in rows if row.metric_id}, year=year
    )
    if branch is not None:
        values = values.filter(branch=branch)
    found = {}
    for metric_id, value in values.values_list("metric", "value"):
        found[metric_id] = found.get(metric_id, 0) + value
    return {metric_id: _plain(value) for metric_id, value in found.items()}


def report_rows():
    return list(ReportRow.objects.select_related("metric"))


def nk_form(*, year, branch=None, lines=None):
    """The sections of form 6-НК for one library (or the network) and `year`: computed figures
    from `yearly_report` (pass its `lines` when already built), hand-entered ones from
    ManualValue, None where nothing is known.

    Queries: those of yearly_report (unless `lines` is given), the rows, the manual values.
    """
    if lines is None:
        lines = yearly_report(year=year, branch=branch)
    by_key = {line.key: line for line in lines}
    rows = report_rows()
    entered = manual_values(rows, year=year, branch=branch)
    titles = dict(ReportRow.Section.choices)
    sections = {}
    lending_rows = {typed: key for key, (_codes, typed, _recorded) in RECORDED_LINES.items()}
    for row in rows:
        lending_line = by_key.get(lending_rows.get(row.metric.code)) if row.is_manual else None
        if lending_line is not None:
            # Visits, loans, enquiries: from the portal where the library recorded them that
            # year, else typed.
            metric = row.metric
            line = FormLine(
                number=row.number,
                label=row.display_label,
                level=row.level,
                kind=row.kind,
                value=lending_line.value,
                manual=lending_line.manual,
                source=lending_line.source,
                source_label=str(lending_line.source_label),
                admin_url=_manual_admin_url(metric, year, branch),
                origin=str(lending_line.origin),
            )
        elif row.is_manual:
            metric = row.metric
            line = FormLine(
                number=row.number,
                label=row.display_label,
                level=row.level,
                kind=row.kind,
                value=entered.get(row.metric_id),
                manual=True,
                source=metric.code,
                source_label=str(source_text(metric)),
                admin_url=_manual_admin_url(metric, year, branch),
            )
        else:
            keys = row.keys
            found = [by_key[key] for key in keys if key in by_key]
            line = FormLine(
                number=row.number,
                label=row.display_label,
                level=row.level,
                kind=row.kind,
                value=_computed_value(keys, by_key),
                manual=False,
                source=" + ".join(line.source for line in found) or " + ".join(keys),
                source_label="; ".join(
                    str(line.source_label) for line in found if line.source_label
                ),
                origin="; ".join(str(line.origin) for line in found if line.origin),
            )
        section = sections.setdefault(
            row.section, FormSection(number=row.section, title=str(titles.get(row.section, "")))
        )
        section.lines.append(line)
    return [sections[number] for number in sorted(sections)]
