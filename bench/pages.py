"""Latency of the public pages, measured in-process through Django's test client.

    DEBUG=false .venv/bin/python bench/pages.py [--requests 200] [--only /search/]

Uses the database the settings point at (embedded PostgreSQL when no DATABASE_URL), so run
`python3 dev.py run` once first to have migrations and demo data. Prints p50/p95/max in ms and
the SQL query count of each page.
"""

import argparse
import statistics
import time

from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()


from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = [
    "/",
    "/branches/",
    "/branches/?service=internet&open_now=true",
    "/branches/central/",
    "/en/branches/children-2/",
    "/api/v1/branches/",
    "/events/",
    "/events/?free_only=on",
    "/events/clubs/",
    "/events/calendar.ics",
    "/api/v1/events/",
    "/volunteers/",
    "/volunteers/opportunities/",
    "/e-services/",
    "/e-services/guides/?q=пенсія",
    "/e-services/slots/",
    "/search/?q=Шевченка",
    "/search/?q=бібліотека",
    "/en/search/?q=kobzar",
    "/news/",
    "/news/?library=central",
    "/news/press/",
    "/news/feed/",
    "/catalog/local-lore/",
    "/en/catalog/local-lore/",
    "/catalog/local-lore/people/",
    "/catalog/local-lore/people/?q=Українка",
    "/en/catalog/local-lore/people/",
    "/catalog/local-lore/places/?kind=village",
    "/spaces/",
    "/spaces/central/",
    "/en/spaces/central/",
]


def demo_pages():
    """Pages whose address depends on the demo data: an event, its month, a club, a guide."""
    from django.utils import timezone

    from egov.models import Guide
    from events.models import Club, Event
    from news.models import NewsItem

    now = timezone.localtime()
    pages = [f"/events/{now.year}/{now.month}/"]
    event = Event.objects.public().upcoming().order_by("starts_at").first()
    club = Club.objects.public().first()
    guide = Guide.objects.filter(is_published=True).first()
    news = NewsItem.objects.published().first()
    pages += [obj.get_absolute_url() for obj in (event, club, guide, news) if obj is not None]
    if event is not None:
        pages.append(f"/news/poster/event/{event.pk}/?size=a3")
    pages += _lore_pages()
    return pages


def _lore_pages():
    """A local writer's page, a place's page, a newspaper issue with its articles, an article."""
    from catalog.models import Record
    from lore.models import Figure, Place

    pages = []
    person = Figure.objects.published().filter(slug="lesya-ukrainka").first()
    place = Place.objects.published().filter(slug="lutsk").first()
    host = Record.objects.filter(components__isnull=False).order_by("pk").first()
    pages += [obj.get_absolute_url() for obj in (person, place, host) if obj is not None]
    if host is not None:
        pages.append(host.components.order_by("pk").first().get_absolute_url())
    return pages


def staff_pages():
    """The methodologist's dashboard pages, measured signed in as the first superuser."""
    from strategy.models import Plan

    plan = Plan.objects.order_by("pk").first()
    if plan is None:
        return []
    url = plan.get_absolute_url()
    year = plan.years[-1]
    return [url, f"{url}directions/1/", f"/strategy/reports/?year={year}"]


def measure(client, url, requests):
    client.get(url)  # warm up caches and connections
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "max": timings[-1],
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", default="", help="measure only pages whose path starts so")
    args = parser.parse_args()
    client = Client()
    print(f"{'page':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>4}")
    for url in PAGES + demo_pages():
        if url.startswith(args.only):
            report(url, measure(client, url, args.requests))
    if args.only:
        return
    from accounts.models import User

    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    if staff is not None:
        client.force_login(staff)
        for url in staff_pages():
            report(url, measure(client, url, args.requests))


def report(url, row):
    print(f"{url:45} {row['p50']:8.1f} {row['p95']:8.1f} {row['max']:8.1f} {row['queries']:4}")


if __name__ == "__main__":
    main()
