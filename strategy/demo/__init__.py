"""Demo milestones, yearly manual figures, targets and staff training for the 2016–2021 plan,
so that the dashboard has something to show on first run. Everything is marked as demo and
replaced on each run; figures a person entered (not demo) are never touched.

It first writes the plan years' history in the other apps (readers, stock, events, clubs: see
strategy/demo/history.py), so that the computed indicators have figures for 2016–2021 too;
the demo visits and loans are then sized from the readers registered each year.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from accounts.models import StaffProfile
from branches.models import Branch
from strategy.demo import history as demo_history
from strategy.models import (
    ExtraIncome,
    GrantApplication,
    Indicator,
    ManualValue,
    Metric,
    Milestone,
    Plan,
    StudyTrip,
    Target,
    TrainingPlan,
    TrainingRecord,
)
from strategy.sources import load

PLAN_SLUG = "2016-2021"

# Per user of the year (the demo history's readers on the books at its end): (low, high).
PER_READER = {
    "manual.visits": demo_history.VISITS_PER_READER,
    "manual.loans": demo_history.LOANS_PER_READER,
}
# One library's yearly figure in the first year: (low, high). Flows then grow some 5 % a year,
# with a year's ups and downs.
MANUAL_RANGES = {
    "manual.funding.budget": (300_000, 1_200_000),
    "manual.funding.sponsors": (2_000, 40_000),
    "manual.funding.charity": (1_000, 15_000),
    "manual.funding.paid_services": (2_000, 20_000),
    "manual.publications": (4, 40),
    "manual.study_trips": (0, 3),
    "manual.innovative_services": (0, 4),
}
# What a library has (computers, zones) only grows, by (low, high) a year.
MANUAL_STOCK = {
    "manual.public_pcs": ((2, 12), (0, 2)),
    "manual.zones": ((1, 5), (0, 1)),
}
# Readers a year when the demo history is not there, to size the visits and loans by.
TYPICAL_READERS = 70
GRANTS = ("manual.grants.applied", "manual.grants.won", "manual.grants.amount")
MANUAL_CODES = [*MANUAL_RANGES, *MANUAL_STOCK, *GRANTS, "manual.repairs", *PER_READER]
# A handful of repairs a year is no figure to set a growing target for.
WITHOUT_TARGETS = {"manual.repairs"}


def _manual_series(rng, code, years, readers_of):
    """{year: value} of one library's hand-entered figure, shaped as such a figure moves."""
    if code in PER_READER:
        low, high = PER_READER[code]
        return {year: int(readers_of[year] * rng.uniform(low, high)) for year in years}
    if code in MANUAL_STOCK:
        (low, high), (step_low, step_high) = MANUAL_STOCK[code]
        value, series = rng.randint(low, high), {}
        for year in years:
            series[year] = value
            value += rng.randint(step_low, step_high)
        return series
    if code == "manual.repairs":
        return {year: int(rng.random() < 0.3) for year in years}
    base = rng.randint(*MANUAL_RANGES[code])
    return {
        year: int(base * (1 + 0.05 * step) * rng.uniform(0.9, 1.1))
        for step, year in enumerate(years)
    }


def _grants(rng, years):
    """Applied, won (never more than applied) and the amount the won grants brought."""
    series = {code: {} for code in GRANTS}
    for year in years:
        applied = rng.randint(0, 4)
        won = rng.randint(0, applied)
        series["manual.grants.applied"][year] = applied
        series["manual.grants.won"][year] = won
        series["manual.grants.amount"][year] = sum(rng.randint(15, 60) * 1000 for _ in range(won))
    return series


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
    TrainingPlan.objects.filter(is_demo=True).delete()
    StudyTrip.objects.filter(is_demo=True).delete()
    GrantApplication.objects.filter(is_demo=True).delete()
    ExtraIncome.objects.filter(is_demo=True).delete()

    if (counts or {}).get("records") == 0:
        # `seed_demo --records 0`, the light demo the browser tests load before each test: the
        # history's thousands of rows would cost them seconds each.
        history, readers = 0, {}
    else:
        history, readers = demo_history.seed(libraries=libraries, years=years)
    created = history + _milestones(plan, libraries, rng)

    metrics = list(Metric.objects.filter(code__in=MANUAL_CODES).order_by("code"))
    values = []
    for library in libraries:
        on_books = demo_history.on_the_books(readers, library.pk, years)
        readers_of = {year: on_books[year] or TYPICAL_READERS for year in years}
        series = _grants(rng, years)
        for metric in metrics:
            if metric.code not in series:
                series[metric.code] = _manual_series(rng, metric.code, years, readers_of)
            values += [
                ManualValue(
                    metric=metric,
                    branch=library,
                    year=year,
                    value=Decimal(value),
                    note="Демо-дані",
                    is_demo=True,
                )
                for year, value in series[metric.code].items()
            ]
    created += len(ManualValue.objects.bulk_create(values, ignore_conflicts=True))
    created += _form_figures(values)
    created += _registers(values)
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
    created += _staff_development(libraries, years)
    created += _open_grants(libraries)
    if stdout is not None:
        stdout.write(f"strategy: {created} demo rows (milestones, values, targets, training)")
    return created


STUDY_TRIPS = [
    (
        "Львівська обласна бібліотека для дітей",
        "Досвід облаштування простору для підлітків",
        "Побачили зону коворкінгу для підлітків і «тиху кімнату»; запровадимо настільні ігри.",
    ),
    (
        "Публічна бібліотека м. Любліна (Польща)",
        "Міжнародна співпраця, бібліотечні послуги для родин",
        "Перейняли формат суботніх сімейних читань і книжкову шафу буккросингу.",
    ),
    (
        "Рівненська центральна міська бібліотека",
        "Центр надання е-послуг у бібліотеці",
        "Розглянули облаштування місця для консультацій з «Дії»; готуємо графік консультацій.",
    ),
    (
        "Національна бібліотека України для дітей, Київ",
        "Інноваційні послуги для дітей",
        "Ознайомилися з медіатекою і студією подкастів; плануємо гурток для школярів.",
    ),
]


def _staff_development(libraries, years):
    """The yearly training plan of each library (what it meant to do, a little above or below
    what the demo's records show), a plan per staff member of the library for this year, the
    current year's records linked to them, and a study trip or two a year in the network."""
    rng = random.Random(10)
    done = {}
    for record in TrainingRecord.objects.filter(is_demo=True).only("branch", "date", "hours"):
        key = (record.branch_id, record.date.year)
        done[key] = done.get(key, 0) + record.hours
    plans = [
        TrainingPlan(
            branch=library,
            year=year,
            hours=Decimal(round(float(done.get((library.pk, year), 0)) * rng.uniform(0.8, 1.3))),
            courses=2,
            topics="ІТ-навички, робота з дітьми, е-послуги",
            is_demo=True,
        )
        for library in libraries
        for year in years
    ]
    this_year = date.today().year
    staff = StaffProfile.objects.filter(branch__in=libraries).select_related("user")
    for profile in staff:
        plans.append(
            TrainingPlan(
                branch_id=profile.branch_id,
                year=this_year,
                staff=profile.user,
                hours=Decimal(rng.choice([12, 16, 24])),
                courses=rng.randint(1, 3),
                topics="Соціальні мережі для бібліотек",
                is_demo=True,
            )
        )
        TrainingRecord.objects.create(
            staff=profile.user,
            person=profile.user.get_full_name() or profile.user.get_username(),
            branch_id=profile.branch_id,
            kind=TrainingRecord.Kind.WEBINAR,
            course="Соціальні мережі для бібліотек",
            provider="УБА",
            hours=Decimal(rng.choice([2, 4, 6])),
            date=date(this_year, 1, rng.randint(10, 28)),
            is_demo=True,
        )
    TrainingPlan.objects.bulk_create(plans, ignore_conflicts=True)
    trips = []
    for year in years:
        for destination, purpose, report in rng.sample(STUDY_TRIPS, rng.randint(1, 2)):
            trips.append(
                StudyTrip(
                    branch=rng.choice(libraries),
                    date=date(year, rng.randint(3, 11), rng.randint(1, 28)),
                    destination=destination,
                    purpose=purpose,
                    other_participants=", ".join(rng.sample(PEOPLE, 2)),
                    participant_count=rng.randint(2, 4),
                    report=report,
                    is_demo=True,
                )
            )
    StudyTrip.objects.bulk_create(trips)
    return len(plans) + len(staff) + len(trips)


def _open_grants(libraries):
    """Two applications under way today, so that the register shows its deadlines: one being
    prepared (deadline in five days) and one supported whose report is due in three weeks.
    Their responsible staff member is the library's, when the demo accounts exist."""
    if not libraries:
        return 0
    today = date.today()
    library = libraries[0]
    responsible = (
        StaffProfile.objects.filter(branch=library).select_related("user").order_by("pk").first()
    )
    user = responsible.user if responsible else None
    GrantApplication.objects.bulk_create(
        [
            GrantApplication(
                title="Медіацентр для підлітків",
                funder="Український культурний фонд",
                branch=library,
                author="Олена К.",
                responsible=user,
                status=GrantApplication.Status.PREPARING,
                deadline=today + timedelta(days=5),
                amount_requested=Decimal(350_000),
                is_demo=True,
            ),
            GrantApplication(
                title="Книжкові вихідні в парку",
                funder="Міська цільова програма «Луцьк читає»",
                branch=library,
                author="Марія П.",
                responsible=user,
                status=GrantApplication.Status.WON,
                deadline=today - timedelta(days=120),
                submitted_on=today - timedelta(days=121),
                decided_on=today - timedelta(days=60),
                amount_requested=Decimal(60_000),
                amount_won=Decimal(48_000),
                report_due=today + timedelta(days=21),
                is_demo=True,
            ),
        ]
    )
    return 2


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


def _milestone_library(title, direction, libraries, rng):
    """Who answers for a milestone: the library its title names, the whole network for «…у
    кожній філії» and the city-level ones, else the direction's coordinator or any library."""
    lowered = title.lower()
    if "центральній бібліотеці" in lowered:
        return next((lib for lib in libraries if lib.slug == "central"), None)
    if "кожн" in lowered or "міською радою" in lowered or "цбс" in lowered:
        return None
    if direction.coordinator_id and rng.random() < 0.5:
        return next((lib for lib in libraries if lib.pk == direction.coordinator_id), None)
    return None if rng.random() < 0.3 else rng.choice(libraries)


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
            branch = _milestone_library(title, direction, libraries, rng)
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
    return len(rows)


def _targets(plan, years, rng):
    """Network targets for the manual indicators: the first year's demo sum, growing 5 % a year,
    rounded as a planner would write them (see round_target)."""
    indicators = (
        Indicator.objects.filter(direction__plan=plan, metric__code__in=MANUAL_CODES)
        .exclude(metric__code__in=WITHOUT_TARGETS)
        .select_related("metric")
    )
    sums = {}
    for metric_id, value in ManualValue.objects.filter(is_demo=True, year=years[0]).values_list(
        "metric", "value"
    ):
        sums[metric_id] = sums.get(metric_id, 0) + value
    computed = _computed_first_year(plan, years)
    targets = [
        Target(
            indicator=indicator,
            year=year,
            branch=None,
            value=round_target(first * Decimal(1 + COMPUTED_GROWTH * (year - years[0]))),
            is_demo=True,
        )
        for indicator, first in computed
        for year in years
    ]
    targets += [
        Target(
            indicator=indicator,
            year=year,
            branch=None,
            value=round_target(
                sums.get(indicator.metric_id, 0) * Decimal(1 + 0.05 * (year - years[0]))
            ),
            is_demo=True,
        )
        for indicator in indicators
        for year in years
    ]
    return len(Target.objects.bulk_create(targets, ignore_conflicts=True))


# Computed indicators the demo sets network targets for: flows a plan would aim to grow.
COMPUTED_TARGETS = (
    "catalog.acquisitions",
    "catalog.holdings",
    "events.held",
    "events.attendance",
    "events.club_meetings",
    "events.school_lessons",
    "egov.walk_ins",
)
COMPUTED_GROWTH = 0.04


def _computed_first_year(plan, years):
    """[(indicator, network value in the plan's first year)] of COMPUTED_TARGETS, read from the
    live data (the demo history) as the plan's authors would have started from."""
    indicators = list(
        Indicator.objects.filter(
            direction__plan=plan, metric__code__in=COMPUTED_TARGETS
        ).select_related("metric")
    )
    series = load([i.metric for i in indicators], years=[years[0]])
    return [
        (indicator, Decimal(series[indicator.metric_id].network(years[0]) or 0))
        for indicator in indicators
        if series[indicator.metric_id].network(years[0])
    ]


def round_target(value):
    """Rounded as a planner writes a target: whole numbers below a hundred, two significant
    digits below ten thousand (9 293 → 9 300), three above (5 412 286 → 5 410 000)."""
    value = Decimal(value)
    if value < 100:
        return value.quantize(Decimal(1))
    exponent = value.adjusted() - (1 if value < 10_000 else 2)
    return value.scaleb(-exponent).quantize(Decimal(1)).scaleb(exponent).quantize(Decimal(1))


GRANT_IDEAS = [
    ("Бібліотека — простір громади", "Український культурний фонд"),
    ("Медіатека для підлітків", "Посольство Канади в Україні"),
    ("Краєзнавча спадщина Луцька онлайн", "Програма «Культура в громадах»"),
    ("Читаємо разом: сімейні вихідні", "Міська цільова програма «Луцьк читає»"),
    ("Інклюзивна бібліотека", "Фонд «Відродження»"),
]
INCOME_SOURCES = {
    "sponsors": ["ТОВ «Волинь-Книга»", "Луцький машинобудівний завод", "Меценати міста"],
    "charity": ["Благодійний фонд «Волинь»", "Скринька пожертв у бібліотеці"],
    "paid_services": ["Ксерокопіювання й друк", "Ламінування", "Курси англійської"],
}


def _registers(values):
    """The grant applications and the income outside the budget behind the demo's figures of
    directions 1 and 2, so that the registers and the yearly figures tell one story. A
    generator of its own: the rest of the demo comes out as before."""
    rng = random.Random(8)
    known = {(v.metric.code, v.branch_id, v.year): int(v.value) for v in values}
    pairs = sorted({(v.branch_id, v.year) for v in values})
    grants, income = [], []
    for library_id, year in pairs:
        applied = known.get(("manual.grants.applied", library_id, year), 0)
        won = known.get(("manual.grants.won", library_id, year), 0)
        amount = known.get(("manual.grants.amount", library_id, year), 0)
        for number in range(applied):
            title, funder = GRANT_IDEAS[(library_id + year + number) % len(GRANT_IDEAS)]
            submitted = date(year, rng.randint(2, 10), rng.randint(1, 28))
            supported = number < won
            grants.append(
                GrantApplication(
                    title=title,
                    funder=funder,
                    branch_id=library_id,
                    author=rng.choice(PEOPLE),
                    status=(
                        GrantApplication.Status.REPORTED
                        if supported
                        else GrantApplication.Status.REJECTED
                    ),
                    deadline=submitted + timedelta(days=rng.randint(1, 10)),
                    submitted_on=submitted,
                    # Decided within the year, so the figure of the year stays the year's.
                    decided_on=min(submitted + timedelta(days=60), date(year, 12, 20)),
                    amount_requested=Decimal(rng.randint(20, 80) * 1000),
                    amount_won=(
                        Decimal(amount // won + (amount % won if number == 0 else 0))
                        if supported
                        else None
                    ),
                    report_due=date(year + 1, 3, 1) if supported else None,
                    is_demo=True,
                )
            )
        for kind, sources in INCOME_SOURCES.items():
            total = known.get((f"manual.funding.{kind}", library_id, year), 0)
            if total <= 0:
                continue
            parts = rng.randint(1, 3)
            for part in range(parts):
                share = total // parts + (total % parts if part == 0 else 0)
                if share > 0:
                    income.append(
                        ExtraIncome(
                            branch_id=library_id,
                            kind=kind,
                            date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                            amount=Decimal(share),
                            source=rng.choice(sources),
                            is_demo=True,
                        )
                    )
    GrantApplication.objects.bulk_create(grants)
    ExtraIncome.objects.bulk_create(income)
    return len(grants) + len(income)


def _form_figures(values):
    """The 6-НК rows only the libraries know (premises, computers, enquiries, ILL, staff,
    finances), made to agree with the demo's own figures: computers for users and funding come
    from `values`, every «з них» stays within its whole. A generator of its own, so that the
    rest of the demo comes out as before."""
    rng = random.Random(6)
    metrics = {metric.code: metric for metric in Metric.objects.filter(code__startswith="nk.")}
    known = {(v.metric.code, v.branch_id, v.year): int(v.value) for v in values}
    rows = []
    for library_id, year in sorted({(v.branch_id, v.year) for v in values}):

        def of(code, library_id=library_id, year=year):
            return known.get((code, library_id, year), 0)

        public_pcs = of("manual.public_pcs")
        area = rng.randint(120, 600)
        staff = rng.randint(3, 9)
        librarians = staff - rng.randint(1, 2)
        short = rng.randint(0, librarians // 3)
        long = rng.randint(0, librarians - short)
        young = rng.randint(0, librarians // 3)
        income = sum(
            of(f"manual.funding.{source}")
            for source in ("budget", "sponsors", "charity", "paid_services")
        )
        spent = int(income * rng.uniform(0.93, 1.0))
        loans = of("manual.loans")
        figures = {
            "nk.area": area,
            "nk.area_service": int(area * rng.uniform(0.6, 0.85)),
            "nk.needs_repair": int(rng.random() < 0.25),
            "nk.seats": rng.randint(12, 60),
            "nk.pcs": public_pcs + rng.randint(1, 3),
            "nk.pcs_internet": public_pcs,
            "nk.copiers": rng.randint(1, 3),
            "nk.website": 1,
            "nk.ecatalogue": 1,
            "nk.enquiries": int(loans * rng.uniform(0.03, 0.08)),
            "nk.ill_received": rng.randint(0, 25),
            "nk.ill_sent": rng.randint(0, 10),
            "nk.staff_total": staff,
            "nk.staff_librarians": librarians,
            "nk.staff_higher_ed": rng.randint(librarians // 2, librarians),
            "nk.staff_exp_lt3": short,
            "nk.staff_exp_gt10": long,
            "nk.staff_exp_3_10": librarians - short - long,
            "nk.staff_age_lt35": young,
            "nk.staff_age_55": rng.randint(0, librarians - young),
            "nk.income_total": income,
            "nk.expenses_total": spent,
            "nk.exp_salaries": int(spent * rng.uniform(0.7, 0.8)),
            "nk.exp_acquisition": int(spent * rng.uniform(0.05, 0.1)),
            "nk.exp_subscription": int(spent * rng.uniform(0.01, 0.03)),
            "nk.exp_computers": int(spent * rng.uniform(0.01, 0.03)),
        }
        rows += [
            ManualValue(
                metric=metrics[code],
                branch_id=library_id,
                year=year,
                value=Decimal(value),
                note="Демо-дані",
                is_demo=True,
            )
            for code, value in figures.items()
            if code in metrics
        ]
    return len(ManualValue.objects.bulk_create(rows, ignore_conflicts=True))
