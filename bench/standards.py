"""Time and peak Python memory of the machine-readable endpoints of issue 14: a full page of
the records sitemap (10,000 records → 20,000 <url> with alternates), the OpenSearch Atom
results, the network Atom feed and the network calendar.

    DEBUG=false .venv/bin/python bench/standards.py [--records 20000] [--repeat 5]

`--records N` first tops the catalogue up with bare records (title only, source_id
«bench:<n>») so that the sitemap has full pages. Uses the database the settings point at.
"""

import argparse
import statistics
import time
import tracemalloc

from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()


from django.test import Client  # noqa: E402

from catalog.models import Record  # noqa: E402

URLS = [
    "/sitemap-records.xml?p=1",
    "/catalog/search.atom?q=історія",
    "/catalog/new/feed/",
    "/events/calendar.ics",
]


def top_up(records):
    missing = records - Record.objects.count()
    if missing > 0:
        Record.objects.bulk_create(
            (Record(title=f"Bench {n}", source_id=f"bench:{n}") for n in range(missing)),
            batch_size=5000,
        )
    print(f"records: {Record.objects.count()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.records:
        top_up(args.records)
    client = Client()
    for url in URLS:
        client.get(url)  # warm caches and imports
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        tracemalloc.start()
        client.get(url)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"{url:40} {response.status_code} {len(response.content) / 1024:8.0f} KiB  "
            f"median {statistics.median(timings):7.0f} ms  max {max(timings):7.0f} ms  "
            f"peak {peak / 2**20:6.1f} MiB"
        )


if __name__ == "__main__":
    main()
