"""Directions 5, 9 and 10 measured by the registers of issue 16:

- 5 «Перезавантаження професії бібліотекаря»: hours of training per staff member, from the
  training records and the staff profiles;
- 9 «Співпраця з громадськими організаціями, навчальними закладами…»: partners with an
  agreement in force and events held jointly with partners, from the partners register;
- 10 «Міжнародна співпраця, передовий бібліотечний досвід…»: study trips from their register
  instead of the number typed in once a year (`manual.study_trips`, kept for the years before).

Reverse removes the new links, restores `manual.study_trips` on direction 10 and removes the
new metrics when nothing else uses them.
"""

from django.db import migrations

# code, name, name_en, unit, unit_en, additive
METRICS = [
    (
        "events.partners_with_agreement",
        "Партнерів з чинною угодою про співпрацю",
        "Partners with an agreement in force",
        "організацій",
        "organisations",
        False,
    ),
    (
        "events.joint_events",
        "Проведено спільних з партнерами заходів",
        "Events held jointly with partners",
        "заходів",
        "events",
        True,
    ),
    (
        "strategy.training_hours_per_staff",
        "Годин навчання на одного працівника",
        "Training hours per staff member",
        "год",
        "hours",
        False,
    ),
    (
        "strategy.study_trips",
        "Навчальних поїздок",
        "Study trips",
        "поїздок",
        "trips",
        True,
    ),
]

# direction number: (codes to link, codes to unlink)
CHANGES = {
    5: (["strategy.training_hours_per_staff"], []),
    9: (["events.partners_with_agreement", "events.joint_events"], []),
    10: (["strategy.study_trips"], ["manual.study_trips"]),
}
PLAN_SLUG = "2016-2021"


def forwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    Direction = apps.get_model("strategy", "Direction")
    Indicator = apps.get_model("strategy", "Indicator")
    for code, name, name_en, unit, unit_en, additive in METRICS:
        Metric.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "unit_en": unit_en,
                "source": "computed",
                "additive": additive,
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
        ("strategy", "0014_training_trips_reminders"),
        ("events", "0007_partner_register"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
