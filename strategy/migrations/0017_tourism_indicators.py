"""Direction 10 «Міжнародна співпраця, передовий бібліотечний досвід, бібліотечний туризм»
measured also by the tours the libraries hold («бібліотеки в туристичних маршрутах,
екскурсії»): tours done and the people who came, from the tour requests of the branches app.

Reverse removes the two links and the metrics when nothing else uses them.
"""

from django.db import migrations

# code, name, name_en, unit, unit_en
METRICS = [
    ("branches.tours_done", "Проведено екскурсій", "Tours held", "екскурсій", "tours"),
    ("branches.tour_visitors", "Учасників екскурсій", "Tour participants", "осіб", "people"),
]
DIRECTION = 10
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
    direction = Direction.objects.filter(plan__slug=PLAN_SLUG, number=DIRECTION).first()
    if direction is None:
        return
    start = max(direction.indicators.values_list("position", flat=True), default=-1) + 1
    for position, (code, *_rest) in enumerate(METRICS, start=start):
        Indicator.objects.update_or_create(
            direction=direction,
            metric=Metric.objects.get(code=code),
            defaults={"position": position},
        )


def backwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    Indicator = apps.get_model("strategy", "Indicator")
    codes = [row[0] for row in METRICS]
    Indicator.objects.filter(
        direction__plan__slug=PLAN_SLUG, direction__number=DIRECTION, metric__code__in=codes
    ).delete()
    Metric.objects.filter(code__in=codes, indicators__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0016_local_lore_indicators"),
        ("branches", "0009_history_and_tour_requests"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
