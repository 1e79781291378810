"""Load on the public pages: 64 connections for 60 s against gunicorn, with wrk.

    .venv/bin/python bench/load.py [--connections 64] [--duration 60] [--workers 5]

Needs `wrk` (Debian: `apt-get install wrk`). Everything stays on 127.0.0.1 and every step is
bounded in time. The script:

1. uses a database of its own: DATABASE_URL with `_load` added to the name (or --database-url);
   creates it, migrates it and seeds the demo data (`seed_demo`) when it has none yet;
2. starts gunicorn on 127.0.0.1 with DEBUG off (production settings: REDIS_URL when it is set,
   else a per-process local cache), sync workers, and waits for /healthz/;
3. drives a mix of public pages — home, branches list and a branch page, catalogue searches,
   record pages, events list and event pages, e-services — round-robin over `--connections`
   connections for `--duration` seconds, then the trivial /healthz/ view (one SELECT 1, JSON)
   on the same server for `--trivial-duration` seconds, to tell the site's cost from the
   server's;
4. prints requests/s, latency p50/p95/p99 and the non-2xx count of each, with the load average
   of the machine before and after (on a shared machine the figures mean little without it),
   then stops gunicorn. 0 non-2xx is the bar.

Never run by the test suite.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Counts non-2xx answers per wrk thread and prints the totals and percentiles as one JSON line.
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  statuses = {}
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    for status, count in pairs(thread:get("statuses")) do
      by_status[tostring(status)] = (by_status[tostring(status)] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    table.insert(parts, string.format('"%%s": %%d', status, count))
  end
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%.3f, "errors": %%d, "non2xx": %%d, ' ..
    '"p50": %%.3f, "p95": %%.3f, "p99": %%.3f, "max": %%.3f, "statuses": {%%s}}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout,
    bad, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, table.concat(parts, ", ")))
end
"""


def own_database_url(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "lutsk_cbs"
    return urlunsplit(parts._replace(path=f"/{name}_load"))


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=BASE_DIR, env=env, check=True, **kwargs)


def database_prepare(env, *, reseed: bool) -> None:
    """Create the database if needed, migrate it, and seed the demo data when it has none."""
    import psycopg

    url = env["DATABASE_URL"]
    name = urlsplit(url).path.lstrip("/")
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    run([PYTHON, "manage.py", "migrate", "--verbosity", "0"], env, timeout=600)
    with psycopg.connect(url) as db:
        records = db.execute("SELECT count(*) FROM catalog_record").fetchone()[0]
    if reseed or not records:
        started = time.monotonic()
        run([PYTHON, "manage.py", "seed_demo", "--verbosity", "0"], env, timeout=1800)
        print(f"seeded demo data in {time.monotonic() - started:.0f} s")


def mix_paths(env) -> list[str]:
    """The public pages of the mix, with addresses read from the demo data."""
    code = (
        "import json\n"
        "from branches.models import Branch\n"
        "from catalog.models import Record\n"
        "from events.models import Event\n"
        "branches = list(Branch.objects.public().values_list('slug', flat=True)[:4])\n"
        "records = list(Record.objects.order_by('?').values_list('pk', flat=True)[:20])\n"
        "events = list(Event.objects.upcoming().values_list('pk', flat=True)[:6])\n"
        "print(json.dumps({'branches': branches, 'records': records, 'events': events}))\n"
    )
    found = json.loads(
        run(
            [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
            env,
            timeout=120,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    searches = ["кобзар", "Шевченка", "історія україни", "Шевчнко", "казки", "Леся Українка"]
    paths = ["/", "/en/", "/branches/", "/events/", "/e-services/"]
    paths += [f"/branches/{slug}/" for slug in found["branches"]]
    paths += [f"/catalog/?q={quote(query)}" for query in searches]
    paths += [f"/catalog/records/{pk}/" for pk in found["records"]]
    paths += [f"/events/{pk}/" for pk in found["events"]]
    return paths


def server_start(env, *, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "lutsk_cbs.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60"]
        + ["--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.5)
    server_stop(process)
    raise SystemExit("gunicorn did not answer /healthz/ within 60 s")


def server_stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def paths_check(port: int, paths: list[str]) -> None:
    """Every page of the mix answers 200 once before the load starts."""
    for path in paths:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as reply:
                status = reply.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{path} answered {status} before the load; fix that first")


def server_drain(port: int) -> None:
    """Wait until the workers have answered what the last run left queued: sync workers still
    serve requests whose connection wrk has closed."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=120):
        pass


def wrk_run(port: int, paths: list[str], *, connections: int, seconds: int) -> dict:
    server_drain(port)
    lua = WRK_SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        output = subprocess.run(
            ["wrk", "--threads", "2", "--connections", str(connections)]
            + ["--duration", f"{seconds}s", "--timeout", "30s", "--script", script.name]
            + [f"http://127.0.0.1:{port}"],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the page mix")
    parser.add_argument("--trivial-duration", type=int, default=30, help="seconds of /healthz/")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", help="default: DATABASE_URL with _load added")
    parser.add_argument("--reseed", action="store_true", help="run seed_demo even if seeded")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") and not args.database_url:
        raise SystemExit("Set DATABASE_URL (a PostgreSQL server) or pass --database-url.")

    env = dict(
        os.environ,
        DATABASE_URL=args.database_url or own_database_url(os.environ["DATABASE_URL"]),
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        ALLOW_LOCAL_CACHE="true",
        LOG_LEVEL="WARNING",
        # Static files come from the finders (STATIC_MANIFEST off), not from STATIC_ROOT.
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
    )
    env.pop("TEST_DATABASE_NAME", None)
    database_prepare(env, reseed=args.reseed)
    paths = mix_paths(env)

    server = server_start(env, port=args.port, workers=args.workers)
    try:
        paths_check(args.port, paths)
        before = load_average()
        mix = wrk_run(args.port, paths, connections=args.connections, seconds=args.duration)
        trivial = wrk_run(
            args.port, ["/healthz/"], connections=args.connections, seconds=args.trivial_duration
        )
        after = load_average()
    finally:
        server_stop(server)

    cache = "Redis" if env.get("REDIS_URL") else "local memory"
    print(
        f"gunicorn {args.workers} sync workers, DEBUG off, cache {cache}; wrk 2 threads, "
        f"{args.connections} connections; {len(paths)} public pages round-robin"
    )
    print(f"load average (1, 5, 15 min) before: {before}; after: {after}")
    print(
        f"{'what':<22} {'s':>4} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'non-2xx':>8} {'sock err':>8}"
    )
    for name, result in [("public pages mix", mix), ("/healthz/ (trivial)", trivial)]:
        print(
            f"{name:<22} {result['seconds']:>4.0f} {result['requests']:>9} "
            f"{result['rps']:>7.1f} {result['p50']:>8.1f} {result['p95']:>8.1f} "
            f"{result['p99']:>8.1f} {result['max']:>8.1f} {result['non2xx']:>8} "
            f"{result['errors']:>8}"
        )
        if result["statuses"]:
            print(f"  non-2xx by status: {result['statuses']}")
    if mix["non2xx"] or trivial["non2xx"] or mix["errors"] or trivial["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
