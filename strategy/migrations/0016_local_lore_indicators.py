"""Direction 14 «Патріотичне виховання молоді» is measured in the plan also by «твори
письменників-земляків у фонді»: the works of persons the local-lore index marks «місцевий
письменник», as records in the e-catalogue and as copies in the libraries' holdings (lore.stats).
Direction 11 «Збереження місцевої культури (краєзнавство)» gets the analytical records (articles
from local periodicals and collections) added to the catalogue in the year (catalog.stats).

Reverse removes the links and the metrics when nothing else uses them.
"""

from django.db import migrations

# direction, code, name, name_en, unit, unit_en, additive
METRICS = [
    (
        14,
        "lore.local_writers_copies",
        "Твори письменників-земляків у фонді",
        "Works of local writers in the holdings",
        "прим.",
        "copies",
        True,
    ),
    (
        14,
        "lore.local_writers_records",
        "Твори письменників-земляків в електронному каталозі",
        "Works of local writers in the online catalogue",
        "записів",
        "records",
        False,
    ),
    (
        11,
        "catalog.analytics_added",
        "Нових аналітичних записів (статей) в електронному каталозі",
        "New analytical records (articles) in the online catalogue",
        "записів",
        "records",
        False,
    ),
]
PLAN_SLUG = "2016-2021"


def forwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    Direction = apps.get_model("strategy", "Direction")
    Indicator = apps.get_model("strategy", "Indicator")
    for number, code, name, name_en, unit, unit_en, additive in METRICS:
        metric, _created = Metric.objects.update_or_create(
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
        direction = Direction.objects.filter(plan__slug=PLAN_SLUG, number=number).first()
        if direction is None:
            continue
        start = max(direction.indicators.values_list("position", flat=True), default=-1) + 1
        Indicator.objects.update_or_create(
            direction=direction, metric=metric, defaults={"position": start}
        )


def backwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    Indicator = apps.get_model("strategy", "Indicator")
    for number, code, *_rest in METRICS:
        Indicator.objects.filter(
            direction__plan__slug=PLAN_SLUG, direction__number=number, metric__code=code
        ).delete()
    codes = [row[1] for row in METRICS]
    Metric.objects.filter(code__in=codes, indicators__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0015_register_indicators"),
        ("lore", "0001_local_lore_index"),
        ("catalog", "0018_analytical_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
