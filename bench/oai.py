"""OAI-PMH: a full ListRecords harvest through every resumption token, records/s and memory.

    DEBUG=false .venv/bin/python bench/oai.py [--prefix marcxml] [--page-size 200] [--limit N]
    DEBUG=false .venv/bin/python bench/oai.py --url http://127.0.0.1:8123/oai --server-pid PID

In-process (no --url): through Django's test client against the database the settings point at
(point DATABASE_URL at a database of its own, seeded with `manage.py seed_demo --records N`);
server and harvester share the process.

Over HTTP (--url): against a server of its own started with bench/oai_wsgi.py (gunicorn, one
worker; see bench/README.md), so that harvester and server are two processes and each one's
peak RSS is its own. --server-pid is the gunicorn master's pid: the peak RSS (VmHWM) of it and
of its workers is reset before each format and read after it. The harvester then loads no
Django at all: requests and lxml, as a union catalogue's harvester would.

Either way the harvester parses every page with lxml and keeps only a count and the
identifiers' hash; RSS is printed every 50 pages, and records/s overall and per format.
"""

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

from lxml import etree

NS = {"o": "http://www.openarchives.org/OAI/2.0/"}


def status(pid="self") -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in kB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            found[line.split(":")[0]] = int(line.split()[1])
    return found


def rss_mb(pid="self") -> float:
    return status(pid).get("VmRSS", 0) / 1024


def server_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


def reset_peaks(pids) -> None:
    for pid in pids:
        # Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM).
        Path(f"/proc/{pid}/clear_refs").write_text("5")


class TestClientPages:
    def __init__(self):
        sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/, for _setup
        from _setup import setup_django

        setup_django()
        from django.conf import settings
        from django.test import Client

        self.settings = settings
        settings.CATALOG_PROTOCOLS_RATE = "1000000/m"
        self.client = Client()

    def get(self, params) -> bytes:
        return self.client.get("/oai", params).content


class HttpPages:
    def __init__(self, url: str):
        import requests

        self.url = url
        self.session = requests.Session()

    def get(self, params) -> bytes:
        response = self.session.get(self.url, params=params, timeout=300)
        response.raise_for_status()
        return response.content


def harvest(pages_source, prefix: str, args, server: list[int]) -> None:
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    if args.since:
        params["from"] = args.since
    seen = pages = 0
    digest = hashlib.sha256()
    if server:
        reset_peaks(server)
    reset_peaks([os.getpid()])
    started = time.perf_counter()
    print(f"{prefix}: RSS at start {rss_mb():.0f} MB")
    while True:
        tree = etree.fromstring(pages_source.get(params))
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
            server_rss = "".join(f" server {rss_mb(pid):.0f} MB" for pid in server[1:])
            print(
                f"  {seen:>8} records  {pages:>5} pages  {seen / elapsed:8.0f} rec/s  "
                f"RSS {rss_mb():.0f} MB{server_rss}  size {size}  "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        elapsed = time.perf_counter() - started
        if token is None or not (token.text or "").strip():
            break
        if (args.limit and seen >= args.limit) or (args.seconds and elapsed >= args.seconds):
            print(f"  stopped by --limit/--seconds at {seen} records")
            break
        params = {"verb": "ListRecords", "resumptionToken": token.text}
    elapsed = time.perf_counter() - started
    print(
        f"{prefix}: {seen} records in {pages} pages, {elapsed:.1f} s = {seen / elapsed:.0f} "
        f"records/s; load {os.getloadavg()[0]:.1f}"
    )
    roles = ["harvester"] + ["server master"] * bool(server) + ["server worker"] * len(server[1:])
    for role, pid in zip(roles, ["self", *server], strict=True):
        peak = status(pid)["VmHWM"] / 1024
        print(f"  {role} ({pid}): RSS at end {rss_mb(pid):.0f} MB, peak {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", action="append", choices=["oai_dc", "marcxml", "unimarc"])
    parser.add_argument("--page-size", type=int, default=None, help="in-process runs only")
    parser.add_argument("--limit", type=int, default=None, help="stop after N records")
    parser.add_argument("--seconds", type=float, default=None, help="stop after T seconds")
    parser.add_argument(
        "--from", dest="since", help="OAI from= (YYYY-MM-DDThh:mm:ssZ): start deep in the list"
    )
    parser.add_argument("--url", help="harvest over HTTP from this /oai address")
    parser.add_argument("--server-pid", type=int, help="the gunicorn master serving --url")
    args = parser.parse_args()
    if args.url:
        source = HttpPages(args.url)
        server = server_pids(args.server_pid) if args.server_pid else []
    else:
        source = TestClientPages()
        if args.page_size:
            source.settings.OAI_PAGE_SIZE = args.page_size
        server = []
    for prefix in args.prefix or ["marcxml"]:
        harvest(source, prefix, args, server)


if __name__ == "__main__":
    main()
