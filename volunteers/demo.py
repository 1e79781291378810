"""Demo volunteering: applicants in every state, opportunities with sign-ups, approved hours
over the last two years, and home delivery requests. All rows carry `is_demo` (opportunities
show «Демонстраційний запис» on the public pages); names are invented, mail goes to
example.org. Running it again adds nothing once the demo applicants exist."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from branches.models import Branch
from core.secret_links import new_token
from volunteers.models import (
    Application,
    DeliveryRequest,
    HoursEntry,
    Interest,
    Opportunity,
    SignUp,
)

DEFAULT_APPLICATIONS = 48
FIRST_NAMES = [
    "Олена", "Андрій", "Марія", "Тарас", "Ірина", "Богдан", "Софія", "Максим", "Оксана",
    "Дмитро", "Юлія", "Назар", "Катерина", "Остап", "Валентина", "Микола",
]  # fmt: skip
LAST_NAMES = [
    "Коваль", "Мельник", "Шевчук", "Бондар", "Ткачук", "Кравчук", "Лисенко", "Савчук",
    "Гнатюк", "Олійник", "Пасічник", "Романюк", "Мазур", "Поліщук",
]  # fmt: skip
OPPORTUNITIES = [
    ("Допомога на Тижні дитячого читання", Interest.EVENTS, "Читальна зала"),
    ("Ремонт підручників і старих книг", Interest.BOOK_REPAIR, "Палітурна майстерня"),
    ("Ведучі літніх читань у парку", Interest.SUMMER_READING, "Центральний парк"),
    ("Допомога з домашніми завданнями (1–4 класи)", Interest.HOMEWORK, "Дитячий абонемент"),
    ("Заняття «Смартфон без страху» для людей поважного віку", Interest.SENIOR_COMPUTING,
     "Компʼютерний клас"),
    ("Оцифрування краєзнавчих світлин", Interest.VIRTUAL, "Онлайн"),
    ("Оформлення виставки нових надходжень", Interest.EXHIBITIONS, "Хол бібліотеки"),
    ("Настільні ігри в клубі вихідного дня", Interest.CLUBS, "Молодіжний простір"),
]  # fmt: skip
# What a real notice says: what the volunteer will do and what to bring.
DESCRIPTIONS = {
    Interest.EVENTS: "Зустріти гостей, допомогти з іграми для малечі й прибрати після свята.",
    Interest.BOOK_REPAIR: "Підклеїти обкладинки й корінці; клей і пензлі даємо, навчимо.",
    Interest.SUMMER_READING: "Читати вголос дітям 6–9 років і провести просту гру.",
    Interest.HOMEWORK: "Допомогти молодшим школярам з читанням і математикою.",
    Interest.SENIOR_COMPUTING: "Показати, як користуватися месенджерами й Дією; терпіння "
    "важливіше за знання.",
    Interest.VIRTUAL: "Сканувати й підписувати старі фото з фонду; можна з дому.",
    Interest.EXHIBITIONS: "Розкласти книги, підписати полиці, сфотографувати виставку.",
    Interest.CLUBS: "Пояснити правила настільних ігор і стежити за часом.",
}
WISHES = [
    "Історичні романи великим шрифтом",
    "Детективи, журнали про садівництво",
    "Поезія Лесі Українки, щось про Волинь",
    "Аудіокниги на дисках",
]
WEIGHTS = {"new": 4, "contacted": 3, "active": 8, "inactive": 2, "declined": 1}


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    if Application.objects.filter(is_demo=True).exists():
        if stdout:
            stdout.write("volunteers: demo data already there, none added")
        return 0
    branches = list(Branch.objects.public().order_by("pk"))
    if not branches:
        raise RuntimeError("No libraries: run the migrations before seed_demo.")
    target = int((counts or {}).get("volunteers", DEFAULT_APPLICATIONS))
    with transaction.atomic():
        made = _seed(rng, branches, target)
    if stdout:
        stdout.write(f"volunteers: {made} demo rows made")
    return made


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _seed(rng, branches, target):
    now = timezone.now()
    today = timezone.localdate()
    statuses = [status for status, weight in WEIGHTS.items() for _ in range(weight)]
    applications = []
    for index in range(target):
        applied_on = today - timedelta(days=rng.randint(1, 700))
        age = rng.choice([15, 16, 17, 19, 22, 35, 48, 63, 70])
        minor = age < 18
        status = statuses[index % len(statuses)]
        applications.append(
            Application(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"volunteer{index + 1}@example.org",
                phone=f"+38050{rng.randint(100, 999)}{rng.randint(10, 99)}00",
                birth_year=applied_on.year - age,
                interests=rng.sample(list(Interest.values), k=rng.randint(1, 3)),
                availability=rng.choice(["Суботи", "Будні після 16:00", "Влітку щодня", ""]),
                branch=branches[index % len(branches)],
                guardian_name="Батьки демонстраційні" if minor else "",
                guardian_contact="+380 67 000 00 00" if minor else "",
                guardian_consent_at=_aware(applied_on) if minor else None,
                guardian_consent_how="Демонстраційна паперова згода" if minor else "",
                consent_at=_aware(applied_on),
                applied_on=applied_on,
                status=status,
                status_changed_at=_aware(applied_on + timedelta(days=7)),
                access_token=new_token()
                if status in (Application.Status.ACTIVE, Application.Status.INACTIVE)
                else None,
                is_demo=True,
            )
        )
    Application.objects.bulk_create(applications)
    # No status history: the audit log records what staff did, and no one did this.

    opportunities = []
    for index, (title, activity, place) in enumerate(OPPORTUNITIES * 2):
        ongoing = index % 3 == 0
        starts = None if ongoing else _aware(today + timedelta(days=1 + index), 11)
        opportunities.append(
            Opportunity(
                branch=branches[index % len(branches)],
                title=title,
                activity=activity,
                place=place,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3) if starts else None,
                places=rng.randint(2, 6),
                description=DESCRIPTIONS[activity],
                is_demo=True,
            )
        )
    Opportunity.objects.bulk_create(opportunities)

    active = [a for a in applications if a.status == Application.Status.ACTIVE]
    signups = []
    for opportunity in opportunities:
        chosen = rng.sample(active, k=min(len(active), rng.randint(0, opportunity.places)))
        signups += [SignUp(opportunity=opportunity, volunteer=v) for v in chosen]
        opportunity.taken = len(chosen)
    SignUp.objects.bulk_create(signups)
    Opportunity.objects.bulk_update(opportunities, ["taken"])

    worked = [
        a
        for a in applications
        if a.status in (Application.Status.ACTIVE, Application.Status.INACTIVE)
    ]
    hours = []
    for volunteer in worked:
        for _ in range(rng.randint(2, 8)):
            day = today - timedelta(days=rng.randint(1, 650))
            approved = rng.random() < 0.85
            hours.append(
                HoursEntry(
                    volunteer=volunteer,
                    branch=rng.choice([volunteer.branch, rng.choice(branches)]),
                    activity=rng.choice(volunteer.interests),
                    date=day,
                    hours=Decimal(rng.choice(["1", "1.5", "2", "3", "4"])),
                    approved_at=_aware(day + timedelta(days=1)) if approved else None,
                )
            )
    HoursEntry.objects.bulk_create(hours)

    deliveries = []
    delivery_states = ["new", "assigned", "delivered", "delivered", "cancelled"]
    for index in range(12):
        status = delivery_states[index % len(delivery_states)]
        created = now - timedelta(days=rng.randint(1, 400))
        deliveries.append(
            DeliveryRequest(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} (демо)",
                phone=f"+380332{rng.randint(10, 99)}{rng.randint(10, 99)}{rng.randint(10, 99)}",
                address=f"вул. Демонстраційна, {index + 1}",
                reason=rng.choice(DeliveryRequest.Reason.values),
                wishes=rng.choice(WISHES),
                branch=branches[index % len(branches)],
                volunteer=rng.choice(active) if status in ("assigned", "delivered") else None,
                status=status,
                status_changed_at=created + timedelta(days=3),
                delivered_at=created + timedelta(days=3) if status == "delivered" else None,
                consent_at=created,
                is_demo=True,
            )
        )
    DeliveryRequest.objects.bulk_create(deliveries)
    return len(applications) + len(opportunities) + len(signups) + len(hours) + len(deliveries)
