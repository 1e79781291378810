"""Numbers the strategy dashboards read (contract: docs/stats.md).

Definitions:
- «volunteers.applications»: applications received in the year (by the date of the form), per
  the library the applicant prefers most (`Application.branch`; the form requires one, so there
  is no «no library» row).
- «volunteers.active»: people who worked as volunteers in the year, i.e. have approved hours
  dated in it, per library of the activity; a person who helped two libraries counts once in
  the network figure, hence additive=False and the (None, year) keys.
- «volunteers.hours»: approved hours by the library where the work was done and its date.
- «volunteers.home_deliveries»: home deliveries completed in the year, by serving library.

Breakdown: `hours_by("activity" | "month", *, years, branch_ids=None)`.
"""

from django.db.models import Count, IntegerField, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from volunteers.models import Application, DeliveryRequest, HoursEntry


def _by_branch_year(queryset, *, branch_field, year_expr, years, branch_ids, value):
    queryset = queryset.annotate(year=year_expr).filter(year__in=list(years))
    if branch_ids is not None:
        queryset = queryset.filter(**{f"{branch_field}__in": list(branch_ids)})
    rows = queryset.values(branch_field, "year").annotate(value=value).order_by()
    return {(row[branch_field], row["year"]): row["value"] for row in rows}


def applications(*, years, branch_ids=None):
    return _by_branch_year(
        Application.objects.all(),
        branch_field="branch_id",
        year_expr=ExtractYear("applied_on"),
        years=years,
        branch_ids=branch_ids,
        value=Count("id"),
    )


def active(*, years, branch_ids=None):
    approved = HoursEntry.objects.approved().annotate(year=ExtractYear("date"))
    approved = approved.filter(year__in=list(years))
    if branch_ids is not None:
        approved = approved.filter(branch_id__in=list(branch_ids))
    per_branch = (
        approved.values("branch_id", "year")
        .annotate(value=Count("volunteer_id", distinct=True))
        .order_by()
    )
    network = (
        approved.annotate(network=Value(None, output_field=IntegerField()))
        .values("network", "year")
        .annotate(value=Count("volunteer_id", distinct=True))
        .values_list("network", "year", "value")
        .order_by()
    )
    # One statement: the per-library and the network counts as a UNION ALL.
    rows = per_branch.values_list("branch_id", "year", "value").union(network, all=True)
    return {(branch_id, year): value for branch_id, year, value in rows}


def hours(*, years, branch_ids=None):
    return _by_branch_year(
        HoursEntry.objects.approved(),
        branch_field="branch_id",
        year_expr=ExtractYear("date"),
        years=years,
        branch_ids=branch_ids,
        value=Sum("hours"),
    )


def home_deliveries(*, years, branch_ids=None):
    return _by_branch_year(
        DeliveryRequest.objects.filter(status=DeliveryRequest.Status.DELIVERED),
        branch_field="branch_id",
        year_expr=ExtractYear("delivered_at"),
        years=years,
        branch_ids=branch_ids,
        value=Count("id"),
    )


COMPUTED: dict[str, Indicator] = {
    "volunteers.applications": Indicator(
        label=_("Анкети волонтерів"),
        unit=_("анкет"),
        func=applications,
        counts=_("Анкети «Хочу стати волонтером!», подані протягом року."),
    ),
    "volunteers.active": Indicator(
        label=_("Активні волонтери"),
        unit=_("осіб"),
        func=active,
        additive=False,
        counts=_(
            "Волонтери з хоча б однією підтвердженою годиною за рік; людина, що допомагає двом "
            "бібліотекам, у мережі одна."
        ),
    ),
    "volunteers.hours": Indicator(
        label=_("Години волонтерів"),
        unit=_("год"),
        func=hours,
        counts=_("Години волонтерів, підтверджені працівниками."),
    ),
    "volunteers.home_deliveries": Indicator(
        label=_("Доставки книг додому"),
        unit=_("доставок"),
        func=home_deliveries,
        counts=_("Доставки книг додому зі станом «Доставлено»."),
    ),
}

HOURS_DIMENSIONS = {"activity": "activity", "month": "month"}


def hours_by(dimension, *, years, branch_ids=None):
    """Approved hours per year and `dimension` ("activity" — an Interest value — or "month",
    1–12): a list of {"year", dimension, "hours"} from one aggregate query."""
    if dimension not in HOURS_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {sorted(HOURS_DIMENSIONS)}")
    queryset = HoursEntry.objects.approved().annotate(
        year=ExtractYear("date"), month=ExtractMonth("date")
    )
    queryset = queryset.filter(year__in=list(years))
    if branch_ids is not None:
        queryset = queryset.filter(branch_id__in=list(branch_ids))
    rows = (
        queryset.values("year", dimension).annotate(hours=Sum("hours")).order_by("year", dimension)
    )
    return list(rows)
