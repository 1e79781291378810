"""The search log: every non-blank search with its filters and hit count, never who asked;
its zero hits are the report of unsatisfied requests («Незадоволені запити»)."""

from __future__ import annotations

import calendar
import json
import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Min
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from branches.models import Branch
from catalog.models import SearchLog
from catalog.search.query import SearchFilters, normalize_query

log = logging.getLogger(__name__)

# --- Search log ---------------------------------------------------------------------------


# Searches wait here (a Redis list) for `search_log_flush`, which a Celery beat task runs
# every minute (settings.CELERY_BEAT_SCHEDULE).
BUFFER_KEY = "catalog:search-log:pending"
FLUSH_BATCH = 1_000
MAX_BUFFERED = 200_000


def _buffer():
    """The Redis client of the cache, or None where the cache is not Redis (development)."""
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError):
        return None


def search_log_buffered() -> bool:
    """Whether searches are logged through the buffer (Redis) rather than in the request."""
    return _buffer() is not None


def search_log_enqueue(
    *,
    query: str,
    normalized: str | None = None,
    filters: SearchFilters | Mapping | None = None,
    hits: int,
) -> None:
    """Log a search from the page: one push to a Redis list, written later in batches by
    `search_log_flush`.

    An INSERT and its commit on every search cost the reader more than the rest of a warm
    search page (a Celery message per search cost as much CPU again). Without Redis, or with
    Redis unreachable, the row is written in place, so the zero-hit report never misses one.
    """
    query = (query or "").strip()
    if not query:
        return
    row = {
        "query": query[:300],
        "normalized": (normalized if normalized is not None else normalize_query(query))[:300],
        "filters": SearchFilters.coerce(filters).as_dict(),
        "hits": max(0, int(hits)),
        "at": timezone.now().isoformat(),
    }
    buffer = _buffer()
    if buffer is not None:
        try:
            key = cache.make_key(BUFFER_KEY)
            with buffer.pipeline(transaction=False) as pipe:  # one round trip
                pipe.rpush(key, json.dumps(row, ensure_ascii=False))
                # With the beat stopped for days the list must not eat Redis' memory.
                pipe.ltrim(key, -MAX_BUFFERED, -1)
                pipe.execute()
            return
        except Exception:  # noqa: BLE001 — Redis is down: the page still answers
            log.warning("search log buffer unavailable; writing in place", exc_info=True)
    row.pop("at")
    search_log_write(**row)


def search_log_flush(*, batch: int = FLUSH_BATCH) -> int:
    """Write the buffered searches to the search log, `batch` rows per INSERT; returns how
    many. Rows are taken off the list and inserted in one step each batch: a database error
    puts them back at the head of the list."""
    buffer = _buffer()
    if buffer is None:
        return 0
    key = cache.make_key(BUFFER_KEY)
    branches = None
    written = 0
    while True:
        with buffer.pipeline() as pipe:  # MULTI: no other flush takes the same rows
            pipe.lrange(key, 0, batch - 1)
            pipe.ltrim(key, batch, -1)
            payloads, _trimmed = pipe.execute()
        if not payloads:
            return written
        if branches is None:
            branches = {branch.slug: branch for branch in Branch.objects.all()}
        rows = []
        for payload in payloads:
            row = json.loads(payload)
            filters = SearchFilters.coerce(row["filters"])
            rows.append(
                SearchLog(
                    query=row["query"],
                    normalized=row["normalized"],
                    filters=filters.as_dict(),
                    branch=branches.get(filters.branch) if filters.branch else None,
                    hits=row["hits"],
                    created_at=datetime.fromisoformat(row["at"]),
                )
            )
        try:
            with transaction.atomic():
                SearchLog.objects.bulk_create(rows)
        except Exception:
            buffer.lpush(key, *reversed(payloads))
            raise
        written += len(rows)


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
