"""Catalogue latency: the search page for typical queries and the record page.

    DEBUG=false .venv/bin/python bench/catalog.py [--records N] [--requests 50]

Runs in-process through Django's test client against the database the settings point at
(embedded PostgreSQL when no DATABASE_URL; point DATABASE_URL at a separate database for big
runs). With --records N it first tops the demo catalogue up to N records with `seed_demo`
(which prints how long that took). For each query it measures:

- page: GET /catalog/?q=… — the whole search page (search, facets, page of results, template,
  and the push of its search-log row to the Redis buffer);
- raw: the floor — the statements search_records() sends for the query (the capped matches;
  for a typo also the vocabulary and the corrected matches) replayed as raw SQL through a
  cursor, cold; «×raw» is the cold page p95 over the raw p95 (target ≤ 2);
- engine: catalog.search.search_records() + facet_counts() + the first page of 20 records,
  without the template, to tell the query cost from the rendering cost;
- cpu: the median CPU time of this process (the worker) for one warm page (target ≤ 5 ms).

Search results are cached for a minute (catalog.search.engine.SEARCH_CACHE_SECONDS): «cold» times
drop the cache before every request (a query nobody asked in the last minute), «warm» times
repeat the same URL (turning pages, a popular query). The load average of the machine is
printed with the figures: on a shared machine they mean little without it.

Then the record page /catalog/records/<pk>/ over a sample of records. Prints p50/p95/max in ms
and the SQL statements of one request. The targets of issue 3: search p95 ≤ 150 ms and record
page p95 ≤ 30 ms at 10⁶ records.
"""

import argparse
import os
import random
import statistics
import sys
import time
from urllib.parse import urlencode

from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()


from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from catalog import demo  # noqa: E402
from catalog import search as engine  # noqa: E402
from catalog.indexing import search_cache_invalidate  # noqa: E402
from catalog.models import Item, Record  # noqa: E402

SEARCH_URL = "/catalog/"
RECORD_URL = "/catalog/records/{pk}/"

QUERIES = [
    ("one word", "кобзар"),
    ("surname, other case", "Шевченка"),
    ("two words", "історія україни"),
    ("typo", "Шевчнко"),
    # filled in from the database: a hyphenated ISBN of a demo record
    ("ISBN", None),
]


def percentiles(timings):
    timings = sorted(timings)
    return {
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
        "max": timings[-1],
    }


def count_queries(call):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result = call()
    return result, len(queries)


def timed(call, repeats, cold=False):
    call()  # warm up connections, the lemma cache, PostgreSQL's buffers
    if cold:
        search_cache_invalidate()
    result, queries = count_queries(call)
    timings, cpu = [], []
    for _ in range(repeats):
        if cold:
            search_cache_invalidate()
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    figures = percentiles(timings)
    figures["cpu"] = statistics.median(cpu)
    return result, queries, figures


def raw_floor(query, repeats):
    """The floor of a search: the statements search_records() sends for this query (the
    capped matches; the vocabulary and the corrected matches for a typo), replayed as raw SQL
    through a cursor, cold (no search cache). Returns p50/p95 ms."""
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    search_cache_invalidate()
    with connection.execute_wrapper(capture):
        engine.search_records(query=query)
    timings = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings[1:])


def load():
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def engine_search(query):
    outcome = engine.search_records(query=query)
    ids = getattr(outcome, "ids", None)
    if ids is None:
        counts = engine.facet_counts(outcome.records)
        first_page = list(outcome.records[:20])
    else:  # as the page does since the ranked ids are sliced
        counts = engine.facet_counts(outcome.records, ids=ids)
        first_page = list(Record.objects.filter(pk__in=ids[:20]))
    return counts["total"], len(first_page)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, help="seed the demo catalogue up to N first")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per URL")
    parser.add_argument("--record-pages", type=int, default=200, help="record pages to time")
    args = parser.parse_args()

    if args.records:
        started = time.perf_counter()
        call_command("seed_demo", "--records", str(args.records), stdout=sys.stdout)
        print(f"seed_demo --records {args.records}: {time.perf_counter() - started:.0f} s")

    records, items = Record.objects.count(), Item.objects.count()
    print(f"database {connection.settings_dict['NAME']}: {records} records, {items} copies")
    isbn_record = demo.demo_records().exclude(isbn="").order_by("pk").first()
    queries = [
        (label, query if query else (isbn_record.isbn_display if isbn_record else "9789660000018"))
        for label, query in QUERIES
    ]

    client = Client()
    print()
    print(load())
    print(
        f"{'search':22} {'query':18} {'hits':>6} {'cold p50':>9} {'p95':>7} {'max':>7} "
        f"{'SQL':>4} {'raw p50':>8} {'p95':>6} {'×raw':>5} {'engine p50':>11} {'p95':>7} "
        f"{'warm p50':>9} {'p95':>7} {'cpu':>5} {'SQL':>4}"
    )
    for label, query in queries:
        url = f"{SEARCH_URL}?{urlencode({'q': query})}"
        page = lambda url=url: client.get(url)  # noqa: E731
        response, page_sql, cold = timed(page, args.requests, cold=True)
        assert response.status_code == 200, (url, response.status_code)
        (hits, _shown), _sql, core = timed(
            lambda q=query: engine_search(q), args.requests, cold=True
        )
        _response, warm_sql, warm = timed(page, args.requests)
        floor = raw_floor(query, args.requests)
        print(
            f"{label:22} {query:18} {hits:6} {cold['p50']:9.1f} {cold['p95']:7.1f} "
            f"{cold['max']:7.1f} {page_sql:4} {floor['p50']:8.1f} {floor['p95']:6.1f} "
            f"{cold['p95'] / max(floor['p95'], 0.01):5.1f} {core['p50']:11.1f} "
            f"{core['p95']:7.1f} {warm['p50']:9.1f} {warm['p95']:7.1f} {warm['cpu']:5.1f} "
            f"{warm_sql:4}"
        )
    print(load())

    # Record pages: a different record each time, as readers arrive from search results.
    top = Record.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(2016)
    sample = set()
    while top and len(sample) < min(args.record_pages, records):
        sample.add(rng.randint(1, top))
    pks = list(Record.objects.filter(pk__in=sample).values_list("pk", flat=True))
    if pks:
        for pk in pks[:5]:
            client.get(RECORD_URL.format(pk=pk))  # warm up
        response, record_sql = count_queries(lambda: client.get(RECORD_URL.format(pk=pks[0])))
        assert response.status_code == 200, response.status_code
        timings = []
        for pk in pks:
            started = time.perf_counter()
            client.get(RECORD_URL.format(pk=pk))
            timings.append((time.perf_counter() - started) * 1000)
        row = percentiles(timings)
        print()
        print(load())
        print(f"{'record page':41} {'pages':>8} {'p50':>9} {'p95':>7} {'max':>7} {'SQL':>4}")
        print(
            f"{RECORD_URL:41} {len(pks):8} {row['p50']:9.1f} {row['p95']:7.1f} "
            f"{row['max']:7.1f} {record_sql:4}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
