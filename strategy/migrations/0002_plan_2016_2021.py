"""The 2016–2021 plan with its 16 directions, and the metrics its directions are measured by.

The plan is read from strategy/data/strategy_2016_2021.json (structured from the plan's text,
see strategy/data/SOURCES.md). The metrics are written out here: their codes are stable (the
computed ones are the apps' stats.py codes, docs/stats.md), their names are ours.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "strategy_2016_2021.json"
PLAN_SLUG = "2016-2021"

# code, name, name_en, unit, unit_en, source, additive
METRICS = [
    (
        "accounts.readers",
        "Зареєстровано читачів за рік",
        "Readers registered in the year",
        "осіб",
        "people",
        "computed",
        True,
    ),
    (
        "accounts.readers_total",
        "Читачів на кінець року",
        "Readers at year end",
        "осіб",
        "people",
        "computed",
        True,
    ),
    (
        "catalog.acquisitions",
        "Надійшло примірників",
        "Copies acquired",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.acquisitions.budget",
        "Надійшло: бюджетна закупівля",
        "Acquired: bought from the budget",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.acquisitions.donation",
        "Надійшло: акції дарування",
        "Acquired: donation drives",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.acquisitions.author_gift",
        "Надійшло: дарунки авторів",
        "Acquired: authors' gifts",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.acquisitions.grant",
        "Надійшло: гранти",
        "Acquired: grants",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.acquisitions.sponsor",
        "Надійшло: спонсори",
        "Acquired: sponsors",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.acquisitions.exchange",
        "Надійшло: обмін",
        "Acquired: exchange",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.withdrawals",
        "Вибуло (списано) примірників",
        "Copies withdrawn",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.holdings",
        "Фонд на кінець року",
        "Holdings at year end",
        "прим.",
        "copies",
        "computed",
        True,
    ),
    (
        "catalog.records",
        "Записів в електронному каталозі",
        "Records in the online catalogue",
        "записів",
        "records",
        "computed",
        False,
    ),
    (
        "catalog.local_lore_records",
        "Краєзнавчих записів в електронному каталозі",
        "Local-lore records in the online catalogue",
        "записів",
        "records",
        "computed",
        False,
    ),
    (
        "catalog.zero_hit_searches",
        "Незадоволені запити (пошук без результатів)",
        "Unsatisfied requests (searches with no hits)",
        "запитів",
        "searches",
        "computed",
        False,
    ),
    (
        "catalog.purchase_suggestions",
        "Пропозиції читачів придбати",
        "Readers' purchase suggestions",
        "пропозицій",
        "suggestions",
        "computed",
        True,
    ),
    ("events.held", "Проведено заходів", "Events held", "заходів", "events", "computed", True),
    (
        "events.attendance",
        "Відвідувачів заходів",
        "Event attendance",
        "осіб",
        "people",
        "computed",
        True,
    ),
    (
        "events.registrations",
        "Реєстрацій на заходи",
        "Event registrations",
        "реєстрацій",
        "registrations",
        "computed",
        True,
    ),
    ("events.clubs", "Клубів за інтересами", "Clubs", "клубів", "clubs", "computed", True),
    (
        "events.club_meetings",
        "Засідань клубів",
        "Club meetings",
        "засідань",
        "meetings",
        "computed",
        True,
    ),
    (
        "events.school_lessons",
        "Занять шкіл при бібліотеках",
        "Library school lessons",
        "занять",
        "lessons",
        "computed",
        True,
    ),
    (
        "events.school_learners",
        "Слухачів шкіл",
        "Library school learners",
        "осіб",
        "people",
        "computed",
        True,
    ),
    ("events.partners", "Партнерів", "Partners", "партнерів", "partners", "computed", True),
    (
        "volunteers.applications",
        "Заявок волонтерів",
        "Volunteer applications",
        "заявок",
        "applications",
        "computed",
        True,
    ),
    (
        "volunteers.active",
        "Активних волонтерів",
        "Active volunteers",
        "осіб",
        "people",
        "computed",
        False,
    ),
    (
        "volunteers.hours",
        "Годин волонтерської роботи",
        "Volunteer hours",
        "год",
        "hours",
        "computed",
        True,
    ),
    (
        "volunteers.home_deliveries",
        "Доставок книг додому",
        "Home deliveries of books",
        "доставок",
        "deliveries",
        "computed",
        True,
    ),
    (
        "egov.requests",
        "Звернень по допомогу з е-послугами",
        "E-services help requests",
        "звернень",
        "requests",
        "computed",
        True,
    ),
    (
        "egov.walk_ins",
        "Звернень без попереднього запису",
        "Walk-in visitors",
        "звернень",
        "visits",
        "computed",
        True,
    ),
    (
        "egov.resolved",
        "Вирішених звернень",
        "Requests resolved",
        "звернень",
        "requests",
        "computed",
        True,
    ),
    (
        "egov.minutes",
        "Хвилин консультацій",
        "Consultation minutes",
        "хв",
        "minutes",
        "computed",
        True,
    ),
    (
        "egov.slot_bookings",
        "Записів на консультації",
        "Consultation bookings",
        "записів",
        "bookings",
        "computed",
        True,
    ),
    (
        "strategy.training_hours",
        "Години навчання працівників",
        "Staff training hours",
        "год",
        "hours",
        "computed",
        True,
    ),
    (
        "strategy.trained_staff",
        "Працівників пройшли навчання",
        "Staff trained",
        "осіб",
        "people",
        "computed",
        True,
    ),
    (
        "manual.visits",
        "Відвідування бібліотеки",
        "Library visits",
        "відвідувань",
        "visits",
        "manual",
        True,
    ),
    ("manual.loans", "Документовидача", "Loans", "прим.", "items", "manual", True),
    (
        "manual.funding.budget",
        "Фінансування з бюджету",
        "Budget funding",
        "грн",
        "UAH",
        "manual",
        True,
    ),
    (
        "manual.funding.sponsors",
        "Кошти спонсорів і меценатів",
        "Sponsors and patrons",
        "грн",
        "UAH",
        "manual",
        True,
    ),
    (
        "manual.funding.charity",
        "Благодійні внески",
        "Charitable donations",
        "грн",
        "UAH",
        "manual",
        True,
    ),
    (
        "manual.funding.paid_services",
        "Надходження від платних послуг",
        "Paid services income",
        "грн",
        "UAH",
        "manual",
        True,
    ),
    (
        "manual.grants.applied",
        "Подано грантових заявок",
        "Grant applications submitted",
        "заявок",
        "applications",
        "manual",
        True,
    ),
    ("manual.grants.won", "Виграно грантів", "Grants won", "грантів", "grants", "manual", True),
    (
        "manual.grants.amount",
        "Залучено коштів за грантами",
        "Grant funds raised",
        "грн",
        "UAH",
        "manual",
        True,
    ),
    (
        "manual.public_pcs",
        "Компʼютерів для читачів",
        "Public computers",
        "шт.",
        "units",
        "manual",
        True,
    ),
    (
        "manual.repairs",
        "Виконано ремонтів",
        "Repairs completed",
        "ремонтів",
        "repairs",
        "manual",
        True,
    ),
    (
        "manual.publications",
        "Рекламні матеріали та публікації",
        "Promotional materials and publications",
        "од.",
        "items",
        "manual",
        True,
    ),
    ("manual.zones", "Облаштовано зон", "Zones furnished", "зон", "zones", "manual", True),
    (
        "manual.study_trips",
        "Навчальні поїздки й екскурсії",
        "Study trips and tours",
        "поїздок",
        "trips",
        "manual",
        True,
    ),
    (
        "manual.innovative_services",
        "Інноваційні послуги",
        "Innovative services",
        "послуг",
        "services",
        "manual",
        True,
    ),
]

INDICATORS = {
    1: [
        "manual.funding.budget",
        "manual.funding.sponsors",
        "manual.funding.charity",
        "manual.funding.paid_services",
    ],
    2: ["manual.grants.applied", "manual.grants.won", "manual.grants.amount"],
    3: ["manual.public_pcs", "manual.repairs"],
    4: [
        "catalog.acquisitions",
        "catalog.acquisitions.budget",
        "catalog.acquisitions.donation",
        "catalog.acquisitions.author_gift",
        "catalog.withdrawals",
        "catalog.holdings",
    ],
    5: ["strategy.training_hours", "strategy.trained_staff"],
    6: ["catalog.zero_hit_searches", "catalog.purchase_suggestions", "manual.publications"],
    7: ["catalog.records"],
    8: ["manual.zones", "manual.visits"],
    9: [
        "events.partners",
        "volunteers.applications",
        "volunteers.active",
        "volunteers.hours",
        "volunteers.home_deliveries",
    ],
    10: ["manual.study_trips", "strategy.training_hours"],
    11: ["catalog.local_lore_records"],
    12: ["events.school_lessons", "events.school_learners"],
    13: ["manual.innovative_services", "events.held", "events.attendance"],
    14: ["events.registrations"],
    15: ["events.clubs", "events.club_meetings"],
    16: ["egov.requests", "egov.walk_ins", "egov.resolved", "egov.minutes", "egov.slot_bookings"],
}

SCOPES = {"not_stated": "coordinator_only"}

TITLES_EN = {
    1: "Library funding",
    2: "Grant work",
    3: "Modernization and repairs",
    4: "Acquisitions",
    5: "“Rebooting” the librarian's profession",
    6: "Promotion and information. Monitoring readers' requests",
    7: "Library online",
    8: "Zoning the library space",
    9: "Cooperation with NGOs, schools and volunteers",
    10: "International cooperation, best practice, library tourism",
    11: "Preserving local culture (local lore)",
    12: "Education. Schools at libraries",
    13: "Innovation. Family reading libraries",
    14: "Patriotic education of young people",
    15: "Interest clubs",
    16: "E-government",
}


def forwards(apps, schema_editor):
    Branch = apps.get_model("branches", "Branch")
    Plan = apps.get_model("strategy", "Plan")
    Direction = apps.get_model("strategy", "Direction")
    Metric = apps.get_model("strategy", "Metric")
    Indicator = apps.get_model("strategy", "Indicator")

    metrics = {}
    for code, name, name_en, unit, unit_en, source, additive in METRICS:
        metrics[code], _created = Metric.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "unit_en": unit_en,
                "source": source,
                "additive": additive,
            },
        )

    data = json.loads(DATA.read_text(encoding="utf-8"))
    branches = {branch.slug: branch for branch in Branch.objects.all()}
    plan_data = data["plan"]
    plan, _created = Plan.objects.update_or_create(
        slug=PLAN_SLUG,
        defaults={
            "title": plan_data["title"],
            "title_en": "Main lines of work of the Lutsk city library system, 2016–2021",
            "period_start": plan_data["period_start"],
            "period_end": plan_data["period_end"],
            "motto": plan_data["motto"],
            "basis": "\n".join(plan_data["basis"]),
            "source": plan_data["source"],
        },
    )
    for item in data["directions"]:
        direction, _created = Direction.objects.update_or_create(
            plan=plan,
            number=item["number"],
            defaults={
                "slug": item["slug"],
                "title": item["title"],
                "title_en": TITLES_EN.get(item["number"], ""),
                "motto": item.get("motto") or "",
                "period_start": item["period"][0],
                "period_end": item["period"][1],
                "scope": SCOPES.get(item["applies_to"], item["applies_to"]),
                "coordinator": branches.get(item["coordinator"]) if item["coordinator"] else None,
                "activities": "\n".join(item["activities"]),
                "measured_by": "\n".join(item["measured_by"]),
            },
        )
        participants = [
            branches[slug] for slug in item.get("family_reading_libraries", []) if slug in branches
        ]
        direction.participants.set(participants)
        for position, code in enumerate(INDICATORS.get(item["number"], [])):
            Indicator.objects.update_or_create(
                direction=direction, metric=metrics[code], defaults={"position": position}
            )


def backwards(apps, schema_editor):
    apps.get_model("strategy", "Plan").objects.filter(slug=PLAN_SLUG).delete()
    apps.get_model("strategy", "Metric").objects.filter(
        code__in=[row[0] for row in METRICS], indicators__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0001_plans_and_indicators"),
        ("branches", "0003_plan_libraries"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
