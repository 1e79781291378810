"""Numbers the strategy dashboards read (contract: docs/stats.md).

A help desk case is either a help request (counted when received) or a walk-in case logged at
the desk. «Resolved» counts done requests and walk-ins marked resolved; «minutes» adds the time
logged on walk-ins and on done requests. Years are Kyiv calendar years: of the request's
arrival, of the walk-in's date, of the consultation slot's start.

Each indicator is one aggregate query (requests and walk-ins joined by UNION ALL where both
count). Breakdown: `cases_by("topic" | "branch" | "month", years=…, branch_ids=…)`.
"""

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from core.tz import KYIV
from egov.models import Booking, HelpRequest, WalkIn


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


def _cases(years, branch_ids):
    """Requests and walk-ins as one set of (branch, year, resolved 0/1, minutes) rows.

    Each table's part is built by the ORM; PostgreSQL adds them with UNION ALL, so that one
    aggregate query answers for both.
    """
    done = Q(status=HelpRequest.Status.DONE)
    requests = (
        _requests(years, branch_ids)
        .annotate(
            solved=Case(When(done, then=1), default=0, output_field=IntegerField()),
            spent=Case(
                When(done, then=Coalesce("minutes_spent", 0)),
                default=0,
                output_field=IntegerField(),
            ),
        )
        .values_list("branch_id", "year", "solved", "spent")
        .order_by()
    )
    walk_ins = (
        _walk_ins(years, branch_ids)
        .annotate(
            solved=Case(When(resolved=True, then=1), default=0, output_field=IntegerField()),
            spent=F("minutes"),
        )
        .values_list("branch_id", "year", "solved", "spent")
        .order_by()
    )
    return requests.union(walk_ins, all=True)


def _cases_total(years, branch_ids, column):
    union_sql, params = _cases(years, branch_ids).query.sql_with_params()
    sql = (
        f"SELECT branch_id, year, SUM({column}) FROM ({union_sql}) "
        "AS cases(branch_id, year, solved, spent) GROUP BY branch_id, year"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(branch_id, year): int(value) for branch_id, year, value in cursor if value}


def requests_received(*, years, branch_ids=None):
    return _by_branch_year(_requests(years, branch_ids), Count("pk"))


def walk_ins(*, years, branch_ids=None):
    return _by_branch_year(_walk_ins(years, branch_ids), Count("pk"))


def resolved(*, years, branch_ids=None):
    return _cases_total(years, branch_ids, "solved")


def minutes(*, years, branch_ids=None):
    return _cases_total(years, branch_ids, "spent")


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
        label=_("Запити на допомогу з е-послугами"),
        unit=_("запитів"),
        func=requests_received,
        counts=_("Запити на допомогу з е-послугами, подані протягом року."),
    ),
    "egov.walk_ins": Indicator(
        label=_("Звернення до пункту е-послуг без запису"),
        unit=_("звернень"),
        func=walk_ins,
        counts=_("Звернення без запису, внесені працівниками."),
    ),
    "egov.resolved": Indicator(
        label=_("Вирішені звернення з е-послуг"),
        unit=_("звернень"),
        func=resolved,
        counts=_("Запити зі станом «Вирішено» і вирішені звернення без запису."),
    ),
    "egov.minutes": Indicator(
        label=_("Час, витрачений на допомогу з е-послугами"),
        unit=_("хвилин"),
        func=minutes,
        counts=_("Хвилини, які працівники записали на вирішені запити та звернення."),
    ),
    "egov.slot_bookings": Indicator(
        label=_("Записи на консультації з е-послуг"),
        unit=_("записів"),
        func=slot_bookings,
        counts=_("Записи на консультації, що не скасовані."),
    ),
}


# The (key, label, order) fields of the breakdowns that have names.
LABELS = {
    "topic": ("topic__slug", "topic__name", "topic__position"),
    "branch": ("branch_id", "branch__name", "branch__sort_order"),
}


def cases_by(dimension, *, years, branch_ids=None):
    """Cases (requests + walk-ins) by "topic", "branch" or "month", with resolved share and time.

    Returns [{"key": topic slug | branch id | month 1–12, "label": topic or library name | None,
    "cases", "resolved", "minutes", "resolved_share" (0–1 or None)}], ordered by topic
    position, library order or month; one aggregate query per table, summed per key.
    """
    if dimension in ("topic", "branch"):
        fields = LABELS[dimension]
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
        raise ValueError(f"Unknown dimension {dimension!r}: use 'topic', 'branch' or 'month'.")
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
        if dimension in LABELS:
            key, label, order = (row[field] for field in LABELS[dimension])
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
