"""Demo history of the plan's years (2016–2021) in the other apps, so that the plan's computed
indicators and the yearly 6-НК report have live figures on first run.

The other apps' demo data describe "now" (a season of events around today, copies received in
the last three years, no readers at all); a plan that ended in 2021 would show zeros. This part
of the strategy demo writes, through those apps' own models and services, a modest past for
every library the plan names:

- readers (accounts): users with a reader card registered in each year, by 6-НК category —
  the standing readership in the first year, newcomers after (6-НК counts every valid card);
- the stock (catalog): the holdings at 1 January 2016 as one act, then each year's intake acts
  by source and one withdrawal act; copies of the demo catalogue's records;
- events: held events with head counts by audience, partners (one or two more each year) and,
  for a third of them, registrations (anonymised since); clubs and schools that ran through the
  plan's years (not shown on the public site: they have ended), with learners;
- searches of the online catalogue that found nothing (catalog's SearchLog), a few dozen a year;
- `manual.visits` and `manual.loans` (strategy's own figures) follow from the readers on the
  books.

**Scale.** A real library has thousands of readers; creating that many users would make
`seed_demo` slow. The history is a network at roughly 1:40 — two to three hundred readers on the
books per library — and the hand-entered visits and loans are set to match it, so that the derived
ratios (читаність ≈ 20, відвідуваність ≈ 10, обертаність ≈ 1.5, книгозабезпеченість ≈ 10)
look like a real library's, even though the absolute numbers are small. The pages say so.

**Not made:** e-catalogue records (the catalogue demo already dates them over the years),
readers' purchase suggestions (personal data, and the form is new), volunteers (their app had not
landed when this was written), e-services walk-ins (the egov demo already goes back to 2016).

Everything is deterministic (fixed random sequences, see _rng) and marked as demo: usernames
`demo-history-…`, acts with HISTORY_NOTE, events and clubs with `is_demo`. Search logs have no
mark: they are made only when the log has nothing before 2022. See seed() for what a second run
keeps and what it remakes.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils import timezone

from accounts.models import ReaderProfile, User
from branches.models import Branch
from catalog.indexing import search_cache_invalidate
from catalog.models import IntakeBatch, Item, Record, SearchLog, Withdrawal
from catalog.services import inventory_numbers_reserve
from core.db import analyze
from core.tz import KYIV
from events.demo import EVENT_IDEAS, FIRST_NAMES, LAST_NAMES
from events.models import (
    Attendance,
    Club,
    ClubAttendance,
    ClubMembership,
    Event,
    Partner,
    Registration,
    Topic,
)

HISTORY_NOTE = "Демонстраційні дані: історія 2016–2021 (seed_demo, strategy)"
USERNAME_PREFIX = "demo-history-"
CLUB_PREFIX = "demo-history-"
# Card numbers far above the ones a library hands out, so the demo never takes a real one.
CARD_SEQUENCE_START = 900_000_000

# How big a library is, relative to a branch.
WEIGHT = {
    Branch.Kind.CENTRAL: 1.6,
    Branch.Kind.CENTRAL_CHILDREN: 1.3,
}
READERS_PER_YEAR = (55, 85)
# A card stays valid (the portal keeps no deregistration date), so 6-НК's users of a year are
# all readers registered up to its end: the first year brings the library's standing readership,
# later years a trickle of newcomers, so that the users stay about level as in a real library.
FIRST_YEAR_FACTOR = 3.0
LATER_YEAR_FACTOR = 0.4
CATEGORIES_ADULT = [
    (ReaderProfile.Category.CHILD, 12),
    (ReaderProfile.Category.YOUTH, 22),
    (ReaderProfile.Category.ADULT, 43),
    (ReaderProfile.Category.SENIOR, 20),
    (ReaderProfile.Category.SPECIAL_NEEDS, 3),
]
CATEGORIES_CHILDREN = [
    (ReaderProfile.Category.CHILD, 75),
    (ReaderProfile.Category.YOUTH, 15),
    (ReaderProfile.Category.ADULT, 8),
    (ReaderProfile.Category.SPECIAL_NEEDS, 2),
]
CHILDREN_KINDS = {Branch.Kind.CENTRAL_CHILDREN, Branch.Kind.CHILDREN}
# Copies on the books per user of the year (книгозабезпеченість).
STOCK_PER_READER = (9, 13)
INTAKE_SHARE = (0.05, 0.09)  # of the stock, a year
WITHDRAWAL_SHARE = (0.03, 0.06)
INTAKE_SOURCES = [
    (IntakeBatch.Source.BUDGET, 40),
    (IntakeBatch.Source.DONATION, 25),
    (IntakeBatch.Source.AUTHOR_GIFT, 10),
    (IntakeBatch.Source.GRANT, 10),
    (IntakeBatch.Source.SPONSOR, 10),
    (IntakeBatch.Source.EXCHANGE, 5),
]
EVENTS_PER_YEAR = (8, 14)
# Loans and visits a year per user of the year (читаність, відвідуваність).
LOANS_PER_READER = (16, 24)
VISITS_PER_READER = (8, 12)

# (slug, name, kind, focus, library slug, weekdays, hour, frequency, audiences, first year)
CLUBS = [
    (
        "computer-school",
        "Школа компʼютерної грамотності «Бабусі й дідусі онлайн»",
        Club.Kind.SCHOOL,
        Club.Focus.COMPUTER,
        "central",
        [1],
        11,
        Club.Frequency.WEEKLY,
        ["seniors"],
        2016,
    ),
    (
        "english-school",
        "Школа англійської мови «Speak Easy»",
        Club.Kind.SCHOOL,
        Club.Focus.LANGUAGES,
        "branch-7",
        [3],
        17,
        Club.Frequency.WEEKLY,
        ["youth", "adults"],
        2017,
    ),
    (
        "lore-club",
        "Краєзнавчий клуб «Лучеськ»",
        Club.Kind.CLUB,
        Club.Focus.LOCAL_LORE,
        "branch-10",
        [5],
        12,
        Club.Frequency.MONTHLY,
        ["adults", "seniors"],
        2016,
    ),
    (
        "family-reading",
        "Клуб сімейного читання «Читаємо разом»",
        Club.Kind.CLUB,
        Club.Focus.READING,
        "central-children",
        [5],
        11,
        Club.Frequency.WEEKLY,
        ["families", "children"],
        2016,
    ),
    (
        "board-games",
        "Клуб настільних ігор «Гральня»",
        Club.Kind.CLUB,
        Club.Focus.OTHER,
        "children-2",
        [4],
        15,
        Club.Frequency.WEEKLY,
        ["children", "youth"],
        2018,
    ),
    (
        "poetry-club",
        "Клуб любителів поезії «Волинські музи»",
        Club.Kind.CLUB,
        Club.Focus.READING,
        "branch-11",
        [2],
        17,
        Club.Frequency.MONTHLY,
        ["adults"],
        2017,
    ),
]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _moment(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_current_timezone())


def _random_day(rng, year):
    return date(year, 1, 1) + timedelta(days=rng.randint(0, 364))


def _rng(part):
    """Each part draws from its own fixed sequence, not from seed_demo's `rng`: what the apps
    before it consumed differs between a first and a second run (the catalogue tops up only
    once), and the history must come out the same every time."""
    return random.Random(f"strategy-demo-history-{part}")


@transaction.atomic
def seed(*, libraries, years) -> tuple[int, dict]:
    """Make the history; returns (rows made, {(branch_id, year): readers registered}).

    Readers, the stock and the search log are thousands of rows: made once and kept (a second
    run only counts them). Events and clubs are remade on each run, since the events demo,
    which runs first, replaces every demo event and club.
    """
    made = 0
    end = _moment(date(years[-1] + 1, 1, 1), 0)
    readers = _readers_made()
    if not readers:
        readers = _readers(_rng("readers"), libraries, years)
        made += sum(readers.values())
    if not IntakeBatch.objects.filter(note=HISTORY_NOTE).exists():
        made += _stock(_rng("stock"), libraries, years, readers)
    if not SearchLog.objects.filter(created_at__lt=end).exists():
        made += _searches(_rng("searches"), libraries, years)
    Event.objects.filter(is_demo=True, starts_at__lt=end).delete()
    Club.objects.filter(is_demo=True, slug__startswith=CLUB_PREFIX).delete()
    made += _events(_rng("events"), libraries, years)
    made += _clubs(_rng("clubs"), libraries, years)
    return made, readers


def _readers_made():
    """{(branch_id, year): count} of the demo history's readers already there, one query."""
    rows = (
        ReaderProfile.objects.filter(user__username__startswith=USERNAME_PREFIX)
        .annotate(year=ExtractYear("created_at", tzinfo=KYIV))
        .values("home_branch", "year")
        .order_by()
        .annotate(total=Count("pk"))
        .values_list("home_branch", "year", "total")
    )
    return {(branch, year): total for branch, year, total in rows}


def on_the_books(readers, branch_id, years):
    """{year: readers registered at the library up to that year's end} from yearly counts."""
    total, found = 0, {}
    for year in years:
        total += readers.get((branch_id, year), 0)
        found[year] = total
    return found


def _readers(rng, libraries, years):
    """Users with reader cards, registered on a day of each year; returns counts per year."""
    counts, users, profiles = {}, [], []
    unusable = make_password(None)
    sequence = CARD_SEQUENCE_START
    for library in libraries:
        weight = WEIGHT.get(library.kind, 1.0)
        categories = CATEGORIES_CHILDREN if library.kind in CHILDREN_KINDS else CATEGORIES_ADULT
        for step, year in enumerate(years):
            factor = FIRST_YEAR_FACTOR if step == 0 else LATER_YEAR_FACTOR * (1 + 0.03 * step)
            count = int(rng.randint(*READERS_PER_YEAR) * weight * factor)
            counts[(library.pk, year)] = count
            for number in range(count):
                sequence += 1
                registered = _moment(_random_day(rng, year), rng.randint(9, 18))
                users.append(
                    User(
                        username=f"{USERNAME_PREFIX}{library.slug}-{year}-{number:03d}",
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        password=unusable,
                        date_joined=registered,
                    )
                )
                profiles.append(
                    ReaderProfile(
                        card_number=ReaderProfile.card_number_for(sequence),
                        home_branch=library,
                        category=_weighted(rng, categories),
                        consent_given_at=registered,
                        created_at=registered,
                        # Form 6-НК counts readers registered or re-registered in the year:
                        # the demo's readers re-register every year up to the last one (only
                        # the last date is kept), early in January, without drawing on `rng`.
                        reregistered_on=(
                            date(years[-1], 1, 9) + timedelta(days=number % 50)
                            if year < years[-1]
                            else None
                        ),
                    )
                )
    User.objects.bulk_create(users, batch_size=2000)
    for user, profile in zip(users, profiles, strict=True):
        profile.user = user
    ReaderProfile.objects.bulk_create(profiles, batch_size=2000)
    # `created_at` is auto_now_add, so bulk_create stamped today: put the registration day back
    # (it is also the day of consent) in one statement keyed on the ids just made; a filter
    # through the users' names joined tables whose statistics still said "empty".
    ReaderProfile.objects.filter(pk__in=[profile.pk for profile in profiles]).update(
        created_at=F("consent_given_at")
    )
    analyze(User, ReaderProfile)
    return counts


def _stock(rng, libraries, years, readers):
    """The holdings at 1 January of the first year, then yearly intake and withdrawal acts."""
    # Old copies go to the old catalogue only: titles the demo adds as this season's new arrivals
    # must keep their first copy recent, or «Нові надходження» would be empty.
    record_ids = list(
        Record.objects.exclude(source_id__startswith="demo-new:")
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    if not record_ids:
        return 0
    made = 0
    items = []
    withdrawn = []  # (item index, withdrawal act)
    for library in libraries:
        on_books = on_the_books(readers, library.pk, years)
        stock = int(sum(on_books.values()) / len(years) * rng.randint(*STOCK_PER_READER))
        plan = [(date(years[0] - 1, 12, 28), IntakeBatch.Source.BUDGET, stock, "ФОНД-2015")]
        for year in years:
            copies = int(stock * rng.uniform(*INTAKE_SHARE))
            acts = rng.randint(2, 4)
            for act in range(acts):
                plan.append(
                    (
                        _random_day(rng, year),
                        _weighted(rng, INTAKE_SOURCES),
                        max(1, copies // acts),
                        f"І-{act + 1}/{year}",
                    )
                )
        numbers = iter(inventory_numbers_reserve(branch=library, count=sum(p[2] for p in plan)))
        on_books = []  # indexes into `items` of this library's copies not yet written off
        for day, source, copies, act_number in sorted(plan):
            batch = IntakeBatch.objects.create(
                branch=library,
                date=day,
                source=source,
                act_number=act_number,
                note=HISTORY_NOTE,
            )
            made += 1
            prices = [Decimal(rng.randint(60, 320)) for _copy in range(copies)]
            for price in prices:
                on_books.append(len(items))
                items.append(
                    Item(
                        record_id=rng.choice(record_ids),
                        branch=library,
                        inventory_number=next(numbers),
                        status=Item.Status.ON_SHELF,
                        price=price,
                        intake=batch,
                        added_at=_moment(day),
                    )
                )
            batch.cost = sum(prices)
            batch.save(update_fields=["cost"])
            if day.year in years and act_number.startswith("І-1/"):
                # One withdrawal act a year, of copies received in earlier years.
                written_off = int(stock * rng.uniform(*WITHDRAWAL_SHARE))
                act = Withdrawal.objects.create(
                    branch=library,
                    date=date(day.year, 11, rng.randint(1, 28)),
                    act_number=f"С-{day.year}",
                    reason=_weighted(
                        rng,
                        [
                            (Withdrawal.Reason.WORN_OUT, 50),
                            (Withdrawal.Reason.OUTDATED, 25),
                            (Withdrawal.Reason.LOST_BY_READER, 10),
                            (Withdrawal.Reason.SURPLUS, 10),
                            (Withdrawal.Reason.DAMAGED, 5),
                        ],
                    ),
                    note=HISTORY_NOTE,
                )
                made += 1
                new_year = _moment(date(day.year, 1, 1), 0)
                older = [i for i in on_books if items[i].added_at < new_year]
                chosen = rng.sample(older, min(written_off, len(older)))
                withdrawn += [(index, act) for index in chosen]
                chosen = set(chosen)
                on_books = [i for i in on_books if i not in chosen]
    for index, act in withdrawn:
        items[index].status = Item.Status.WITHDRAWN
        items[index].withdrawal = act
    Item.objects.bulk_create(items, batch_size=5000)
    analyze(IntakeBatch, Withdrawal, Item)
    # The library facet of cached searches would miss the new copies.
    transaction.on_commit(search_cache_invalidate)
    return made + len(items)


def _events(rng, libraries, years):
    """Held events with head counts by audience and their partners."""
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    partners = list(Partner.objects.order_by("pk"))
    events, audiences_of, topics_of, partners_of, registered_of = [], [], [], [], []
    for library in libraries:
        weight = WEIGHT.get(library.kind, 1.0)
        for step, year in enumerate(years):
            for _number in range(int(rng.randint(*EVENTS_PER_YEAR) * weight * (1 + 0.04 * step))):
                kind, title, topic_slugs, audiences = rng.choice(EVENT_IDEAS)
                starts = _moment(_random_day(rng, year), rng.choice([11, 15, 17]))
                # Registration (by phone, then) for a third of the events, seats for a few.
                seats = rng.randint(3, 12) if rng.random() < 0.35 else 0
                events.append(
                    Event(
                        title=title,
                        description=f"{title}. Демонстраційний захід з історії 2016–2021 років.",
                        kind=kind,
                        branch=library,
                        is_online=kind == Event.Kind.WEBINAR,
                        online_url=(
                            "https://meet.example.org/lutsk-cbs-demo"
                            if kind == Event.Kind.WEBINAR
                            else ""
                        ),
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=rng.choice([1, 2])),
                        audiences=audiences,
                        registration_required=bool(seats),
                        capacity=30 if seats else None,
                        seats_confirmed=seats,
                        status=Event.Status.HELD,
                        published_at=starts - timedelta(days=14),
                        is_demo=True,
                    )
                )
                audiences_of.append(audiences)
                topics_of.append([topics[s] for s in topic_slugs if s in topics])
                # The network found its partners one or two a year (direction 9).
                known = partners[: 2 + 2 * step]
                partners_of.append(rng.sample(known, min(len(known), rng.randint(0, 2))))
                registered_of.append(seats)
    Event.objects.bulk_create(events, batch_size=2000)
    attendance = [
        Attendance(event=event, audience=audience, count=rng.randint(8, 35))
        for event, audiences in zip(events, audiences_of, strict=True)
        for audience in audiences
    ]
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    topic_links = [
        Event.topics.through(event_id=event.pk, topic_id=topic.pk)
        for event, chosen in zip(events, topics_of, strict=True)
        for topic in chosen
    ]
    Event.topics.through.objects.bulk_create(topic_links, batch_size=2000)
    partner_links = [
        Event.partners.through(event_id=event.pk, partner_id=partner.pk)
        for event, chosen in zip(events, partners_of, strict=True)
        for partner in chosen
    ]
    Event.partners.through.objects.bulk_create(partner_links, batch_size=2000)
    registrations = [
        Registration(
            event=event,
            name="Знеособлено",
            seats=1,
            status=Registration.Status.CONFIRMED,
            created_at=event.published_at,
            confirmed_at=event.published_at,
            consent_at=event.published_at,
            anonymised_at=event.ends_at + timedelta(days=30),
        )
        for event, seats in zip(events, registered_of, strict=True)
        for _seat in range(seats)
    ]
    Registration.objects.bulk_create(registrations, batch_size=2000)
    analyze(Event, Attendance, Event.topics.through, Event.partners.through, Registration)
    return len(events) + len(attendance) + len(registrations)


def _clubs(rng, libraries, years):
    """Clubs and schools that met through the plan's years and ended with it; each school year
    (September to June) a new group of learners, anonymised since, as the retention rule asks."""
    by_slug = {library.slug: library for library in libraries}
    made = 0
    last_day = date(years[-1], 12, 31)
    for slug, name, kind, focus, library_slug, weekdays, hour, frequency, audiences, first in CLUBS:
        library = by_slug.get(library_slug)
        if library is None or first > years[-1]:
            continue
        club = Club.objects.create(
            slug=f"{CLUB_PREFIX}{slug}",
            name=name,
            kind=kind,
            focus=focus,
            branch=library,
            leader=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            description=f"{name}. Демонстраційні дані: клуб працював у 2016–2021 роках.",
            audiences=audiences,
            frequency=frequency,
            weekdays=weekdays,
            week_of_month=2 if frequency == Club.Frequency.MONTHLY else None,
            starts_at_time=time(hour),
            starts_on=date(first, 9, 1) if first > years[0] else date(first, 1, 15),
            ends_on=last_day,
            is_published=False,  # it has ended: nothing for a reader to join
            is_demo=True,
        )
        made += 1
        members = []
        # The first group may have started before the plan; the last leaves when the club ends.
        for year in range(first - 1 if first == years[0] else first, years[-1] + 1):
            for _number in range(rng.randint(8, 15)):
                joined = date(year, 9, 1) + timedelta(days=rng.randint(0, 30))
                left = min(date(year + 1, 6, 30), last_day + timedelta(days=1))
                members.append(
                    ClubMembership(
                        club=club,
                        name="Знеособлено",
                        joined_on=max(joined, club.starts_on),
                        left_on=left,
                        consent_at=_moment(joined),
                        anonymised_at=_moment(left),
                    )
                )
        ClubMembership.objects.bulk_create(members)
        made += len(members)
        made += _club_attendance(club, members)
    return made


def _club_attendance(club, members):
    """A head count after every meeting the club held: about three in four of its group came
    (directions 12 and 15 count these, not the schedule)."""
    rng = _rng(f"attendance-{club.slug}")
    start = timezone.make_aware(datetime.combine(club.starts_on, time()))
    end = timezone.make_aware(datetime.combine(club.ends_on + timedelta(days=1), time()))
    rows = []
    for meeting in club.meetings_between(start, end):
        day = timezone.localtime(meeting).date()
        group = sum(1 for m in members if m.joined_on <= day < m.left_on)
        if group:
            rows.append(
                ClubAttendance(
                    club=club, date=day, count=max(1, round(group * rng.uniform(0.6, 0.9)))
                )
            )
    ClubAttendance.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# What readers looked for and did not find in the online catalogue (direction 6).
UNFOUND = [
    "гаррі поттер і прокляте дитя",
    "забужко польові дослідження",
    "кобзар 1840",
    "історія волині",
    "луцький замок",
    "андрухович лексикон",
    "жадан інтернат",
    "python для початківців",
    "англійська для дітей",
    "дашвар село не люди",
    "кідрук",
    "підручник з математики 5 клас",
    "леся українка лісова пісня аудіокнига",
    "карта луцька 1939",
]


def _searches(rng, libraries, years):
    """Searches that found nothing, a few dozen a year, more as the online catalogue grew;
    one in four names a library (the reader filtered on it)."""
    logs = []
    for step, year in enumerate(years):
        for _number in range(rng.randint(20, 40) * (step + 2) // 2):
            query = rng.choice(UNFOUND)
            logs.append(
                SearchLog(
                    query=query,
                    normalized=query,
                    branch=rng.choice(libraries) if rng.random() < 0.25 else None,
                    hits=0,
                    created_at=_moment(_random_day(rng, year), rng.randint(8, 21)),
                )
            )
    SearchLog.objects.bulk_create(logs)
    analyze(SearchLog)
    return len(logs)
