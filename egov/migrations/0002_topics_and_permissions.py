from django.db import migrations

# The online state services people ask about most, from the plan's direction 16.
TOPICS = [
    ("diia", "Дія: застосунок і портал", "Diia: app and portal"),
    ("pension-fund", "Портал Пенсійного фонду", "Pension Fund portal"),
    ("utilities", "Оплата комунальних послуг", "Paying utility bills"),
    ("tickets", "Квитки на потяг і автобус", "Train and bus tickets"),
    ("jobs", "Пошук роботи і резюме", "Job search and CVs"),
    ("e-declarations", "Електронні декларації", "E-declarations"),
    ("land-cadastre", "Земельний кадастр", "Land cadastre"),
    ("zno-nmt", "Реєстрація на НМТ (ЗНО)", "NMT (ZNO) registration"),
    ("social-assistance", "Соціальна допомога", "Social assistance"),
    ("other", "Інше", "Other"),
]

# The staff groups' permissions on these models are in accounts/roles.py.


def forwards(apps, schema_editor):
    Topic = apps.get_model("egov", "Topic")
    for position, (slug, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position * 10}
        )


def backwards(apps, schema_editor):
    Topic = apps.get_model("egov", "Topic")
    Topic.objects.filter(
        slug__in=[slug for slug, _name, _en in TOPICS], guides=None, requests=None, walk_ins=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("egov", "0001_help_desk"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
