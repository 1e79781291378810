"""Demo season: past held events with attendance, upcoming ones with registrations, and clubs
and schools in every library. Everything is marked `is_demo` and replaced on each run."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from branches.models import Branch
from events.models import (
    Attendance,
    Club,
    ClubException,
    ClubMembership,
    Event,
    Partner,
    Registration,
    Topic,
)

TOPICS = [
    ("local-lore", "Краєзнавство", "Local lore"),
    ("ukrainian-literature", "Українська література", "Ukrainian literature"),
    ("history", "Історія України", "History of Ukraine"),
    ("digital-skills", "Цифрові навички", "Digital skills"),
    ("reading", "Читання", "Reading"),
    ("ecology", "Екологія", "Ecology"),
    ("e-government", "Електронне урядування", "E-government"),
    ("art", "Мистецтво", "Art"),
]
# Organisations the plan names as partners, and a few of the usual city ones.
PARTNERS = [
    "Волинське державне училище культури і мистецтв ім. І. Стравінського",
    "Східноєвропейський національний університет імені Лесі Українки",
    "Програма «Бібліоміст»",
    "Ініціатива «Публічні бібліотеки – мости до електронного урядування»",
    "Луцька міська рада",
    "Волинська обласна організація Національної спілки письменників України",
    "Луцький центр соціальних служб для сімʼї, дітей та молоді",
    "Громадська організація «Волинь молода»",
]
# The partners register of the demo: (kind, agreement year or None, years valid or None,
# contact person) by name; contacts are invented (example.org, a 0 phone).
PARTNER_DETAILS = {
    PARTNERS[0]: ("university", 2017, 5, "Галина Климчук"),
    PARTNERS[1]: ("university", 2016, None, "Андрій Савчук"),
    PARTNERS[2]: ("international", 2016, 3, ""),
    PARTNERS[3]: ("international", 2018, 4, ""),
    PARTNERS[4]: ("authority", None, None, ""),
    PARTNERS[5]: ("ngo", 2019, None, "Віктор Лазарук"),
    PARTNERS[6]: ("authority", 2020, 3, "Світлана Гнатюк"),
    PARTNERS[7]: ("ngo", 2021, 2, "Роман Ковальчук"),
}


def _partner(name, number, branches, rng):
    kind, signed, years, contact = PARTNER_DETAILS[name]
    defaults = {"kind": kind}
    if signed:
        start = date(signed, rng.randint(1, 12), rng.randint(1, 28))
        defaults.update(
            agreement_number=f"{number + 1}/{signed}",
            agreement_date=start,
            agreement_valid_until=start.replace(year=signed + years) if years else None,
        )
    if contact:
        defaults.update(
            contact_name=contact,
            contact_phone=f"+38033270{number:04d}",
            contact_email=f"partner{number + 1}@example.org",
        )
    partner, created = Partner.objects.get_or_create(
        name=name, defaults={**defaults, "is_demo": True}
    )
    if created or partner.is_demo:
        Partner.objects.filter(pk=partner.pk).update(**defaults)
        partner.branches.set(rng.sample(branches, min(len(branches), rng.randint(1, 3))))
    return partner


# (kind, title, topics, audiences)
EVENT_IDEAS = [
    (
        "writer_meeting",
        "Зустріч з волинським поетом",
        ["ukrainian-literature"],
        ["adults", "youth"],
    ),
    ("presentation", "Презентація нової книги про Луцьк", ["local-lore"], ["adults", "seniors"]),
    ("reading_conference", "Читацька конференція «Молодь і читання»", ["reading"], ["youth"]),
    ("family_reading", "Сімейні читання вихідного дня", ["reading"], ["families", "children"]),
    ("patriotic", "Урок мужності «Герої поруч»", ["history"], ["youth", "children"]),
    (
        "excursion",
        "Бібліотечний туризм: пізнай Україну та її бібліотеки",
        ["local-lore"],
        ["adults"],
    ),
    ("webinar", "Вебінар «Безпека в інтернеті»", ["digital-skills"], ["seniors", "adults"]),
    ("exhibition", "Виставка робіт юних художників", ["art"], ["children", "families"]),
    ("contest", "Конкурс читців «Живе слово»", ["ukrainian-literature"], ["children"]),
    ("reading_marathon", "Читацький марафон «Літо з книгою»", ["reading"], ["children"]),
    ("film", "Кінопоказ і обговорення", ["art"], ["youth", "adults"]),
    ("workshop", "Майстер-клас з писанкарства", ["art"], ["families"]),
    (
        "community_meeting",
        "Електронні послуги для громади: Дія і Пенсійний фонд",
        ["e-government", "digital-skills"],
        ["seniors", "adults"],
    ),
    ("presentation", "Екологічна толока-презентація", ["ecology"], ["youth"]),
]
# Ideas that belong to a season, used in the rotation only when they fit the day.
SEASONAL_IDEAS = [
    (
        "workshop",
        "Майстер-клас з виготовлення різдвяних прикрас",
        ["art"],
        ["families", "children"],
    ),
    ("family_reading", "Зимові читання біля ялинки", ["reading"], ["families", "children"]),
]
# Title → the months it is held in; titles not listed fit any month.
IDEA_MONTHS = {
    "Читацький марафон «Літо з книгою»": {6, 7, 8},
    "Майстер-клас з писанкарства": {2, 3, 4},
    "Екологічна толока-презентація": {4, 5, 6, 9, 10},
    "Майстер-клас з виготовлення різдвяних прикрас": {11, 12},
    "Зимові читання біля ялинки": {12, 1, 2},
}
# «вихідного дня» means Saturday or Sunday.
WEEKEND_IDEAS = {"Сімейні читання вихідного дня"}
START_HOURS = [11, 15, 17]
OTHER_HOURS = [10, 12, 14, 16]


def idea_fits(title, day) -> bool:
    """Whether an idea's title suits `day`: no «Літо з книгою» in December, no weekend
    readings on a Tuesday."""
    if title in WEEKEND_IDEAS and day.weekday() < 5:
        return False
    return day.month in IDEA_MONTHS.get(title, range(1, 13))


# (slug, name, kind, focus, weekdays, hour, audiences, frequency)
CLUBS = [
    (
        "computer-school-seniors",
        "Школа компʼютерної грамотності для старшого віку",
        "school",
        "computer",
        [1, 3],
        11,
        ["seniors"],
        "weekly",
    ),
    (
        "english-club",
        "Розмовний клуб англійської мови",
        "school",
        "languages",
        [4],
        17,
        ["youth", "adults"],
        "weekly",
    ),
    (
        "media-literacy",
        "Школа медіаграмотності «Фільтр»",
        "school",
        "media",
        [2],
        16,
        ["youth"],
        "weekly",
    ),
    (
        "polish-language",
        "Курси польської мови",
        "school",
        "languages",
        [0, 2],
        18,
        ["adults"],
        "weekly",
    ),
    (
        "local-lore-club",
        "Краєзнавчий клуб «Волинянин»",
        "club",
        "local_lore",
        [5],
        12,
        ["adults", "seniors"],
        "monthly",
    ),
    ("book-club", "Книжковий клуб «Прочитане»", "club", "reading", [3], 18, ["adults"], "monthly"),
    ("crafts-club", "Клуб рукоділля «Берегиня»", "club", "crafts", [1], 15, ["seniors"], "weekly"),
    (
        "kids-reading",
        "Клуб юних читачів «Книгоманія»",
        "club",
        "reading",
        [5],
        11,
        ["children"],
        "weekly",
    ),
]
# English versions of some events and clubs; the others show the "not translated" notice.
EVENT_TITLES_EN = {
    "Презентація нової книги про Луцьк": "Presentation of a new book about Lutsk",
    "Читацька конференція «Молодь і читання»": "Reading conference “Youth and Reading”",
    "Вебінар «Безпека в інтернеті»": "Webinar “Staying Safe Online”",
    "Майстер-клас з писанкарства": "Pysanka painting workshop",
    "Виставка робіт юних художників": "An exhibition of young artists' work",
}
CLUB_NAMES_EN = {
    "computer-school-seniors": "Computer literacy school for older people",
    "english-club": "English conversation club",
}

FIRST_NAMES = ["Олена", "Андрій", "Марія", "Тарас", "Ірина", "Богдан", "Наталія", "Юрій"]
LAST_NAMES = ["Коваль", "Мельник", "Шевчук", "Бондар", "Ткачук", "Кравець", "Савчук", "Поліщук"]


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    Event.objects.filter(is_demo=True).delete()
    Club.objects.filter(is_demo=True).delete()
    topics = {}
    for slug, name, name_en in TOPICS:
        topics[slug], _ = Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en}
        )
    branches = list(Branch.objects.order_by("sort_order", "pk"))
    if not branches:
        return 0
    # A stream of its own, so that the rest of the demo stays what it was.
    partner_rng = random.Random("partners")
    partners = [
        _partner(name, number, branches, partner_rng) for number, name in enumerate(PARTNERS)
    ]
    made = 0
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    for sequence, offset in enumerate(range(-150, 60, 3)):
        day = today + timedelta(days=offset + rng.randint(0, 2))
        branch = branches[sequence % len(branches)]
        hours = rng.choice([1, 2])
        planned = _open_slot(sequence, branch, day, hours, rng, tz)
        if planned is None:
            continue
        (kind, title, topic_slugs, audiences), starts, online = planned
        capacity = rng.choice([15, 20, 25, 30, 40])
        past = starts < timezone.now()
        status = Event.Status.HELD if past else Event.Status.PUBLISHED
        # A few past events were cancelled (every 17th slot): always some, whatever else the
        # seed draws, so the demo shows what a cancelled event looks like.
        if past and sequence % 17 == 5:
            status = Event.Status.CANCELLED
        title_en = EVENT_TITLES_EN.get(title)
        event = Event.objects.create(
            title=title,
            description=(
                f"{title}. Демонстраційний захід: дані вигадані для показу порталу. Вхід вільний."
            ),
            title_en=title_en,
            description_en=(
                f"{title_en}. A demo event: the details are made up to show the portal. Free entry."
                if title_en
                else None
            ),
            kind=kind,
            branch=branch,
            is_online=online,
            online_url="https://meet.example.org/lutsk-cbs-demo" if online else "",
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            audiences=audiences,
            registration_required=online or rng.random() < 0.6,
            capacity=capacity,
            max_seats_per_registration=4 if "families" in audiences else 2,
            status=status,
            # Announced two weeks ahead, but never "published" in the future.
            published_at=min(starts - timedelta(days=14), timezone.now() - timedelta(days=1)),
            is_demo=True,
        )
        event.topics.set([topics[slug] for slug in topic_slugs])
        event.partners.set(rng.sample(partners, rng.randint(0, 2)))
        made += 1
        if event.registration_required:
            made += _registrations(event, rng, past=past)
        if status == Event.Status.HELD:
            for audience in audiences:
                Attendance.objects.create(
                    event=event, audience=audience, count=rng.randint(5, capacity // 2 + 5)
                )
                made += 1
    for index, (slug, name, kind, focus, weekdays, hour, audiences, frequency) in enumerate(CLUBS):
        club = Club.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            focus=focus,
            branch=branches[index % len(branches)],
            leader=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            description=f"{name}. Демонстраційні дані. Заняття безкоштовні, приходьте!",
            name_en=CLUB_NAMES_EN.get(slug),
            description_en=(
                f"{CLUB_NAMES_EN[slug]}. Demo data. The sessions are free, come along!"
                if slug in CLUB_NAMES_EN
                else None
            ),
            audiences=audiences,
            frequency=frequency,
            weekdays=weekdays,
            week_of_month=rng.choice([1, 2, 3, -1]) if frequency == "monthly" else None,
            starts_at_time=time(hour),
            duration_minutes=90,
            starts_on=date(today.year - 1, 9, 1),
            capacity=rng.choice([None, 12, 15]),
            is_demo=True,
        )
        made += 1
        skipped = [d for d in _holidays(today) if d.weekday() in weekdays]
        ClubException.objects.bulk_create(
            [ClubException(club=club, date=d, reason="Святковий день") for d in skipped]
        )
        members = [
            ClubMembership(
                club=club,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"demo-{slug}-{number}@example.org",
                joined_on=club.starts_on + timedelta(days=rng.randint(0, 300)),
                consent_at=timezone.now(),
            )
            for number in range(rng.randint(5, 12))
        ]
        ClubMembership.objects.bulk_create(members)
        made += len(members) + len(skipped)
    if stdout is not None:
        stdout.write(f"events: {made} demo rows (events, registrations, clubs, members)")
    return made


def _open_slot(sequence, branch, day, hours, rng, tz):
    """(idea, start, online) for an event near `day` at a time its library is open, with an
    idea that suits the day; None when the library has no such time within two weeks.

    Ideas rotate by `sequence`; one that does not fit the season gives way to the next.
    The same rule as staff follow (Event.library_closed): demo events never need a reason.
    """
    ideas = EVENT_IDEAS + SEASONAL_IDEAS
    first = sequence % len(EVENT_IDEAS)
    rotation = ideas[first:] + ideas[:first]
    preferred = rng.choice(START_HOURS)
    for idea in rotation:
        kind, title = idea[0], idea[1]
        online = kind == "webinar"
        for shift in range(14):
            candidate = day + timedelta(days=shift)
            if not idea_fits(title, candidate):
                continue
            for hour in [preferred, *START_HOURS, *OTHER_HOURS]:
                starts = timezone.make_aware(datetime.combine(candidate, time(hour)), tz)
                trial = Event(
                    branch=branch,
                    is_online=online,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=hours),
                )
                if not trial.library_closed():
                    return idea, starts, online
    return None


def _registrations(event, rng, *, past):
    wanted = rng.randint(0, event.capacity + 3) if not past else rng.randint(3, event.capacity)
    rows, seats, queueing = [], 0, False
    # Sign-ups are spread between the announcement and whichever comes first, the event or
    # now: nobody has registered in the future.
    until = min(event.starts_at, timezone.now())
    step = (until - event.published_at) / (wanted + 1)
    for number in range(wanted):
        want = rng.randint(1, event.max_seats_per_registration)
        status = Registration.Status.CONFIRMED
        if queueing or seats + want > event.capacity:
            # First come, first served: once someone waits, everyone after waits too.
            status = Registration.Status.WAITLISTED
            queueing = True
        else:
            seats += want
        # Every sixth person left only a phone, as callers do, so staff see whom to ring.
        # Chosen without the shared rng, so the other apps' demo data stay the same.
        by_phone = number % 6 == 5
        rows.append(
            Registration(
                event=event,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email="" if by_phone else f"demo-{event.pk}-{number}@example.org",
                phone=f"+38050{event.pk % 1000:03d}{number:04d}" if by_phone else "",
                seats=want,
                status=status,
                created_at=event.published_at + step * (number + 1),
                confirmed_at=event.published_at + step * (number + 1)
                if status == "confirmed"
                else None,
                consent_at=event.published_at + step * (number + 1),
            )
        )
        if status == Registration.Status.WAITLISTED and past:
            rows.pop()
    Registration.objects.bulk_create(rows)
    Event.objects.filter(pk=event.pk).update(seats_confirmed=seats)
    return len(rows)


def _holidays(today):
    """Ukrainian public days off around the season (fixed-date ones)."""
    days = []
    for year in (today.year - 1, today.year, today.year + 1):
        days += [date(year, 1, 1), date(year, 3, 8), date(year, 12, 25)]
    return days
