"""Demo lending: readers with books out (some overdue), a reading history, holds waiting in
a queue and holds ready on the hold shelf, so a new user of the desk and of «Мій формуляр»
sees every state. Everything goes through the services, as at a real desk, with the demo
desk account as the acting librarian. Running the seed again adds nothing.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import ReaderProfile, User
from branches.models import Branch
from catalog.models import Item, Record
from circulation.models import Hold, Loan
from circulation.services import (
    CirculationRefusal,
    hold_place,
    loan_checkin,
    loan_checkout,
)

DESK_USERNAME = "demo-desk"
# The reader whose card and password `create_demo_admin` prints (a reader of branch-5).
PRINTED_READER = "reader-branch-5"
# Card numbers of demo readers: a block of running numbers no real card gets soon.
CARD_BASE = 990_000_000
# username, first name, last name, category, home library (slug), keeps a reading history
READERS = [
    ("demo-borrower-1", "Оксана", "Демченко", "adult", "central", True),
    ("demo-borrower-2", "Андрій", "Приклад", "youth", "branch-5", False),
    ("demo-borrower-3", "Марійка", "Зразкова", "child", "children-2", False),
    ("demo-borrower-4", "Василь", "Тестенко", "senior", "branch-7", True),
    ("demo-borrower-5", "Ірина", "Показова", "adult", "branch-5", False),
]


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo readers, loans and holds; returns how many loans and holds were made."""
    printed = ReaderProfile.objects.filter(user__username=PRINTED_READER).first()
    if printed is not None:
        # A database that already has the printed reader (create_demo_admin ran first).
        seed_reader(printed)
    if User.objects.filter(username=READERS[0][0]).exists():
        if stdout is not None:
            stdout.write("circulation: demo readers already there, nothing added")
        return 0
    branches = {branch.slug: branch for branch in Branch.objects.all()}
    readers = _readers(branches)
    if not readers:
        return 0
    desk = _desk_user()
    made = 0
    now = timezone.now()
    for reader in readers:
        branch = reader.home_branch
        shelf = list(_free_copies(branch)[:8])
        rng.shuffle(shelf)
        # Two out now, one of them overdue; two returned long ago (history if opted in).
        plans = [(shelf[0:1], 3, False), (shelf[1:2], 45, False), (shelf[2:4], 90, True)]
        for copies, days_ago, returned in plans:
            for item in copies:
                made += _lend(item, reader, branch, desk, now - timedelta(days=days_ago))
                if returned:
                    loan_checkin(
                        item=item,
                        branch=branch,
                        acting_user=desk,
                        now=now - timedelta(days=days_ago - 20),
                    )
    made += _holds(readers, desk, now)
    if stdout is not None:
        stdout.write(f"circulation: {len(readers)} demo readers, {made} loans and holds added.")
    return made


def _readers(branches):
    made = []
    for number, (username, first, last, category, slug, history) in enumerate(READERS, 1):
        branch = branches.get(slug) or next(iter(branches.values()), None)
        if branch is None:
            return []
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        made.append(
            ReaderProfile.objects.create(
                user=user,
                card_number=ReaderProfile.card_number_for(CARD_BASE + number),
                home_branch=branch,
                category=category,
                consent_given_at=timezone.now(),
                keeps_reading_history=history,
            )
        )
    return made


def _desk_user():
    user, created = User.objects.get_or_create(
        username=DESK_USERNAME, defaults={"first_name": "Демо", "last_name": "Абонемент"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _free_copies(branch):
    return Item.objects.filter(
        branch=branch,
        status=Item.Status.ON_SHELF,
        record__material_type=Record.MaterialType.BOOK,
    ).order_by("pk")


def _lend(item, reader, branch, desk, when) -> int:
    try:
        loan_checkout(item=item, reader=reader, branch=branch, acting_user=desk, now=when)
    except CirculationRefusal:
        return 0
    return 1


def _holds(readers, desk, now) -> int:
    """A title every copy of which is out, with two readers queued for it; and a copy on
    the hold shelf waiting for the first demo reader."""
    made = 0
    first, third = readers[0], readers[4]
    out = (
        Loan.objects.open()
        .filter(reader__in=[r.pk for r in readers])
        .exclude(reader=first)
        .select_related("item__record")
        .first()
    )
    if out is not None:
        for reader in (first, third):
            try:
                hold_place(record=out.item.record, reader=reader, pickup_branch=reader.home_branch)
                made += 1
            except CirculationRefusal:
                pass
    copy = _free_copies(first.home_branch).exclude(record__holds__reader=first).first()
    if copy is not None:
        try:
            hold_place(record=copy.record, reader=first, pickup_branch=first.home_branch)
            loan_checkin(item=copy, branch=first.home_branch, acting_user=desk, now=now)
            made += 1
        except CirculationRefusal:
            pass
    return made


def seed_reader(reader: ReaderProfile, *, now=None) -> int:
    """Everything «Мій формуляр» shows, for the reader a new user signs in as (the printed
    `reader-branch-5`): a reading history, a loan overdue and one due in two days, a copy
    waiting on the hold shelf and a hold in a queue. Nothing when the reader already has
    loans or holds (so running it again adds nothing). Returns how many loans and holds."""
    if Loan.objects.filter(reader=reader).exists() or Hold.objects.filter(reader=reader).exists():
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    branch = reader.home_branch
    desk = _desk_user()
    if not reader.keeps_reading_history:
        reader.keeps_reading_history = True
        reader.save(update_fields=["keeps_reading_history"])
    copies, seen = [], set()
    for item in _free_copies(branch).exclude(record__holds__status__in=Hold.ACTIVE)[:40]:
        if item.record_id not in seen:
            seen.add(item.record_id)
            copies.append(item)
    if len(copies) < 5:
        return 0
    history, overdue, due_soon, ready, queued = copies[:5]
    made = _lend(history, reader, branch, desk, now - timedelta(days=120))
    loan_checkin(item=history, branch=branch, acting_user=desk, now=now - timedelta(days=100))
    # The due dates a reader must see, whatever the library's loan period.
    for item, days_ago, due_on in (
        (overdue, 45, today - timedelta(days=12)),
        (due_soon, 20, today + timedelta(days=2)),
    ):
        if _lend(item, reader, branch, desk, now - timedelta(days=days_ago)):
            Loan.objects.open().filter(item=item).update(due_on=due_on)
            made += 1
    try:
        hold_place(record=ready.record, reader=reader, pickup_branch=branch)
        loan_checkin(item=ready, branch=branch, acting_user=desk, now=now)  # captured: ready
        made += 1
        # The queued title's copy goes out to someone else first, so the hold waits for it.
        other = _other_reader(reader)
        if other is not None:
            _lend(queued, other, branch, desk, now - timedelta(days=3))
        hold_place(record=queued.record, reader=reader, pickup_branch=branch)
        made += 1
    except CirculationRefusal:
        pass
    return made


def _other_reader(reader):
    return (
        ReaderProfile.objects.filter(user__username__startswith="demo-borrower-")
        .exclude(pk=reader.pk)
        .order_by("pk")
        .first()
    )
