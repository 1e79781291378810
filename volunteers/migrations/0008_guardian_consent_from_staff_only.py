from django.db import migrations
from django.db.models import F
from django.db.models.functions import ExtractYear

ADULT_AGE = 18
PAPER = "Підпис на паперовій анкеті, прийнятій у бібліотеці"


def consents_from_staff_only(apps, schema_editor):
    """A box the child ticked on the website was stored as the guardian's consent: it is not one,
    so it is cleared (staff record the real one before activation). On a paper application the
    staff member saw the guardian's signature: that one is kept and attributed to them."""
    Application = apps.get_model("volunteers", "Application")
    minors = Application.objects.filter(
        anonymised_at__isnull=True,
        guardian_consent_at__isnull=False,
        birth_year__gt=ExtractYear(F("applied_on")) - ADULT_AGE,
    )
    minors.filter(consent_recorded_by__isnull=True).update(guardian_consent_at=None)
    minors.filter(consent_recorded_by__isnull=False).update(
        guardian_consent_recorded_by=F("consent_recorded_by"), guardian_consent_how=PAPER
    )


def consents_as_before(apps, schema_editor):
    # Before, every minor's application stamped the guardian's consent with the form's time.
    Application = apps.get_model("volunteers", "Application")
    Application.objects.filter(
        anonymised_at__isnull=True,
        guardian_consent_at__isnull=True,
        birth_year__gt=ExtractYear(F("applied_on")) - ADULT_AGE,
    ).update(guardian_consent_at=F("consent_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0007_guardian_consent_recorded_by_staff"),
    ]

    operations = [migrations.RunPython(consents_from_staff_only, consents_as_before)]
