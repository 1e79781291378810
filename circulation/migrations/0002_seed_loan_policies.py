"""The network's lending rules from the «Типові правила користування бібліотеками в Україні»
(наказ Міністерства культури і мистецтв України від 05.05.1999 № 275, зі змінами наказом
від 25.05.2001 № 319): a reader takes home up to 5 documents for up to 30 days; for new
arrivals, documents in high demand and periodicals the period may be cut to 15 days.
Single reference copies are not lent at all: that is the copy's status «Лише в читальній
залі», not a rule. Methodologists change these rules in the admin."""

from django.db import migrations

RULES = [
    {
        "name": "Типове правило",
        "notes": "Типові правила користування бібліотеками: до 5 документів до 30 днів; "
        "продовжити можна, якщо на документ немає попиту.",
    },
    {
        "name": "Періодичні видання",
        "material_type": "periodical",
        "loan_days": 15,
        "renewals": 1,
        "renewal_days": 15,
        "notes": "Строк для періодики зменшено до 15 днів (Типові правила).",
    },
    {
        "name": "Нові надходження",
        "loan_class": "new",
        "loan_days": 15,
        "renewals": 1,
        "renewal_days": 15,
        "notes": "Перші 90 днів після надходження — 15 днів (Типові правила).",
    },
    {
        "name": "Діти",
        "reader_category": "child",
        "loan_days": 15,
        "renewals": 2,
        "renewal_days": 15,
        "notes": "Дітям — до 5 документів на 15 днів, як у дитячих бібліотеках мережі.",
    },
    {
        "name": "Краєзнавчі документи",
        "material_type": "local_lore",
        "lends": False,
        "holds_allowed": False,
        "renewals": 0,
        "notes": "Краєзнавчий фонд видається лише в читальній залі.",
    },
]


def seed(apps, schema_editor):
    LoanPolicy = apps.get_model("circulation", "LoanPolicy")
    for rule in RULES:
        LoanPolicy.objects.get_or_create(
            branch=None,
            reader_category=rule.get("reader_category", ""),
            material_type=rule.get("material_type", ""),
            loan_class=rule.get("loan_class", ""),
            defaults={
                key: value
                for key, value in rule.items()
                if key not in ("reader_category", "material_type", "loan_class")
            },
        )


def unseed(apps, schema_editor):
    LoanPolicy = apps.get_model("circulation", "LoanPolicy")
    for rule in RULES:
        LoanPolicy.objects.filter(
            branch=None,
            reader_category=rule.get("reader_category", ""),
            material_type=rule.get("material_type", ""),
            loan_class=rule.get("loan_class", ""),
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("circulation", "0001_circulation")]

    operations = [migrations.RunPython(seed, unseed)]
