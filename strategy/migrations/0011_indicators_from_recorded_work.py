"""Directions 1, 2, 3, 8, 12–15 measured by what the portal records, not by figures typed in
once a year or by all events and registrations:

- 1 «Фінансування»: income outside the budget from its register (budget funding stays typed);
- 2 «Грантова діяльність»: applications submitted and supported, and money received, from the
  register of grant applications;
- 3 «Модернізація і ремонти»: repairs from the libraries' closures «Ремонт» (public computers
  stay hand-entered: the library's card keeps no history of them);
- 8 «Зонування»: zones at the year end and zones opened, from the libraries' cards;
- 13 «Інновації. Бібліотеки сімейного читання»: family-reading events, their participants and
  the families that came, instead of all events;
- 14 «Патріотичне виховання молоді»: patriotic events and their participants, instead of all
  registrations;
- 12 «Освіта. Школи при бібліотеках» and 15 «Клуби за інтересами»: attendance recorded after
  each meeting, beside the meetings counted from the schedule.

The replaced links are removed; the metrics themselves stay (6-НК rows and other directions
use them). Reverse restores the old links.
"""

from django.db import migrations

# code, name, name_en, unit, unit_en
METRICS = [
    (
        "strategy.income.sponsors",
        "Кошти спонсорів і меценатів",
        "Sponsors and patrons",
        "грн",
        "UAH",
    ),
    ("strategy.income.charity", "Благодійні внески", "Charitable donations", "грн", "UAH"),
    ("strategy.income.paid_services", "Платні послуги", "Paid services", "грн", "UAH"),
    (
        "strategy.grants_applied",
        "Подано грантових заявок",
        "Grant applications submitted",
        "заявок",
        "applications",
    ),
    (
        "strategy.grants_won",
        "Підтримано грантових заявок",
        "Grant applications supported",
        "заявок",
        "applications",
    ),
    (
        "strategy.grants_amount",
        "Отримано коштів за грантами",
        "Grant funds received",
        "грн",
        "UAH",
    ),
    ("branches.repairs", "Завершено ремонтів", "Repairs completed", "ремонтів", "repairs"),
    ("branches.zones", "Зон у бібліотеках", "Zones in the libraries", "зон", "zones"),
    ("branches.zones_opened", "Облаштовано нових зон", "New zones opened", "зон", "zones"),
    (
        "events.patriotic_held",
        "Проведено заходів патріотичного виховання",
        "Patriotic-education events held",
        "заходів",
        "events",
    ),
    (
        "events.patriotic_attendance",
        "Учасників заходів патріотичного виховання",
        "Patriotic-education event participants",
        "осіб",
        "people",
    ),
    (
        "events.family_held",
        "Проведено заходів сімейного читання",
        "Family-reading events held",
        "заходів",
        "events",
    ),
    (
        "events.family_attendance",
        "Учасників заходів сімейного читання",
        "Family-reading event participants",
        "осіб",
        "people",
    ),
    (
        "events.club_attendance",
        "Відвідувань занять клубів і шкіл",
        "Club and school meeting attendance",
        "відвідувань",
        "visits",
    ),
    (
        "events.school_attendance",
        "Відвідувань занять шкіл",
        "School lesson attendance",
        "відвідувань",
        "visits",
    ),
    (
        "events.families",
        "Родин на заходах сімейного читання",
        "Families at family-reading events",
        "родин",
        "families",
    ),
]

# direction number: (codes to link, in order after the kept ones; codes to unlink)
CHANGES = {
    1: (
        ["strategy.income.sponsors", "strategy.income.charity", "strategy.income.paid_services"],
        ["manual.funding.sponsors", "manual.funding.charity", "manual.funding.paid_services"],
    ),
    2: (
        ["strategy.grants_applied", "strategy.grants_won", "strategy.grants_amount"],
        ["manual.grants.applied", "manual.grants.won", "manual.grants.amount"],
    ),
    3: (["branches.repairs"], ["manual.repairs"]),
    8: (["branches.zones", "branches.zones_opened"], ["manual.zones"]),
    13: (
        ["events.family_held", "events.family_attendance", "events.families"],
        ["events.held", "events.attendance"],
    ),
    14: (["events.patriotic_held", "events.patriotic_attendance"], ["events.registrations"]),
    12: (["events.school_attendance"], []),
    15: (["events.club_attendance"], []),
}
PLAN_SLUG = "2016-2021"


def forwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    Direction = apps.get_model("strategy", "Direction")
    Indicator = apps.get_model("strategy", "Indicator")
    for code, name, name_en, unit, unit_en in METRICS:
        Metric.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "unit_en": unit_en,
                "source": "computed",
                "additive": True,
            },
        )
    for number, (link, unlink) in CHANGES.items():
        direction = Direction.objects.filter(plan__slug=PLAN_SLUG, number=number).first()
        if direction is None:
            continue
        Indicator.objects.filter(direction=direction, metric__code__in=unlink).delete()
        start = max(direction.indicators.values_list("position", flat=True), default=-1) + 1
        for position, code in enumerate(link, start=start):
            Indicator.objects.update_or_create(
                direction=direction,
                metric=Metric.objects.get(code=code),
                defaults={"position": position},
            )


def backwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    Direction = apps.get_model("strategy", "Direction")
    Indicator = apps.get_model("strategy", "Indicator")
    for number, (link, unlink) in CHANGES.items():
        direction = Direction.objects.filter(plan__slug=PLAN_SLUG, number=number).first()
        if direction is None:
            continue
        Indicator.objects.filter(direction=direction, metric__code__in=link).delete()
        start = max(direction.indicators.values_list("position", flat=True), default=-1) + 1
        for position, metric in enumerate(Metric.objects.filter(code__in=unlink), start=start):
            Indicator.objects.get_or_create(
                direction=direction, metric=metric, defaults={"position": position}
            )
    Metric.objects.filter(code__in=[row[0] for row in METRICS], indicators__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0010_grants_and_extra_income"),
        ("branches", "0006_zone_opened_on"),
        ("events", "0006_club_attendance"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
