"""Demo history texts and tour requests of the plan's libraries, all marked as demo.

The histories are neutral: what the plan says of each library's role and what a reader sees
there, with no invented founding dates or names; each says it is a demo text. Tour requests
of the plan years (2016–2021) are already anonymised, as retention would have left them, so
the plan's direction 10 («бібліотечний туризм») has tours to count; this year's requests
are in every state a librarian meets."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation

from branches.models import Branch, TourRequest
from core.tz import KYIV

DEMO_NOTE = "(Демонстраційний текст: справжню історію бібліотеки додасть її працівник.)"
DEMO_NOTE_EN = "(A demo text: the library's staff will add its real history.)"

HISTORY = {
    "central": (
        "Центральна бібліотека — головна бібліотека Луцької міської централізованої "
        "бібліотечної системи і її координаційний центр. Тут зберігається найбільший фонд "
        "мережі, працюють методисти, які допомагають філіям, і відділи, куди читачі "
        "приходять по довідки, періодику та краєзнавчі видання.\n\n"
        "На екскурсії гості бачать читальну залу, коворкінг і кінозалу, дізнаються, як книга "
        "потрапляє до фонду і як знайти її в електронному каталозі.",
        "The Central Library is the main library of the Lutsk city library system and its "
        "coordinating centre: the largest collection, the methodologists who support the "
        "branches, reference and local-lore departments.",
    ),
    "central-children": (
        "Центральна дитяча бібліотека — координаційний центр сімейного читання в мережі. Тут "
        "читають уголос, проводять заняття гуртків і студій, а батьки з дітьми обирають книги "
        "разом.\n\n"
        "Екскурсія для шкільного класу — це знайомство з бібліотекою, правилами користування "
        "і гра-пошук книги на полицях.",
        "The Central Children's Library coordinates family reading in the network: reading "
        "aloud, clubs and studios, books chosen by parents and children together.",
    ),
    "branch-5": (
        "Бібліотека-філія № 5 — бібліотека мікрорайону, де читачі вчаться працювати з "
        "компʼютером і отримують допомогу з електронними послугами.",
        "Branch Library No. 5 serves its neighbourhood; readers learn computer skills here "
        "and get help with online public services.",
    ),
    "branch-7": (
        "Бібліотека-філія № 7 працює для людей з особливими потребами: книги великим "
        "шрифтом, доставка книг додому, правові консультації.",
        "Branch Library No. 7 works for people with special needs: large print, home "
        "delivery, legal consultations.",
    ),
    "children-2": (
        "Бібліотека для дітей № 2 — простір для читання й творчості наймолодших читачів "
        "та їхніх батьків.",
        "",
    ),
}

# kind, group name, people, tour language
GROUPS = [
    (TourRequest.Kind.SCHOOL_CLASS, "5-А клас ліцею № 9", 27, "uk"),
    (TourRequest.Kind.SCHOOL_CLASS, "2-Б клас гімназії № 4", 22, "uk"),
    (TourRequest.Kind.STUDENTS, "Студенти-бібліотекознавці СНУ імені Лесі Українки", 14, "uk"),
    (TourRequest.Kind.TOURISTS, "Туристична група з Любліна", 18, "en"),
    (TourRequest.Kind.OTHER, "Клуб «Активне довголіття»", 12, "uk"),
    (TourRequest.Kind.TOURISTS, "Сімейна група з Рівного", 6, "uk"),
]
CONTACTS = ["Ірина Савчук", "Олег Кравчук", "Марія Бондар", "Anna Nowak", "Галина Мельник"]


def seed(*, rng, counts=None, stdout=None) -> int:
    """Histories (always refreshed) and demo tour requests (once); returns rows made."""
    branches = {b.slug: b for b in Branch.objects.filter(slug__in=HISTORY)}
    for slug, (history, history_en) in HISTORY.items():
        branch = branches.get(slug)
        if branch is None or (branch.history and DEMO_NOTE not in branch.history):
            continue  # a library's real history is never overwritten
        branch.history = f"{history}\n\n{DEMO_NOTE}"
        branch.history_en = f"{history_en}\n\n{DEMO_NOTE_EN}" if history_en else ""
        branch.save(update_fields=["history", "history_en"])
    if TourRequest.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write("branches: demo tour requests already there, none added")
        return 0
    with transaction.atomic():
        made = _tours(rng, list(Branch.objects.public().filter(offers_tours=True).order_by("pk")))
    if stdout:
        stdout.write(f"branches: {made} demo tour requests made")
    return made


def _tours(rng, branches) -> int:
    if not branches:
        return 0
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    with translation.override("uk"):
        # The plan years: tours held, contacts long forgotten.
        for year in range(2016, 2022):
            for branch in branches:
                for _ in range(rng.randint(0, 4)):
                    kind, _group, people, language = rng.choice(GROUPS)
                    day = today.replace(year=year, month=rng.randint(2, 11), day=rng.randint(1, 28))
                    moment = datetime.combine(day, time(rng.choice([10, 11, 12, 14])), tzinfo=KYIV)
                    rows.append(
                        TourRequest(
                            branch=branch,
                            group_name=str(TourRequest.Kind(kind).label),
                            kind=kind,
                            people=people,
                            preferred_date=day,
                            tour_language=language,
                            contact_name="",
                            consent_at=moment - timedelta(days=14),
                            created_at=moment - timedelta(days=14),
                            status=TourRequest.Status.DONE,
                            status_changed_at=moment,
                            agreed_at=moment,
                            done_on=day,
                            anonymised_at=moment + timedelta(days=400),
                            is_demo=True,
                        )
                    )
    # This year: one request in each state a librarian meets, across the libraries.
    states = [
        (TourRequest.Status.NEW, None),
        (TourRequest.Status.NEW, None),
        (TourRequest.Status.AGREED, 9),
        (TourRequest.Status.DONE, -12),
        (TourRequest.Status.DECLINED, None),
        (TourRequest.Status.CANCELLED, None),
    ]
    for index, (status, offset) in enumerate(states):
        kind, group, people, language = GROUPS[index % len(GROUPS)]
        branch = branches[index % len(branches)]
        preferred = today + timedelta(days=offset if offset else 14 + index)
        agreed = datetime.combine(preferred, time(11), tzinfo=KYIV) if offset is not None else None
        sent = now - timedelta(days=(abs(offset) if offset else 0) + 10 + index)
        rows.append(
            TourRequest(
                branch=branch,
                group_name=group,
                kind=kind,
                people=people,
                preferred_date=preferred,
                alternative_date=preferred + timedelta(days=2),
                tour_language=language,
                contact_name=CONTACTS[index % len(CONTACTS)] + " (демо)",
                email=f"tour{index}@example.org",
                language=language,
                consent_at=sent,
                created_at=sent,
                status=status,
                status_changed_at=sent + timedelta(days=1),
                agreed_at=agreed,
                done_on=preferred if status == TourRequest.Status.DONE else None,
                is_demo=True,
            )
        )
    TourRequest.objects.bulk_create(rows)
    return len(rows)
