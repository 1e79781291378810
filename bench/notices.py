"""The nightly lending notices for many readers: how long collecting and queueing take.

    .venv/bin/python bench/notices.py [--readers 100000]

Creates a fresh database of its own (`bench_notices` on the server the settings point at;
dropped at the end unless --keep-db) with N readers, each with one open loan: 40 % due in
3 days, 20 % one day overdue, the rest due later; one reader in ten has no e-mail (to call).
Then times `notices_collect` (the queries) and `notices_send` (one outbox row per reader
and its task queued after commit, to the broker the settings name), and runs it a second
time the same day (everything already sent: nothing queued).
"""

import argparse
import time
from datetime import datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
from _setup import setup_django  # noqa: E402  (bench/ is this script's folder)

setup_django()


from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5000


def seed(readers: int, today):
    from accounts.models import ReaderProfile, User
    from branches.models import Branch
    from catalog.models import Item, Record
    from circulation.models import Loan

    branch = Branch.objects.get(slug="central")
    record = Record.objects.create(title="Лісова пісня", material_type="book")
    now = timezone.now()
    old = datetime(2020, 1, 1, tzinfo=timezone.get_current_timezone())
    for start in range(0, readers, BATCH):
        numbers = range(start, min(start + BATCH, readers))
        users = User.objects.bulk_create(
            User(
                username=f"bench{n}",
                first_name="Читач",
                last_name=str(n),
                email="" if n % 10 == 0 else f"bench{n}@example.org",
                phone="+380501234567",
            )
            for n in numbers
        )
        profiles = ReaderProfile.objects.bulk_create(
            ReaderProfile(
                user=user,
                card_number=ReaderProfile.card_number_for(100_000 + n),
                home_branch=branch,
                category=ReaderProfile.Category.ADULT,
                consent_given_at=now,
            )
            for n, user in zip(numbers, users, strict=True)
        )
        items = Item.objects.bulk_create(
            Item(
                record=record,
                branch=branch,
                inventory_number=f"B{n}",
                status=Item.Status.ON_LOAN,
                added_at=old,
            )
            for n in numbers
        )

        def due(n):
            share = n % 5
            if share in (0, 1):
                return today + timedelta(days=3)
            if share == 2:
                return today - timedelta(days=1)
            return today + timedelta(days=10)

        Loan.objects.bulk_create(
            Loan(
                item=item,
                reader=profile,
                branch=branch,
                reader_category=profile.category,
                home_branch=branch,
                material_type="book",
                loaned_at=now - timedelta(days=27),
                due_on=due(n),
            )
            for n, item, profile in zip(numbers, items, profiles, strict=True)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument("--database", default="bench_notices")
    args = parser.parse_args()

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = args.database
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from circulation.notices import notices_collect, notices_send

        today = timezone.localdate()
        started = time.perf_counter()
        seed(args.readers, today)
        took = time.perf_counter() - started
        print(f"seeded {args.readers} readers with a loan each in {took:.1f} s")

        started = time.perf_counter()
        notices = notices_collect(today=today)
        print(f"collect: {len(notices)} readers to tell in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        run = notices_send(today=today)
        print(
            f"send:    {run.sent} queued, {run.to_call} to call, {run.already} already "
            f"in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        run = notices_send(today=today)
        print(
            f"again:   {run.sent} queued, {run.already} already sent today "
            f"in {time.perf_counter() - started:.1f} s"
        )
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0, keepdb=args.keep_db)


if __name__ == "__main__":
    main()
