"""Use of the libraries' spaces and public computers, from their bookings (the spaces app), as
indicators of the plan's directions that are about them, beside what stays typed in:

- 3 «Модернізація, ремонт»: hours and sessions at public computers (the number of computers
  stays hand-entered, `manual.public_pcs`);
- 8 «Зонування бібліотечного простору»: hours, bookings and people in halls, reading rooms and
  zones (beside the zones on the libraries' cards);
- 13 «Інноваційна діяльність»: sessions at public computers (Internet access for readers is one
  of its innovative services);
- 6 «Моніторинг читацьких запитів»: booking requests declined, readers' unmet requests.

Reverse removes the links and the metrics when nothing else uses them.
"""

from django.db import migrations

# code, name, name_en, unit, unit_en
METRICS = [
    (
        "spaces.zone_hours",
        "Годин бронювання залів і зон",
        "Hours of hall and zone bookings",
        "год",
        "hours",
    ),
    (
        "spaces.zone_bookings",
        "Бронювань залів і зон",
        "Hall and zone bookings",
        "бронювань",
        "bookings",
    ),
    (
        "spaces.zone_people",
        "Відвідувачів заброньованих залів і зон",
        "People in booked halls and zones",
        "осіб",
        "people",
    ),
    (
        "spaces.pc_hours",
        "Годин роботи читачів за компʼютерами",
        "Hours of readers at public computers",
        "год",
        "hours",
    ),
    (
        "spaces.pc_sessions",
        "Сеансів за компʼютерами для читачів",
        "Sessions at public computers",
        "сеансів",
        "sessions",
    ),
    (
        "spaces.declined",
        "Відхилені заявки на простори й компʼютери",
        "Declined requests for spaces and computers",
        "заявок",
        "requests",
    ),
]
LINKS = {
    3: ["spaces.pc_hours", "spaces.pc_sessions"],
    6: ["spaces.declined"],
    8: ["spaces.zone_hours", "spaces.zone_bookings", "spaces.zone_people"],
    13: ["spaces.pc_sessions"],
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
    for number, codes in LINKS.items():
        direction = Direction.objects.filter(plan__slug=PLAN_SLUG, number=number).first()
        if direction is None:
            continue
        start = max(direction.indicators.values_list("position", flat=True), default=-1) + 1
        for position, code in enumerate(codes, start=start):
            Indicator.objects.update_or_create(
                direction=direction,
                metric=Metric.objects.get(code=code),
                defaults={"position": position},
            )


def backwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    Indicator = apps.get_model("strategy", "Indicator")
    codes = [row[0] for row in METRICS]
    Indicator.objects.filter(direction__plan__slug=PLAN_SLUG, metric__code__in=codes).delete()
    Metric.objects.filter(code__in=codes, indicators__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("strategy", "0017_tourism_indicators")]

    operations = [migrations.RunPython(forwards, backwards)]
