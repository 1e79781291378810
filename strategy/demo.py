"""Demo milestones, yearly manual figures, targets and staff training for the 2016–2021 plan,
so that the dashboard has something to show on first run. Everything is marked as demo and
replaced on each run; figures a person entered (not demo) are never touched."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from branches.models import Branch
from strategy.models import (
    Indicator,
    ManualValue,
    Metric,
    Milestone,
    MilestoneChange,
    Plan,
    Target,
    TrainingRecord,
)

PLAN_SLUG = "2016-2021"

# Rough yearly size of one library's figure: (low, high).
MANUAL_RANGES = {
    "manual.visits": (18_000, 60_000),
    "manual.loans": (40_000, 140_000),
    "manual.funding.budget": (300_000, 1_200_000),
    "manual.funding.sponsors": (0, 40_000),
    "manual.funding.charity": (0, 15_000),
    "manual.funding.paid_services": (0, 20_000),
    "manual.grants.applied": (0, 4),
    "manual.grants.won": (0, 2),
    "manual.grants.amount": (0, 80_000),
    "manual.public_pcs": (2, 12),
    "manual.repairs": (0, 1),
    "manual.publications": (4, 40),
    "manual.zones": (1, 5),
    "manual.study_trips": (0, 3),
    "manual.innovative_services": (0, 4),
}

MILESTONES = {
    1: ["Погодити з міською радою програму фінансування ЦБС", "Звіт про позабюджетні надходження"],
    2: ["Подати проєкт на конкурс УКФ", "Провести навчання з написання грантових заявок"],
    3: ["Оновити компʼютери для читачів", "Ремонт читальної зали"],
    4: ["Акція «Подаруй книгу бібліотеці»", "Створити медіатеку в Центральній бібліотеці"],
    5: ["Курс ІТ-навичок для бібліотекарів", "Тренінг з PR і дизайну"],
    6: ["Опитування читачів про їхні запити", "Сторінки філій у соціальних мережах"],
    7: ["Перенести карткові каталоги в електронний каталог", "Каталог онлайн-ресурсів на сайті"],
    8: ["Облаштувати зону коворкінгу", "Дитячий куточок у кожній філії"],
    9: ["Угоди про співпрацю з навчальними закладами", "Залучити волонтерів до літнього читання"],
    10: ["Навчальна поїздка до бібліотек Польщі", "Бібліотека в туристичному маршруті міста"],
    11: ["Оцифрувати краєзнавчі видання", "Краєзнавчий бібліографічний покажчик"],
    12: [
        "Відкрити школу компʼютерної грамотності для людей поважного віку",
        "Школа англійської мови",
    ],
    13: ["Сімейні читання вихідного дня", "Нова інноваційна послуга в кожній бібліотеці"],
    14: ["Зустрічі з письменниками-земляками", "Цикл заходів до Дня захисників"],
    15: ["Клуб настільних ігор", "Клуб любителів поезії"],
    16: ["Пункт доступу до е-послуг у кожній філії", "Вебінари з порталу «Дія»"],
}

TRAINING = [
    ("course", "ІТ-навички для бібліотекарів", "Програма «Бібліоміст»", 24),
    ("webinar", "Соціальні мережі для бібліотек", "УБА", 2),
    ("seminar", "Сучасне обслуговування дітей", "Центральна дитяча бібліотека", 6),
    ("conference", "Бібліотечний форум", "ВДОУНБ ім. Олени Пчілки", 8),
    ("webinar", "Електронне урядування: допомога громадянам", "Партнерство «Відкритий уряд»", 3),
]
PEOPLE = ["Олена К.", "Марія П.", "Ірина С.", "Наталія Д.", "Оксана В.", "Тетяна Л."]


@transaction.atomic
def seed(*, rng, counts=None, stdout=None) -> int:
    plan = Plan.objects.filter(slug=PLAN_SLUG).first()
    if plan is None:
        return 0
    libraries = list(Branch.objects.filter(slug__in=_plan_libraries()).order_by("sort_order"))
    years = plan.years

    # Demo rows are replaced as a whole, so a second run gives the same result.
    Milestone.objects.filter(is_demo=True, direction__plan=plan).delete()
    ManualValue.objects.filter(is_demo=True).delete()
    Target.objects.filter(is_demo=True, indicator__direction__plan=plan).delete()
    TrainingRecord.objects.filter(is_demo=True).delete()

    created = _milestones(plan, libraries, rng)
    values = [
        ManualValue(
            metric=metric,
            branch=library,
            year=year,
            value=Decimal(_grow(rng, *MANUAL_RANGES[metric.code], year - years[0])),
            note="Демо-дані",
            is_demo=True,
        )
        for metric in Metric.objects.filter(code__in=MANUAL_RANGES)
        for library in libraries
        for year in years
    ]
    created += len(ManualValue.objects.bulk_create(values, ignore_conflicts=True))
    created += _targets(plan, years, rng)
    training = [
        TrainingRecord(
            person=rng.choice(PEOPLE),
            branch=library,
            kind=kind,
            course=course,
            provider=provider,
            hours=Decimal(hours),
            date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            certificate=rng.random() < 0.6,
            is_demo=True,
        )
        for library in libraries
        for year in years
        for kind, course, provider, hours in rng.sample(TRAINING, 2)
    ]
    created += len(TrainingRecord.objects.bulk_create(training))
    if stdout is not None:
        stdout.write(f"strategy: {created} demo rows (milestones, values, targets, training)")
    return created


def _plan_libraries():
    return [
        "central",
        "central-children",
        "branch-5",
        "branch-7",
        "branch-10",
        "branch-11",
        "children-2",
        "children-3",
    ]


def _grow(rng, low, high, step):
    """A figure that tends to grow over the plan's years, as the plan hopes."""
    base = rng.randint(low, high)
    return int(base * (1 + 0.05 * step))


def _milestones(plan, libraries, rng):
    directions = list(plan.directions.all())
    rows = []
    for direction in directions:
        for title in MILESTONES.get(direction.number, []):
            due = date(
                rng.randint(direction.period_start, direction.period_end),
                rng.choice([3, 6, 9, 12]),
                28,
            )
            roll = rng.random()
            if roll < 0.7:
                status, completed = Milestone.Status.DONE, due
            elif roll < 0.8:
                status, completed = Milestone.Status.DROPPED, None
            else:
                # Left open past its date: shows as overdue.
                status, completed = Milestone.Status.IN_PROGRESS, None
            branch = None if rng.random() < 0.4 else rng.choice(libraries)
            rows.append(
                Milestone(
                    direction=direction,
                    title=title,
                    due_date=due,
                    branch=branch,
                    status=status,
                    completed_on=completed,
                    is_demo=True,
                )
            )
    Milestone.objects.bulk_create(rows)
    MilestoneChange.objects.bulk_create(
        MilestoneChange(milestone=m, field="created", new_value=str(m.get_status_display()))
        for m in rows
    )
    return len(rows)


def _targets(plan, years, rng):
    """Network targets for the manual indicators: the first year's demo sum, growing 5 % a year."""
    indicators = Indicator.objects.filter(
        direction__plan=plan, metric__code__in=MANUAL_RANGES
    ).select_related("metric")
    sums = {}
    for metric_id, value in ManualValue.objects.filter(is_demo=True, year=years[0]).values_list(
        "metric", "value"
    ):
        sums[metric_id] = sums.get(metric_id, 0) + value
    targets = [
        Target(
            indicator=indicator,
            year=year,
            branch=None,
            value=(
                sums.get(indicator.metric_id, 0) * Decimal(1 + 0.05 * (year - years[0]))
            ).quantize(Decimal(1)),
            is_demo=True,
        )
        for indicator in indicators
        for year in years
    ]
    return len(Target.objects.bulk_create(targets, ignore_conflicts=True))
