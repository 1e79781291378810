import django.db.models.expressions
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    """Nobody younger than 14 (by year of birth), except declined and anonymised records."""

    dependencies = [
        ("volunteers", "0009_decline_applications_under_14"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("anonymised_at__isnull", False),
                    ("status", "declined"),
                    (
                        "birth_year__lte",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.functions.datetime.ExtractYear(models.F("applied_on")),
                            "-",
                            models.Value(14),
                        ),
                    ),
                    _connector="OR",
                ),
                name="volunteer_at_least_14",
                violation_error_message="Волонтерами стають з 14 років.",
            ),
        ),
    ]
