"""«Партнерів» alone read oddly as a chart's heading; name what is counted."""

from django.db import migrations

OLD = ("Партнерів", "Partners", "партнерів", "partners")
NEW = (
    "Організацій-партнерів заходів",
    "Partner organisations of events",
    "організацій",
    "organisations",
)


def rename(apps, old, new):
    Metric = apps.get_model("strategy", "Metric")
    Metric.objects.filter(code="events.partners", name=old[0]).update(
        name=new[0], name_en=new[1], unit=new[2], unit_en=new[3]
    )


def forwards(apps, schema_editor):
    rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0003_staff_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
