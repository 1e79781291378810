"""Direction 11 «Збереження локальної культури (краєзнавство)» measured also by what the
libraries digitise: documents (photographs, postcards, letters, newspapers…) and their pages,
from the digital app, per library and year of digitisation.

Reverse removes the two links and the metrics when nothing else uses them.
"""

from django.db import migrations

# code, name, name_en, unit, unit_en
METRICS = [
    (
        "digital.documents",
        "Оцифровано краєзнавчих документів",
        "Local-lore documents digitised",
        "документів",
        "documents",
    ),
    ("digital.pages", "Оцифровано сторінок", "Pages digitised", "сторінок", "pages"),
]
DIRECTION = 11
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
        ("strategy", "0012_news_indicators"),
        ("digital", "0001_documents_and_pages"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
