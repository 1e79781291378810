"""Direction 6 «Популяризація та інформування» measured also by what the libraries publish on
the portal: news items (with announcements and press releases) and press releases, from the
news app. The hand-entered «publications in the media» stay: the press writes those, not us.
(Direction 9, co-operation with NGOs, schools and volunteers, is not what news measure.)

Reverse removes the two links and the metrics when nothing else uses them.
"""

from django.db import migrations

# code, name, name_en, unit, unit_en
METRICS = [
    ("news.published", "Опубліковано новин", "News items published", "новин", "items"),
    ("news.press_releases", "Прес-релізи", "Press releases", "прес-релізів", "press releases"),
]
DIRECTION = 6
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
                # Network items belong to no library: the network figure is not their sum.
                "additive": False,
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
        ("strategy", "0011_indicators_from_recorded_work"),
        ("news", "0001_news_items"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
