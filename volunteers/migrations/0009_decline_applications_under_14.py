from django.db import migrations
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Concat, ExtractYear, Now

MIN_AGE = 14
NOTE = "Відхилено автоматично: волонтерами стають з 14 років."


def decline_under_14(apps, schema_editor):
    """The form used to accept children from 10. Their applications are declined (nothing is
    deleted: retention empties them like any declined application) and personal links stop
    working, so that the constraint of 0010 holds."""
    Application = apps.get_model("volunteers", "Application")
    Application.objects.filter(
        anonymised_at__isnull=True, birth_year__gt=ExtractYear(F("applied_on")) - MIN_AGE
    ).exclude(status="declined").update(
        status="declined",
        status_changed_at=Now(),
        access_token=None,
        notes=Case(
            When(notes="", then=Value(NOTE)),
            default=Concat(F("notes"), Value("\n" + NOTE)),
            output_field=TextField(),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0008_guardian_consent_from_staff_only"),
    ]

    # Which state each had before is not kept: going back leaves them declined.
    operations = [migrations.RunPython(decline_under_14, migrations.RunPython.noop)]
