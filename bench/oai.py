"""OAI-PMH: a full ListRecords harvest through every resumption token, records/s and memory.

    DEBUG=false .venv/bin/python bench/oai.py [--prefix marcxml] [--page-size 200] [--limit N]

Runs in-process through Django's test client against the database the settings point at (point
DATABASE_URL at a database of its own, seeded with `manage.py seed_demo --records 100000`).
The harvester side parses every page with lxml and keeps only a count and the identifiers'
hash, so the process's resident memory, printed every 50 pages, shows whether the server side
stays flat as the harvest goes on (one page of records at a time, never the whole list).
Prints records/s overall and per format, pages, and the peak RSS.
"""

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()


from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from lxml import etree  # noqa: E402

NS = {"o": "http://www.openarchives.org/OAI/2.0/"}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def harvest(client: Client, prefix: str, limit: int | None) -> None:
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    seen = pages = 0
    digest = hashlib.sha256()
    started = time.perf_counter()
    print(f"{prefix}: RSS at start {rss_mb():.0f} MB")
    while True:
        response = client.get("/oai", params)
        tree = etree.fromstring(response.content)
        errors = tree.findall("o:error", NS)
        if errors:
            sys.exit(f"OAI error: {errors[0].get('code')} {errors[0].text}")
        for header in tree.iterfind(".//o:header", NS):
            digest.update(header.findtext("o:identifier", namespaces=NS).encode())
            seen += 1
        pages += 1
        token = tree.find(".//o:resumptionToken", NS)
        if pages % 50 == 0:
            elapsed = time.perf_counter() - started
            size = token.get("completeListSize") if token is not None else "-"
            print(
                f"  {seen:>8} records  {pages:>5} pages  {seen / elapsed:8.0f} rec/s  "
                f"RSS {rss_mb():.0f} MB  size {size}"
            )
        if token is None or not (token.text or "").strip() or (limit and seen >= limit):
            break
        params = {"verb": "ListRecords", "resumptionToken": token.text}
    elapsed = time.perf_counter() - started
    print(
        f"{prefix}: {seen} records in {pages} pages, {elapsed:.1f} s = {seen / elapsed:.0f} "
        f"records/s; RSS at end {rss_mb():.0f} MB; load {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", action="append", choices=["oai_dc", "marcxml", "unimarc"])
    parser.add_argument("--page-size", type=int, default=None)
    parser.add_argument("--limit", type=int, default=None, help="stop after N records")
    args = parser.parse_args()
    settings.CATALOG_PROTOCOLS_RATE = "1000000/m"
    if args.page_size:
        settings.OAI_PAGE_SIZE = args.page_size
    client = Client()
    for prefix in args.prefix or ["marcxml"]:
        harvest(client, prefix, args.limit)


if __name__ == "__main__":
    main()
