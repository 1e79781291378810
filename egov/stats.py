"""Numbers the strategy dashboards read (contract: docs/stats.md).

A help desk case is either a help request (counted when received) or a walk-in case logged at
the desk. «Resolved» counts done requests and walk-ins marked resolved; «minutes» adds the time
logged on walk-ins and on done requests. Years are Kyiv calendar years: of the request's
arrival, of the walk-in's date, of the consultation slot's start.

Breakdown: `cases_by("topic" | "month", years=…, branch_ids=…)`.
"""

from collections import defaultdict
from typing import NamedTuple

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from branches.models import KYIV
from egov.models import Booking, HelpRequest, WalkIn


class Indicator(NamedTuple):
    label: str
    unit: str
    func: object
    additive: bool = True


def _requests(years, branch_ids):
    rows = HelpRequest.objects.annotate(year=ExtractYear("created_at", tzinfo=KYIV)).filter(
        year__in=list(years)
    )
    return rows if branch_ids is None else rows.filter(branch_id__in=list(branch_ids))


def _walk_ins(years, branch_ids):
    rows = WalkIn.objects.annotate(year=ExtractYear("date")).filter(year__in=list(years))
    return rows if branch_ids is None else rows.filter(branch_id__in=list(branch_ids))


def _by_branch_year(queryset, value):
    return {
        (row["branch_id"], row["year"]): row["value"] or 0
        for row in queryset.values("branch_id", "year").annotate(value=value).order_by()
    }


def _added(*parts):
    total = defaultdict(int)
    for part in parts:
        for key, value in part.items():
            total[key] += value
    return {key: value for key, value in total.items() if value}


def requests_received(*, years, branch_ids=None):
    return _by_branch_year(_requests(years, branch_ids), Count("pk"))


def walk_ins(*, years, branch_ids=None):
    return _by_branch_year(_walk_ins(years, branch_ids), Count("pk"))


def resolved(*, years, branch_ids=None):
    # Two aggregate queries (one per table), added per (branch, year).
    return _added(
        _by_branch_year(
            _requests(years, branch_ids).filter(status=HelpRequest.Status.DONE), Count("pk")
        ),
        _by_branch_year(_walk_ins(years, branch_ids).filter(resolved=True), Count("pk")),
    )


def minutes(*, years, branch_ids=None):
    return _added(
        _by_branch_year(
            _requests(years, branch_ids).filter(status=HelpRequest.Status.DONE),
            Sum("minutes_spent"),
        ),
        _by_branch_year(_walk_ins(years, branch_ids), Sum("minutes")),
    )


def slot_bookings(*, years, branch_ids=None):
    rows = Booking.objects.filter(
        status__in=[Booking.Status.BOOKED, Booking.Status.ATTENDED]
    ).annotate(year=ExtractYear("slot__starts_at", tzinfo=KYIV))
    rows = rows.filter(year__in=list(years))
    if branch_ids is not None:
        rows = rows.filter(slot__branch_id__in=list(branch_ids))
    return {
        (row["slot__branch_id"], row["year"]): row["value"]
        for row in rows.values("slot__branch_id", "year").annotate(value=Count("pk")).order_by()
    }


COMPUTED = {
    "egov.requests": Indicator(
        label=_("Запити на допомогу з е-послугами"), unit=_("запитів"), func=requests_received
    ),
    "egov.walk_ins": Indicator(
        label=_("Звернення до пункту е-послуг без запису"), unit=_("звернень"), func=walk_ins
    ),
    "egov.resolved": Indicator(
        label=_("Вирішені звернення з е-послуг"), unit=_("звернень"), func=resolved
    ),
    "egov.minutes": Indicator(
        label=_("Час, витрачений на допомогу з е-послугами"), unit=_("хвилин"), func=minutes
    ),
    "egov.slot_bookings": Indicator(
        label=_("Записи на консультації з е-послуг"), unit=_("записів"), func=slot_bookings
    ),
}


def cases_by(dimension, *, years, branch_ids=None):
    """Cases (requests + walk-ins) by "topic" or "month", with resolved share and minutes.

    Returns [{"key": topic slug | month 1–12, "label": topic name | None, "cases", "resolved",
    "minutes", "resolved_share" (0–1 or None)}], ordered by topic position or month; one
    aggregate query per table, summed per key.
    """
    if dimension == "topic":
        fields = ("topic__slug", "topic__name", "topic__position")
        request_rows, walk_in_rows = (
            _requests(years, branch_ids).values(*fields),
            _walk_ins(years, branch_ids).values(*fields),
        )
    elif dimension == "month":
        request_rows = (
            _requests(years, branch_ids)
            .annotate(month=ExtractMonth("created_at", tzinfo=KYIV))
            .values("month")
        )
        walk_in_rows = (
            _walk_ins(years, branch_ids).annotate(month=ExtractMonth("date")).values("month")
        )
    else:
        raise ValueError(f"Unknown dimension {dimension!r}: use 'topic' or 'month'.")
    done = Q(status=HelpRequest.Status.DONE)
    request_rows = request_rows.annotate(
        cases=Count("pk"),
        solved=Count("pk", filter=done),
        spent=Coalesce(Sum("minutes_spent", filter=done), Value(0), output_field=IntegerField()),
    ).order_by()
    walk_in_rows = walk_in_rows.annotate(
        cases=Count("pk"),
        solved=Count("pk", filter=Q(resolved=True)),
        spent=Coalesce(Sum("minutes"), Value(0), output_field=IntegerField()),
    ).order_by()
    merged = {}
    for row in [*request_rows, *walk_in_rows]:
        if dimension == "topic":
            key, label, order = row["topic__slug"], row["topic__name"], row["topic__position"]
        else:
            key, label, order = row["month"], None, row["month"]
        entry = merged.setdefault(
            key,
            {"key": key, "label": label, "order": order, "cases": 0, "resolved": 0, "minutes": 0},
        )
        entry["cases"] += row["cases"]
        entry["resolved"] += row["solved"]
        entry["minutes"] += row["spent"]
    result = sorted(merged.values(), key=lambda entry: (entry["order"], str(entry["key"])))
    for entry in result:
        del entry["order"]
        entry["resolved_share"] = entry["resolved"] / entry["cases"] if entry["cases"] else None
    return result
