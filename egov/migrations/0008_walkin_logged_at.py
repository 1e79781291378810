import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """When a walk-in case was typed in. Cases logged before stay without a time (added with no
    default first), so nobody can «correct» years-old numbers as if they were today's."""

    dependencies = [
        ("egov", "0007_booking_token_shared"),
    ]

    operations = [
        migrations.AddField(
            model_name="walkin",
            name="logged_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="записано о"
            ),
        ),
        migrations.AlterField(
            model_name="walkin",
            name="logged_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                editable=False,
                null=True,
                verbose_name="записано о",
            ),
        ),
    ]
