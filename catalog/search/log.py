"""The search log: every non-blank search with its filters and hit count, never who asked;
its zero hits are the report of unsatisfied requests («Незадоволені запити»)."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Min
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from branches.models import Branch
from catalog.models import SearchLog
from catalog.search.query import SearchFilters, normalize_query

log = logging.getLogger(__name__)

# --- Search log ---------------------------------------------------------------------------


def search_log_enqueue(
    *,
    query: str,
    normalized: str | None = None,
    filters: SearchFilters | Mapping | None = None,
    hits: int,
) -> None:
    """Have a worker write the search log row (`search_log_write`) after the request.

    An INSERT and its commit on every search cost the reader more than the rest of a warm
    search page; a Celery message costs a Redis push. Without a broker (Celery eager) the
    row is written in place; with the broker unreachable it is written in place too, so a
    Redis outage never loses the zero-hit report's rows.
    """
    from catalog.tasks import search_log_write_task

    query = (query or "").strip()
    if not query:
        return
    args = {
        "query": query[:300],
        "normalized": (normalized if normalized is not None else normalize_query(query))[:300],
        "filters": SearchFilters.coerce(filters).as_dict(),
        "hits": max(0, int(hits)),
    }
    try:
        search_log_write_task.delay(**args)
    except Exception:  # noqa: BLE001 — the broker is down: the page still answers, logged
        log.warning("search log queue unavailable; writing in place", exc_info=True)
        search_log_write(**args)


def search_log_write(
    *,
    query: str,
    normalized: str | None = None,
    filters: SearchFilters | Mapping | None = None,
    branch: Branch | None = None,
    hits: int,
) -> SearchLog | None:
    """Record one search: the text, filters and hit count, never who asked. Blank queries
    (browsing by facets) are not logged."""
    query = (query or "").strip()
    if not query:
        return None
    filters = SearchFilters.coerce(filters)
    if branch is None and filters.branch:
        branch = Branch.objects.filter(slug=filters.branch).first()
    return SearchLog.objects.create(
        query=query[:300],
        normalized=(normalized if normalized is not None else normalize_query(query))[:300],
        filters=filters.as_dict(),
        branch=branch,
        hits=max(0, int(hits)),
    )


def zero_hit_report(
    *, month: date | str | None = None, branch: Branch | None = None, limit: int = 50
) -> list[dict]:
    """«Незадоволені запити»: the most frequent zero-hit queries, per month (newest first).

    `month` (a date in it, or "YYYY-MM") limits the report to one month; `branch` to searches
    filtered to that library. At most `limit` queries per month. Each row: month (date of its
    first day), normalized, count, example (one original spelling).
    """
    logs = SearchLog.objects.filter(hits=0).exclude(normalized="")
    if month is not None:
        start = _month_start(month)
        end = (start + timedelta(days=32)).replace(day=1)
        tz = timezone.get_current_timezone()
        logs = logs.filter(
            created_at__gte=datetime.combine(start, time.min, tz),
            created_at__lt=datetime.combine(end, time.min, tz),
        )
    if branch is not None:
        logs = logs.filter(branch=branch)
    rows = (
        logs.annotate(month=TruncMonth("created_at"))
        .values("month", "normalized")
        .annotate(count=Count("pk"), example=Min("query"))
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("month")],
                order_by=[F("count").desc(), F("normalized").asc()],
            )
        )
        .filter(place__lte=limit)
        .order_by("-month", "-count", "normalized")
    )
    return [
        {
            "month": timezone.localtime(row["month"]).date()
            if isinstance(row["month"], datetime)
            else row["month"],
            "normalized": row["normalized"],
            "count": row["count"],
            "example": row["example"],
        }
        for row in rows
    ]


def _month_start(month: date | str) -> date:
    if isinstance(month, str):
        year, number = (int(part) for part in month.split("-")[:2])
        calendar.monthrange(year, number)  # ValueError for a month that does not exist
        return date(year, number, 1)
    if isinstance(month, datetime):
        month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
    return month.replace(day=1)
