"""Demo contacts, hours and closures for the plan's libraries, all marked as demo.

The plan names the libraries but not their addresses or hours; these are plausible values
for a reader to try the portal with, never presented as real (`contacts_are_demo`).
"""

import calendar
import random
from datetime import date, time, timedelta
from decimal import Decimal

import translitua
from django.db.models import Q
from django.utils import timezone

from branches import demo_tourism
from branches.models import (
    Branch,
    Closure,
    OpeningHours,
    PaidService,
    Service,
    Specialization,
    Zone,
)
from core.phones import phone_normalize

DEMO = {
    # slug: street address, postal code, lat, lng, phone, services, specializations, zones
    "central": (
        "просп. Волі, 10 (демо)",
        "43000",
        "50.747800",
        "25.327700",
        "+380 332 00-00-01",
        ["internet", "wifi", "egov-point", "cinema", "cafe", "language-school", "copying"],
        ["youth", "language-culture", "legal-economic", "clubs", "lecture-halls", "consulting"],
        [("reading_room", 40), ("quiet", 12), ("coworking", 16), ("cinema", 30), ("cafe", 20)],
    ),
    "central-children": (
        "вул. Лесі Українки, 20 (демо)",
        "43000",
        "50.739900",
        "25.323400",
        "+380 332 00-00-02",
        ["internet", "wifi", "homework-help", "cinema"],
        ["children", "family", "clubs", "studios", "museums"],
        [("children", 30), ("loud", 20), ("reading_room", 24)],
    ),
    "branch-5": (
        "вул. Ковельська, 50 (демо)",
        "43010",
        "50.757400",
        "25.312100",
        "+380 332 00-00-05",
        ["internet", "wifi", "egov-point", "computer-courses"],
        ["computer-library", "consulting"],
        [("reading_room", 16), ("coworking", 6)],
    ),
    "branch-7": (
        "вул. Львівська, 70 (демо)",
        "43016",
        "50.728100",
        "25.301900",
        "+380 332 00-00-07",
        ["internet", "wifi", "home-delivery", "legal-consulting"],
        ["special-needs", "legal-economic", "clubs"],
        [("reading_room", 12), ("quiet", 6)],
    ),
    "branch-10": (
        "просп. Соборності, 10 (демо)",
        "43025",
        "50.750600",
        "25.357500",
        "+380 332 00-00-10",
        ["internet", "wifi", "egov-point", "language-school"],
        ["youth", "language-culture", "clubs"],
        [("loud", 15), ("quiet", 10)],
    ),
    "branch-11": (
        "вул. Рівненська, 110 (демо)",
        "43017",
        "50.742300",
        "25.380700",
        "+380 332 00-00-11",
        ["internet", "wifi", "copying"],
        ["family", "lecture-halls"],
        [("reading_room", 14), ("exhibition", None)],
    ),
    "children-2": (
        "вул. Кравчука, 2 (демо)",
        "43023",
        "50.762000",
        "25.364000",
        "+380 332 00-00-22",
        ["internet", "wifi", "homework-help"],
        ["children", "family", "studios"],
        [("children", 20), ("loud", 10)],
    ),
    "children-3": (
        "вул. Гордіюк, 3 (демо)",
        "43020",
        "50.733800",
        "25.341200",
        "+380 332 00-00-33",
        ["internet", "homework-help"],
        ["children", "clubs"],
        [("children", 18)],
    ),
}

# The central library works longer; children's libraries have a lunch break and rest on Mon.
HOURS = {
    "central": {d: (time(9), time(19), None) for d in range(5)} | {5: (time(10), time(17), None)},
    "central-children": {d: (time(9), time(18), (time(13), time(14))) for d in range(1, 6)},
    "children-2": {d: (time(10), time(18), (time(13), time(14))) for d in range(1, 6)},
    "children-3": {d: (time(10), time(18), (time(13), time(14))) for d in range(1, 6)},
}
DEFAULT_HOURS = {d: (time(10), time(18), None) for d in range(5)} | {6: (time(10), time(16), None)}


def english_address(address):
    """«вул. Ковельська, 50 (демо)» → "50 Kovelska St. (demo)", as the city's signs spell it."""
    street, _, rest = address.partition(",")
    number = rest.replace("(демо)", "").strip()
    for prefix, english in (("вул. ", "St."), ("просп. ", "Ave.")):
        if street.startswith(prefix):
            name = translitua.translit(street.removeprefix(prefix))
            return f"{number} {name} {english} (demo)"
    return f"{translitua.translit(address)}"


def last_friday(year, month):
    last_day = calendar.monthrange(year, month)[1]
    day = date(year, month, last_day)
    return day - timedelta(days=(day.weekday() - 4) % 7)


ENGLISH_DESCRIBED = {"central", "central-children"}


# The usual paid services of a city library: (name, name_en, price, unit, unit_en).
PAID_SERVICES = [
    ("Ксерокопіювання (А4)", "Photocopying (A4)", "2.00", "за сторінку", "per page"),
    ("Друк з компʼютера (А4)", "Printing (A4)", "3.00", "за сторінку", "per page"),
    ("Сканування", "Scanning", "2.00", "за сторінку", "per page"),
    ("Ламінування (А4)", "Laminating (A4)", "15.00", "за аркуш", "per sheet"),
    ("Набір тексту", "Typing a text", "10.00", "за сторінку", "per page"),
    ("Курси англійської мови", "English course", "400.00", "за місяць", "per month"),
]


def seed_paid_services(rng):
    """A price list for each demo library (a few services each); demo rows are replaced."""
    PaidService.objects.filter(is_demo=True).delete()
    rows = []
    for branch in Branch.objects.filter(slug__in=DEMO).order_by("sort_order"):
        chosen = [PAID_SERVICES[0], *rng.sample(PAID_SERVICES[1:6], rng.randint(1, 3))]
        for position, (name, name_en, price, unit, unit_en) in enumerate(chosen):
            rows.append(
                PaidService(
                    branch=branch,
                    name=name,
                    name_en=name_en,
                    price=Decimal(price),
                    unit=unit,
                    unit_en=unit_en,
                    position=position,
                    is_demo=True,
                )
            )
    return len(PaidService.objects.bulk_create(rows, ignore_conflicts=True))


def seed(*, rng, counts=None, stdout=None):
    """Fill in demo contacts, hours, zones, closures and price lists; safe to run again."""
    # A stream of its own, so that the rest of the demo stays what it was.
    seed_paid_services(random.Random("paid-services"))
    services = {service.slug: service for service in Service.objects.all()}
    specializations = {item.slug: item for item in Specialization.objects.all()}
    today = timezone.localdate()
    touched = 0
    for day, reason in network_holidays(today):
        Closure.objects.get_or_create(
            branch=None,
            kind=Closure.Kind.HOLIDAY,
            start_date=day,
            end_date=day,
            defaults={"reason": reason},
        )
    for branch in Branch.objects.filter(slug__in=DEMO):
        address, postal, lat, lng, phone, service_slugs, spec_slugs, zones = DEMO[branch.slug]
        branch.address = address
        branch.address_en = english_address(address)
        branch.postal_code = postal
        branch.latitude, branch.longitude = lat, lng
        branch.phone = phone_normalize(phone)
        branch.email = f"{branch.slug}@lutsk-cbs.example"
        branch.contacts_are_demo = True
        branch.wifi = "wifi" in service_slugs
        branch.public_pcs = rng.randint(2, 12)
        branch.step_free_entrance = rng.random() < 0.6
        branch.accessible_toilet = branch.step_free_entrance and rng.random() < 0.5
        branch.large_print = rng.random() < 0.5
        branch.hearing_loop = branch.slug == "central"
        if not branch.description:
            branch.description = (
                f"{branch.name} Луцької міської ЦБС. Демонстраційний опис: книги, періодика, "
                "події та допомога бібліотекарів для читачів будь-якого віку."
            )
        # The two central libraries have an English description; the branches show the notice.
        if branch.slug in ENGLISH_DESCRIBED and not branch.description_en and branch.name_en:
            branch.description_en = (
                f"{branch.name_en} of the Lutsk City Library System. A demo description: books, "
                "periodicals, events and librarians' help for readers of every age."
            )
        branch.save()
        branch.services.set([services[slug] for slug in service_slugs if slug in services])
        branch.specializations.set(
            [specializations[slug] for slug in spec_slugs if slug in specializations]
        )
        branch.hours.all().delete()
        for weekday, (opens, closes, lunch) in HOURS.get(branch.slug, DEFAULT_HOURS).items():
            OpeningHours.objects.create(
                branch=branch,
                weekday=weekday,
                opens=opens,
                closes=closes,
                break_starts=lunch[0] if lunch else None,
                break_ends=lunch[1] if lunch else None,
            )
        branch.zones.all().delete()
        # A stream of its own, so that the rest of the demo stays what it was.
        plan_rng = random.Random(f"zones-and-repairs-{branch.slug}")
        for kind, seats in zones:
            opened = plan_rng.choice([None, None, *range(2016, 2022)])
            Zone.objects.create(
                branch=branch,
                kind=kind,
                seats=seats,
                opened_on=date(opened, plan_rng.randint(1, 12), 1) if opened else None,
            )
        # Repairs of the plan years (direction 3 counts closures «Ремонт»).
        if plan_rng.random() < 0.5:
            year = plan_rng.randint(2016, 2021)
            Closure.objects.get_or_create(
                branch=branch,
                kind=Closure.Kind.REPAIRS,
                start_date=date(year, 7, 1),
                end_date=date(year, 8, 14),
                defaults={"reason": "Ремонт читальної зали"},
            )
        # Ukrainian libraries close for a sanitary day on the last Friday of the month.
        for months_ahead in range(3):
            month_index = today.month - 1 + months_ahead
            year, month = today.year + month_index // 12, month_index % 12 + 1
            day = last_friday(year, month)
            # Not on a day the library is closed anyway (25 December): the working day before.
            for _step in range(7):
                if not _closed_on(branch, day, exclude_kind=Closure.Kind.SANITARY):
                    break
                Closure.objects.filter(
                    branch=branch,
                    kind=Closure.Kind.SANITARY,
                    start_date=day,
                    end_date=day,
                    reason="",
                ).delete()
                day -= timedelta(days=1)
            Closure.objects.update_or_create(
                branch=branch,
                kind=Closure.Kind.SANITARY,
                start_date=day,
                end_date=day,
                # No reason text: the kind's label is shown, translated.
                defaults={"reason": ""},
            )
        touched += 1
    if stdout:
        stdout.write(f"branches: {touched} libraries with demo contacts, hours and closures")
    # Library tourism: history texts and tour requests (branches.demo_tourism).
    demo_tourism.seed(rng=rng, counts=counts, stdout=stdout)
    return touched


def _closed_on(branch, day, *, exclude_kind):
    return Closure.objects.filter(start_date__lte=day, end_date__gte=day).filter(
        Q(branch=branch) | Q(branch__isnull=True)
    ).exclude(kind=exclude_kind).exists() or day.weekday() not in {
        row.weekday for row in branch.hours.all()
    }


def network_holidays(today):
    year = today.year if today.month < 12 or today.day < 25 else today.year + 1
    return [
        (date(year, 12, 25), "Різдво Христове"),
        (date(year + 1, 1, 1), "Новий рік"),
    ]
