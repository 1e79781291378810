from django.db import migrations

from accounts.permissions import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST, crud, grant, revoke

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

DESK = crud("egov", "walkin", "slot", actions=("view", "add", "change")) + crud(
    "egov", "helprequest", "booking", actions=("view", "change")
)
READ = crud("egov", "topic", "guide", "guidelink", "helprequestevent", actions=("view",))
PERMISSIONS = {
    LIBRARIAN: DESK + READ,
    BRANCH_HEAD: DESK + READ + crud("egov", "walkin", "slot", actions=("delete",)),
    # Methodologists work network-wide but are not the branch concerned: no citizens' names
    # (requests, bookings); the numbers reach them through egov/stats.py.
    METHODOLOGIST: crud("egov", "topic", "guide", "guidelink")
    + crud("egov", "walkin", "slot", actions=("view",)),
}


def forwards(apps, schema_editor):
    Topic = apps.get_model("egov", "Topic")
    for position, (slug, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position * 10}
        )
    grant(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PERMISSIONS)
    Topic = apps.get_model("egov", "Topic")
    Topic.objects.filter(
        slug__in=[slug for slug, _name, _en in TOPICS], guides=None, requests=None, walk_ins=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("egov", "0001_help_desk"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
