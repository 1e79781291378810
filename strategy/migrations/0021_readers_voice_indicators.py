"""Direction 6 «Рекламно-інформаційна діяльність бібліотек. Моніторинг читацьких запитів»
measured also by the readers' voice recorded in the reference app: enquiries answered (the
6-НК «довідки»), answers to «Запитай бібліотекаря», the readers' average mark in their
feedback and the answers to the libraries' short surveys.

Reverse removes the four links and the metrics when nothing else uses them.
"""

from django.db import migrations

# code, name, name_en, unit, unit_en, additive
METRICS = [
    ("reference.enquiries", "Довідки", "Reference enquiries", "довідок", "enquiries", True),
    (
        "reference.questions",
        "Відповіді на запитання «Запитай бібліотекаря»",
        "Answers to «Ask a librarian» questions",
        "відповідей",
        "answers",
        True,
    ),
    (
        "reference.feedback_avg",
        "Середня оцінка читачів",
        "Readers' average mark",
        "балів з 5",
        "points of 5",
        False,
    ),
    (
        "reference.survey_answers",
        "Відповіді читачів на опитування",
        "Readers' survey responses",
        "відповідей",
        "responses",
        False,
    ),
]
DIRECTION = 6
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
                "name_uk": name,
                "name_en": name_en,
                "unit": unit,
                "unit_uk": unit,
                "unit_en": unit_en,
                "source": "computed",
                "additive": additive,
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
    dependencies = [("strategy", "0020_english_versions_data")]

    operations = [migrations.RunPython(forwards, backwards)]
