"""Desk latency: check-out and check-in of one copy, with many readers and past loans around.

    DEBUG=false .venv/bin/python bench/circulation.py [--readers N] [--past-loans N] [--cycles 200]

Runs in-process against the database the settings point at (point DATABASE_URL at a database
of its own). It needs copies on the shelves: seed the demo catalogue first (`seed_demo
--records N`; 10⁶ records make about 2·10⁶ copies). `--readers` and `--past-loans` top up
bench readers (usernames «bench-reader-…») and returned, anonymised loans of the demo copies
with COPY-speed bulk inserts, then ANALYZE. Each cycle lends a random copy on a shelf to a
random bench reader at the copy's library through `loan_checkout`, then takes it back through
`loan_checkin` — the services the desk calls, with their locks, policy lookup, due date on an
open day and audit entry. Prints p50/p95/max in ms for each and the load average. Target
(issue 12): p95 ≤ 30 ms at 10⁶ copies, 10⁵ readers and 10⁶ past loans.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lutsk_cbs.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("ALLOW_LOCAL_CACHE", "true")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import ReaderProfile, User  # noqa: E402
from branches.models import Branch  # noqa: E402
from catalog.models import Item  # noqa: E402
from circulation.models import Loan  # noqa: E402
from circulation.services import loan_checkin, loan_checkout  # noqa: E402
from core.db import analyze  # noqa: E402

PREFIX = "bench-reader-"
CARD_BASE = 800_000_000
BATCH = 5000


def top_up_readers(target: int) -> list[int]:
    have = ReaderProfile.objects.filter(user__username__startswith=PREFIX).count()
    branches = list(Branch.objects.values_list("pk", flat=True))
    now = timezone.now()
    for start in range(have, target, BATCH):
        numbers = range(start, min(start + BATCH, target))
        users = User.objects.bulk_create(
            [User(username=f"{PREFIX}{n}", password="!") for n in numbers]
        )
        ReaderProfile.objects.bulk_create(
            [
                ReaderProfile(
                    user=user,
                    card_number=ReaderProfile.card_number_for(CARD_BASE + n),
                    home_branch_id=branches[n % len(branches)],
                    category=("adult", "child", "youth", "senior")[n % 4],
                    consent_given_at=now,
                )
                for n, user in zip(numbers, users, strict=True)
            ]
        )
        print(f"readers: {start + len(numbers)}", flush=True)
    return list(
        ReaderProfile.objects.filter(user__username__startswith=PREFIX).values_list("pk", flat=True)
    )


def top_up_past_loans(target: int, readers: list[int]) -> None:
    have = Loan.objects.returned().count()
    if have >= target:
        return
    copies = list(Item.objects.order_by("?").values_list("pk", "branch_id")[:200_000])
    now = timezone.now()
    rng = random.Random(12)
    for start in range(have, target, BATCH):
        rows = []
        for _ in range(min(BATCH, target - start)):
            item_id, branch_id = rng.choice(copies)
            lent = now - timedelta(days=rng.randint(40, 3000))
            rows.append(
                Loan(
                    item_id=item_id,
                    branch_id=branch_id,
                    home_branch_id=branch_id,
                    reader_category="adult",
                    material_type="book",
                    loaned_at=lent,
                    due_on=(lent + timedelta(days=30)).date(),
                    returned_at=lent + timedelta(days=rng.randint(1, 45)),
                )
            )
        Loan.objects.bulk_create(rows)
        print(f"past loans: {start + len(rows)}", flush=True)
    analyze(Loan)


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  max {ordered[-1]:6.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--past-loans", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=200)
    options = parser.parse_args()

    readers = top_up_readers(options.readers)
    top_up_past_loans(options.past_loans, readers)
    desk, _created = User.objects.get_or_create(username="bench-desk")
    shelf = list(
        Item.objects.filter(status=Item.Status.ON_SHELF, record__material_type="book")
        .order_by("?")
        .values_list("pk", flat=True)[: options.cycles * 2]
    )
    if not shelf:
        sys.exit("No copies on the shelves: run seed_demo --records N first.")
    rng = random.Random(2026)
    out_times, in_times = [], []
    for item_id in shelf[: options.cycles]:
        item = Item.objects.select_related("branch").get(pk=item_id)
        reader = ReaderProfile(pk=rng.choice(readers))
        branch = Branch.objects.get(pk=item.branch_id)  # a desk loads its library once
        started = time.perf_counter()
        try:
            with transaction.atomic():
                loan_checkout(item=item, reader=reader, branch=branch, acting_user=desk)
        except Exception as error:  # noqa: BLE001 — a refusal (limit) is a result too
            print(f"refused: {error}")
            continue
        out_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        loan_checkin(item=item, branch=branch, acting_user=desk)
        in_times.append((time.perf_counter() - started) * 1000)
    print(
        f"copies {Item.objects.count()}, readers {ReaderProfile.objects.count()}, "
        f"past loans {Loan.objects.returned().count()}, load {os.getloadavg()[0]:.1f}"
    )
    print(f"check-out ({len(out_times)}): {percentiles(out_times)}")
    print(f"check-in  ({len(in_times)}): {percentiles(in_times)}")


if __name__ == "__main__":
    main()
