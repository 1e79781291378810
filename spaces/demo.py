"""Demo spaces: each library's zones from its card made bookable, a hall that needs the staff's
approval in the central libraries, its public computers (the count on its card), and bookings
of the last four months and the next two weeks by readers and groups. All rows carry
`is_demo`; mail goes to example.org. Running it again adds nothing once demo spaces exist."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation

from branches.models import Branch, Zone
from core.tz import KYIV
from spaces.models import Booking, Resource

DEFAULT_BOOKINGS = 600
PAST_DAYS, FUTURE_DAYS = 120, 14
# The demo keeps the day view short: at most this many computers per library.
MAX_COMPUTERS = 6

ZONE_KINDS = {
    Zone.Kind.READING_ROOM: Resource.Kind.READING_ROOM,
    Zone.Kind.CINEMA: Resource.Kind.HALL,
}
GROUPS = [
    ("Луцький ліцей № 21", "Ірина Савчук", "Урок позакласного читання"),
    ("Клуб шахістів «Гамбіт»", "Петро Мельник", "Турнір вихідного дня"),
    ("ГО «Волинь молода»", "Оксана Гнатюк", "Зустріч волонтерів"),
    ("Розмовний клуб англійської", "Андрій Ткачук", "Заняття клубу"),
    ("Рада ветеранів Луцька", "Галина Бондар", "Засідання ради"),
    ("Гімназія № 4", "Марія Кравчук", "Екскурсія для 3-Б класу"),
]
READERS = [
    "Олена Коваль",
    "Тарас Шевчук",
    "Юлія Левчук",
    "Богдан Романюк",
    "Наталія Поліщук",
    "Василь Олійник",
    "Софія Мельничук",
]
PURPOSES = ["Підготовка до НМТ", "Робота над курсовою", "Резюме й пошук роботи", "Онлайн-заняття"]


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    if Resource.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write("spaces: demo data already there, none added")
        return 0
    branches = list(Branch.objects.public().prefetch_related("zones", "hours").order_by("pk"))
    if not branches:
        raise RuntimeError("No libraries: run the migrations before seed_demo.")
    target = int((counts or {}).get("spaces", DEFAULT_BOOKINGS))
    with transaction.atomic():
        resources = _resources(branches)
        made = len(resources) + _bookings(rng, resources, target)
    if stdout:
        stdout.write(f"spaces: {made} demo rows made")
    return made


def _resources(branches) -> list[Resource]:
    rows = []
    for branch in branches:
        for position, zone in enumerate(branch.zones.all()):
            rows.append(
                Resource(
                    branch=branch,
                    kind=ZONE_KINDS.get(zone.kind, Resource.Kind.ZONE),
                    zone=zone,
                    name=zone.name or zone.get_kind_display(),
                    name_en=_english(Zone.Kind(zone.kind).label),
                    capacity=zone.seats or 10,
                    slot_minutes=120 if zone.kind == Zone.Kind.CINEMA else 60,
                    needs_approval=zone.kind == Zone.Kind.CINEMA,
                    position=position,
                    is_demo=True,
                )
            )
        if branch.kind in (Branch.Kind.CENTRAL, Branch.Kind.CENTRAL_CHILDREN):
            rows.append(
                Resource(
                    branch=branch,
                    kind=Resource.Kind.HALL,
                    name="Зала для заходів",
                    name_en="Events hall",
                    description="Проєктор, екран, 40 стільців; для зустрічей, лекцій, презентацій.",
                    description_en="Projector, screen, 40 chairs; for meetings, talks, launches.",
                    capacity=40,
                    slot_minutes=120,
                    needs_approval=True,
                    position=50,
                    is_demo=True,
                )
            )
        for number in range(1, min(branch.public_pcs, MAX_COMPUTERS) + 1):
            rows.append(
                Resource(
                    branch=branch,
                    kind=Resource.Kind.COMPUTER,
                    name=f"Компʼютер {number}",
                    name_en=f"Computer {number}",
                    capacity=1,
                    slot_minutes=60,
                    position=200 + number,
                    is_demo=True,
                )
            )
    # Two zones of one kind without names would share a name: number them.
    seen = {}
    for row in rows:
        key = (row.branch_id, row.name)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            row.name = f"{row.name} {seen[key]}"
    return Resource.objects.bulk_create(rows)


def _english(label) -> str:
    with translation.override("en"):
        return str(label)


def _bookings(rng, resources, target) -> int:
    if not resources:
        return 0
    now = timezone.now()
    today = timezone.localdate(now, KYIV)
    taken = set()
    bookings = []
    for _attempt in range(target * 3):
        if len(bookings) >= target:
            break
        resource = rng.choice(resources)
        day = today + timedelta(days=rng.randint(-PAST_DAYS, FUTURE_DAYS))
        slots = resource.slot_starts_on(day)
        if not slots:
            continue
        starts_at, ends_at = rng.choice(slots)
        if (resource.pk, starts_at) in taken:
            continue
        taken.add((resource.pk, starts_at))
        past = starts_at <= now
        if resource.is_computer or rng.random() < 0.5:
            organisation, name, purpose = "", rng.choice(READERS), rng.choice(PURPOSES)
            people = 1 if resource.is_computer else rng.randint(1, min(3, resource.capacity))
        else:
            organisation, name, purpose = rng.choice(GROUPS)
            people = rng.randint(min(5, resource.capacity), resource.capacity)
        status = Booking.Status.CONFIRMED
        roll = rng.random()
        if roll < 0.08:
            status = Booking.Status.CANCELLED
        elif resource.needs_approval and roll < 0.15:
            status = Booking.Status.DECLINED
        elif resource.needs_approval and not past and roll < 0.6:
            status = Booking.Status.PENDING
        booked = min(starts_at - timedelta(days=rng.randint(1, 10)), now)
        bookings.append(
            Booking(
                resource=resource,
                starts_at=starts_at,
                ends_at=ends_at,
                organisation=organisation,
                name=name,
                email=f"booking{len(bookings)}@example.org",
                people=people,
                purpose=purpose,
                status=status,
                created_at=booked,
                decided_at=booked + timedelta(hours=3)
                if resource.needs_approval and status != Booking.Status.PENDING
                else None,
                cancelled_at=booked + timedelta(days=1)
                if status == Booking.Status.CANCELLED
                else None,
                is_demo=True,
            )
        )
    Booking.objects.bulk_create(bookings)
    return len(bookings)
