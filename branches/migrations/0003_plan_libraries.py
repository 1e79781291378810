"""The libraries, specializations and services that the 2016–2021 plan names.

Source: data/strategy_2016_2021.json (`libraries_named_in_plan`, `specialization_axes`) and
the plan's direction 13 (services already introduced). Written out here so the migration
never changes when the data file does. Addresses and hours are not in the plan: the demo
seed adds them, marked as demo.
"""

from django.db import migrations

LIBRARIES = [
    # slug, name, name_en, kind, number
    ("central", "Центральна бібліотека", "Central Library", "central", None),
    (
        "central-children",
        "Центральна дитяча бібліотека",
        "Central Children's Library",
        "central_children",
        None,
    ),
    ("branch-5", "Бібліотека-філія № 5", "Branch Library No. 5", "branch", 5),
    ("branch-7", "Бібліотека-філія № 7", "Branch Library No. 7", "branch", 7),
    ("branch-10", "Бібліотека-філія № 10", "Branch Library No. 10", "branch", 10),
    ("branch-11", "Бібліотека-філія № 11", "Branch Library No. 11", "branch", 11),
    ("children-2", "Бібліотека для дітей № 2", "Children's Library No. 2", "children", 2),
    ("children-3", "Бібліотека для дітей № 3", "Children's Library No. 3", "children", 3),
]

SPECIALIZATIONS = [
    # axis, slug, name, name_en
    ("audience", "children", "діти", "children"),
    ("audience", "youth", "юнацтво", "young people"),
    ("audience", "family", "сімʼя", "families"),
    ("audience", "special-needs", "люди з особливими потребами", "people with special needs"),
    ("theme", "language-culture", "центр мови та культури", "language and culture centre"),
    (
        "theme",
        "legal-economic",
        "центр правової та економічної інформації",
        "legal and economic information centre",
    ),
    ("theme", "computer-library", "компʼютерна бібліотека", "computer library"),
    ("form", "clubs", "клуби", "clubs"),
    ("form", "studios", "студії", "studios"),
    ("form", "lecture-halls", "лекторії", "lecture halls"),
    ("form", "museums", "музеї", "museums"),
    ("form", "consulting", "консультаційні центри", "consulting centres"),
]

SERVICES = [
    # slug, name, name_en
    ("internet", "Доступ до Інтернету", "Internet access"),
    ("wifi", "Бездротовий Інтернет (Wi-Fi)", "Wi-Fi"),
    ("egov-point", "Пункт доступу до електронних послуг", "E-government help point"),
    ("cinema", "Кінозала", "Cinema hall"),
    ("cafe", "Бібліокавʼярня", "Library café"),
    ("language-school", "Мовна школа", "Language school"),
    ("computer-courses", "Компʼютерні курси", "Computer courses"),
    ("legal-consulting", "Правові консультації", "Legal consultations"),
    ("homework-help", "Допомога з домашніми завданнями", "Homework help"),
    ("home-delivery", "Книги додому для літніх читачів", "Home delivery for elderly readers"),
    ("copying", "Копіювання і друк", "Copying and printing"),
]


def forwards(apps, schema_editor):
    Branch = apps.get_model("branches", "Branch")
    Specialization = apps.get_model("branches", "Specialization")
    Service = apps.get_model("branches", "Service")
    for position, (slug, name, name_en, kind, number) in enumerate(LIBRARIES, start=1):
        Branch.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "number": number,
                "sort_order": position,
            },
        )
    for axis, slug, name, name_en in SPECIALIZATIONS:
        Specialization.objects.update_or_create(
            slug=slug, defaults={"axis": axis, "name": name, "name_en": name_en}
        )
    for slug, name, name_en in SERVICES:
        Service.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})


def backwards(apps, schema_editor):
    apps.get_model("branches", "Branch").objects.filter(
        slug__in=[row[0] for row in LIBRARIES]
    ).delete()
    apps.get_model("branches", "Specialization").objects.filter(
        slug__in=[row[1] for row in SPECIALIZATIONS]
    ).delete()
    apps.get_model("branches", "Service").objects.filter(
        slug__in=[row[0] for row in SERVICES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("branches", "0002_postgres_extensions")]

    operations = [migrations.RunPython(forwards, backwards)]
