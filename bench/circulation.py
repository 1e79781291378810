"""Lending at the target scale: check-out, check-in, renewal and «Мій формуляр» server time.

    DEBUG=false .venv/bin/python bench/circulation.py [--copies 1000000] [--readers 100000]
        [--past-loans 1000000] [--cycles 300] [--database bench_circulation] [--keep-db]

Builds a database of its own (`--database`, on the server the settings point at; created,
migrated, and dropped at the end unless --keep-db; a kept one is reused as it is when it
already holds the copies) with set-based SQL (generate_series, then ANALYZE):

- copies: `--copies` copies of `--copies`/4 records (one in twenty a periodical), spread over
  the libraries the migrations seed; every tenth copy on loan;
- readers: `--readers` accounts with reader profiles (categories in turn, one in ten keeping
  a reading history), each with one open loan due in 0–4 days (the loans of the copies on
  loan); 2 % of the readers have a waiting hold on a title;
- past loans: `--past-loans` returned loans over 8 years, anonymised except for the readers
  who keep a history.

Then measures, in-process against that database, through the services and views the desk
and the reader use (locks, policy lookup, due date on an open day, audit entry):
check-out of a random copy on a shelf to a random reader at the copy's library
(`loan_checkout`), its check-in (`loan_checkin`), the reader's renewal of a random open loan
(`loan_renew(by_reader=True)`) and GET /me/ signed in as a random reader (test client, the
whole middleware stack and template). Prints p50/p95/max ms, the median CPU time of this
process per call (Python's share, which the machine's load does not inflate as much), SQL
statements per call and the load average before and after; `--slowest N` lists the
statements that took longest.
Target (issue 12): p95 ≤ 30 ms at 10⁶ copies, 10⁵ readers and 10⁶ past loans.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict

from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()

import logging  # noqa: E402

logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

PREFIX = "bench-reader-"
CARD_BASE = 800_000_000
COPIES_PER_RECORD = 4
WARM_UP = 3  # cycles not counted


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def build(*, copies: int, readers: int, past_loans: int) -> None:
    """Everything in a handful of INSERT … SELECT statements; ids are taken from the
    sequences' ranges each statement fills (the database is this run's own)."""
    from accounts.models import ReaderProfile

    records = max(1, copies // COPIES_PER_RECORD)
    started = time.perf_counter()
    with transaction.atomic():
        sql(
            """
            INSERT INTO catalog_record (title, subtitle, responsibility, publisher, place, year,
                edition, isbn, language, material_type, udc, bbk, series, age_rating,
                annotation, cover, is_local_lore, source_id, created_at, updated_at,
                search_names)
            SELECT 'Видання ' || g, '', '', 'Бенч', 'Луцьк', 1950 + g %% 75, '', '', 'ukr',
                CASE WHEN g %% 20 = 0 THEN 'periodical' ELSE 'book' END, '', '', '', '', '',
                '', false, 'bench-' || g, now(), now(), ''
            FROM generate_series(1, %s) g
            """,
            [records],
        )
        # Every tenth copy is on loan (its open loan is made below).
        sql(
            """
            WITH b AS (SELECT array_agg(id ORDER BY id) AS ids FROM branches_branch
                       WHERE is_active),
                 r AS (SELECT min(id) AS first FROM catalog_record WHERE source_id = 'bench-1')
            INSERT INTO catalog_item (inventory_number, barcode, shelf_mark, status, price,
                added_at, branch_id, record_id)
            SELECT 'BI' || g, 'BC' || g, '', CASE WHEN g %% 10 = 0 THEN 'on_loan'
                ELSE 'on_shelf' END, 0, timestamptz '2020-01-01 10:00+02',
                b.ids[1 + g %% cardinality(b.ids)], r.first + (g - 1) / %s
            FROM generate_series(1, %s) g, b, r
            """,
            [COPIES_PER_RECORD, copies],
        )
        print(f"  {records} records, {copies} copies: {time.perf_counter() - started:.1f} s")
        cards = [ReaderProfile.card_number_for(CARD_BASE + n) for n in range(readers)]
        sql(
            """
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
                is_staff, is_active, date_joined, email, phone, preferred_language)
            SELECT '!', false, %s || g, 'Читач', 'Бенч ' || g, false, true, now(),
                'bench' || g || '@example.org', '', CASE WHEN g %% 5 = 0 THEN 'en' ELSE 'uk' END
            FROM generate_series(0, %s - 1) g
            """,
            [PREFIX, readers],
        )
        sql(
            """
            WITH b AS (SELECT array_agg(id ORDER BY id) AS ids FROM branches_branch
                       WHERE is_active)
            INSERT INTO accounts_readerprofile (card_number, category, consent_given_at,
                created_at, home_branch_id, user_id, birth_year, consent_version,
                guardian_contact, guardian_name, status, keeps_reading_history)
            SELECT c.card, (ARRAY['adult', 'youth', 'senior', 'child'])[1 + c.n %% 4], now(),
                now(), b.ids[1 + c.n %% cardinality(b.ids)], u.id, NULL, '2026-01', '', '',
                'active', c.n %% 10 = 0
            FROM unnest(%s::text[]) WITH ORDINALITY AS c(card, n)
            JOIN accounts_user u ON u.username = %s || (c.n - 1), b
            """,
            [cards, PREFIX],
        )
        print(f"  {readers} readers: {time.perf_counter() - started:.1f} s")
        # Open loans: the copies on loan, one per reader in turn, lent 26–30 days ago.
        sql(
            """
            WITH p AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_readerprofile),
                 i AS (SELECT i.id, i.branch_id, r.material_type,
                              row_number() OVER (ORDER BY i.id) AS n
                       FROM catalog_item i JOIN catalog_record r ON r.id = i.record_id
                       WHERE i.status = 'on_loan')
            INSERT INTO circulation_loan (reader_category, material_type, loaned_at, due_on,
                renewals_used, returned_at, branch_id, home_branch_id, item_id, reader_id)
            SELECT rp.category, i.material_type, now() - interval '1 day' * (26 + i.n %% 5),
                current_date + (i.n %% 5)::int, 0, NULL, i.branch_id, rp.home_branch_id, i.id,
                rp.id
            FROM i CROSS JOIN p
            JOIN accounts_readerprofile rp ON rp.id = p.ids[1 + i.n %% cardinality(p.ids)]
            """,
            [],
        )
        # Past loans: returned, anonymised unless the reader keeps a history.
        sql(
            """
            WITH p AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_readerprofile),
                 i AS (SELECT min(id) AS first, count(*) AS n FROM catalog_item)
            INSERT INTO circulation_loan (reader_category, material_type, loaned_at, due_on,
                renewals_used, returned_at, branch_id, home_branch_id, item_id, reader_id,
                returned_branch_id)
            SELECT 'adult', 'book', t.lent, (t.lent + interval '30 days')::date, 0,
                t.lent + interval '1 day' * (1 + g %% 45), it.branch_id, it.branch_id, it.id,
                CASE WHEN rp.keeps_reading_history THEN rp.id END, it.branch_id
            FROM generate_series(1, %s) g
            CROSS JOIN i CROSS JOIN p
            CROSS JOIN LATERAL (SELECT now() - interval '1 day' * (40 + (g * 7) %% 2900)
                                AS lent) t
            JOIN catalog_item it ON it.id = i.first + (g::bigint * 7919) %% i.n
            JOIN accounts_readerprofile rp
                ON rp.id = p.ids[1 + (g::bigint * 104729) %% cardinality(p.ids)]
            """,
            [past_loans],
        )
        print(f"  loans: {time.perf_counter() - started:.1f} s")
        # 2 % of the readers wait for a title (one hold each, different titles).
        sql(
            """
            WITH b AS (SELECT array_agg(id ORDER BY id) AS ids FROM branches_branch
                       WHERE is_active)
            INSERT INTO circulation_hold (status, placed_at, updated_at, pickup_branch_id,
                reader_id, record_id)
            SELECT 'waiting', now() - interval '1 hour' * (rp.id %% 500), now(),
                b.ids[1 + rp.id %% cardinality(b.ids)], rp.id,
                (SELECT min(id) FROM catalog_record) + (rp.id * 31) %% %s
            FROM accounts_readerprofile rp, b
            WHERE rp.id %% 50 = 0
            """,
            [records],
        )
    for table in (
        "catalog_record",
        "catalog_item",
        "accounts_user",
        "accounts_readerprofile",
        "circulation_loan",
        "circulation_hold",
    ):
        sql(f"VACUUM ANALYZE {table}")
    print(f"built in {time.perf_counter() - started:.1f} s")


class StatementLog:
    """Counts statements, and times those of the measured calls (connection.execute_wrapper)."""

    def __init__(self):
        self.count = 0
        self.active = False
        self.slow = defaultdict(list)

    def __call__(self, execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            self.count += 1
            if self.active:
                self.slow[statement].append((time.perf_counter() - started) * 1000)


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95, ordered[-1]


class Timer:
    """Times calls by kind: milliseconds and SQL statements of each."""

    def __init__(self, log):
        self.log = log
        self.times = defaultdict(list)
        self.cpu = defaultdict(list)
        self.statements = defaultdict(list)

    def __call__(self, key, function, **kwargs):
        before = self.log.count
        self.log.active = True
        started, cpu = time.perf_counter(), time.process_time()
        try:
            result = function(**kwargs)
        finally:
            self.log.active = False
        self.times[key].append((time.perf_counter() - started) * 1000)
        # This process's own CPU (Python, Django, templates), not PostgreSQL's: the part of
        # the time that does not grow with the machine's load.
        self.cpu[key].append((time.process_time() - cpu) * 1000)
        self.statements[key].append(self.log.count - before)
        return result


def measure(*, cycles: int, slowest: int) -> None:
    from accounts.models import ReaderProfile, User
    from branches.models import Branch
    from catalog.models import Item
    from circulation.models import Loan
    from circulation.services import CirculationRefusal, loan_checkin, loan_checkout, loan_renew

    rng = random.Random(2026)
    desk, _created = User.objects.get_or_create(username="bench-desk")
    last_item = Item.objects.order_by("-pk").values_list("pk", flat=True).first()
    first_item = Item.objects.order_by("pk").values_list("pk", flat=True).first()
    readers = list(
        ReaderProfile.objects.filter(user__username__startswith=PREFIX).values_list("pk", "user_id")
    )
    today = timezone.localdate()
    renewable = list(
        Loan.objects.open()
        .filter(renewals_used=0, due_on__gte=today, reader__isnull=False)
        .values_list("pk", flat=True)[: cycles * 20]
    )
    rng.shuffle(renewable)
    log = StatementLog()
    timer = Timer(log)
    refused = defaultdict(int)
    client = Client()
    load_before = os.getloadavg()
    with connection.execute_wrapper(log):
        done = 0
        while done < cycles + WARM_UP:
            if done == WARM_UP:  # templates compiled, caches filled: start counting
                timer = Timer(log)
            item = (
                Item.objects.filter(
                    pk__gte=rng.randint(first_item, last_item), status=Item.Status.ON_SHELF
                )
                .order_by("pk")
                .first()
            )
            if item is None:
                continue
            reader = ReaderProfile(pk=rng.choice(readers)[0])
            # Loaded per scan, as the desk's view does: its opening hours are read afresh.
            branch = Branch.objects.get(pk=item.branch_id)
            try:
                timer(
                    "check-out",
                    loan_checkout,
                    item=item,
                    reader=reader,
                    branch=branch,
                    acting_user=desk,
                )
            except CirculationRefusal as refusal:
                refused[f"check-out: {refusal.code}"] += 1
                continue
            timer("check-in", loan_checkin, item=item, branch=branch, acting_user=desk)
            if renewable:
                try:
                    timer("renew", loan_renew, loan=Loan(pk=renewable.pop()), by_reader=True)
                except CirculationRefusal as refusal:
                    refused[f"renew: {refusal.code}"] += 1
            _pk, user_id = rng.choice(readers)
            client.force_login(User.objects.get(pk=user_id))
            response = timer("/me/", client.get, path="/me/", secure=True)
            if response.status_code != 200:
                sys.exit(f"/me/ answered {response.status_code}")
            done += 1
    load_after = os.getloadavg()
    from catalog.models import Item as Copies
    from circulation.models import Loan as Loans

    print(
        f"copies {Copies.objects.count()}, readers {len(readers)}, "
        f"past loans {Loans.objects.returned().count()}, "
        f"open loans {Loans.objects.open().count()}; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after; database {connection.settings_dict['NAME']} "
        f"(PostgreSQL {connection.pg_version // 10000})"
    )
    print(f"{'':10} {'calls':>6} {'p50':>7} {'p95':>7} {'max':>7} {'CPU p50':>8}  SQL")
    for key, samples in timer.times.items():
        p50, p95, top = percentiles(samples)
        counts = sorted(set(timer.statements[key]))
        shown = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
        cpu = statistics.median(timer.cpu[key])
        print(f"{key:10} {len(samples):6} {p50:7.1f} {p95:7.1f} {top:7.1f} {cpu:8.1f}  {shown}")
    if refused:
        print("refused:", dict(refused))
    if slowest:
        print("\nslowest statements (max ms, calls, first 200 characters):")
        ranked = sorted(log.slow.items(), key=lambda pair: -max(pair[1]))[:slowest]
        for statement, samples in ranked:
            print(f"{max(samples):7.1f} ms  {len(samples):5}×  {' '.join(statement.split())[:200]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--past-loans", type=int, default=1_000_000)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest statements")
    parser.add_argument("--database", default="bench_circulation")
    parser.add_argument("--keep-db", action="store_true", help="keep (and reuse) the database")
    options = parser.parse_args()

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = options.database
    # serialize=False: a kept database would otherwise be dumped whole (minutes at 10⁶).
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=options.keep_db, serialize=False
    )
    try:
        from catalog.models import Item

        if not Item.objects.filter(inventory_number="BI1").exists():
            build(copies=options.copies, readers=options.readers, past_loans=options.past_loans)
        measure(cycles=options.cycles, slowest=options.slowest)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0, keepdb=options.keep_db)


if __name__ == "__main__":
    main()
