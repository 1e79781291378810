"""Spaces and computers that readers and groups book; no double booking by an exclusion
constraint (btree_gist)."""

import django.contrib.postgres.constraints
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

import core.secret_links
import core.workflow
import spaces.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("branches", "0007_social_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The exclusion constraint compares the resource id (btree) and the time range (gist).
        BtreeGistExtension(),
        migrations.CreateModel(
            name="Resource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("hall", "Зала"),
                            ("reading_room", "Читальна зала"),
                            ("zone", "Зона"),
                            ("computer", "Компʼютер для читачів"),
                        ],
                        max_length=16,
                        verbose_name="вид",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        db_collation="uk_alphabet", max_length=120, verbose_name="назва"
                    ),
                ),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=120, verbose_name="назва англійською"),
                ),
                ("description", models.CharField(blank=True, max_length=300, verbose_name="опис")),
                (
                    "description_en",
                    models.CharField(blank=True, max_length=300, verbose_name="опис англійською"),
                ),
                (
                    "capacity",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="Скільки людей може бути одночасно.",
                        verbose_name="місць",
                    ),
                ),
                (
                    "slot_minutes",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (30, "30 хв"),
                            (60, "1 год"),
                            (90, "1,5 год"),
                            (120, "2 год"),
                            (180, "3 год"),
                            (240, "4 год"),
                        ],
                        default=60,
                        verbose_name="тривалість бронювання",
                    ),
                ),
                (
                    "needs_approval",
                    models.BooleanField(
                        default=False,
                        help_text="Бронювання чекає, доки працівник бібліотеки його підтвердить.",
                        verbose_name="потрібне підтвердження працівника",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="можна бронювати")),
                ("position", models.PositiveSmallIntegerField(default=100, verbose_name="порядок")),
                ("is_demo", models.BooleanField(default=False, verbose_name="демонстраційний")),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="space_resources",
                        to="branches.branch",
                        verbose_name="бібліотека",
                    ),
                ),
                (
                    "zone",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="space_resources",
                        to="branches.zone",
                        verbose_name="зона на картці бібліотеки",
                    ),
                ),
            ],
            options={
                "verbose_name": "простір для бронювання",
                "verbose_name_plural": "простори для бронювання",
                "ordering": ["branch", "position", "kind", "name"],
            },
        ),
        migrations.CreateModel(
            name="Booking",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="початок")),
                ("ends_at", models.DateTimeField(verbose_name="кінець")),
                (
                    "organisation",
                    models.CharField(
                        blank=True,
                        db_collation="uk_alphabet",
                        max_length=200,
                        verbose_name="організація або група",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        db_collation="uk_alphabet", max_length=120, verbose_name="контактна особа"
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="е-пошта")),
                ("phone", models.CharField(blank=True, max_length=40, verbose_name="телефон")),
                ("people", models.PositiveSmallIntegerField(default=1, verbose_name="людей")),
                ("purpose", models.CharField(blank=True, max_length=300, verbose_name="мета")),
                (
                    "language",
                    models.CharField(default="uk", max_length=8, verbose_name="мова листів"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Очікує підтвердження"),
                            ("confirmed", "Підтверджено"),
                            ("declined", "Відхилено"),
                            ("cancelled", "Скасовано"),
                        ],
                        default="confirmed",
                        max_length=16,
                        verbose_name="стан",
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=core.secret_links.new_token,
                        editable=False,
                        max_length=64,
                        unique=True,
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="заброньовано"
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="рішення ухвалено"),
                ),
                (
                    "cancelled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="скасовано"),
                ),
                (
                    "anonymised_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="знеособлено"),
                ),
                ("is_demo", models.BooleanField(default=False, verbose_name="демонстраційне")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="space_bookings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="читач",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="spaces.resource",
                        verbose_name="простір",
                    ),
                ),
            ],
            options={
                "verbose_name": "бронювання простору",
                "verbose_name_plural": "бронювання просторів",
                "ordering": ["-starts_at"],
            },
            bases=(core.workflow.Workflow, models.Model),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity__gte", 1)), name="spaces_resource_capacity_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.CheckConstraint(
                condition=models.Q(("slot_minutes__gte", 15)),
                name="spaces_resource_slot_long_enough",
            ),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.UniqueConstraint(
                fields=("branch", "name"), name="spaces_resource_unique_name"
            ),
        ),
        migrations.AddIndex(
            model_name="booking",
            index=models.Index(fields=["resource", "starts_at"], name="spaces_booking_when"),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="spaces_booking_ends_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(("people__gte", 1)), name="spaces_booking_people"
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                condition=models.Q(("status__in", ["pending", "confirmed"])),
                expressions=[
                    ("resource", "="),
                    (spaces.models.TsTzRange("starts_at", "ends_at"), "&&"),
                ],
                name="spaces_no_double_booking",
            ),
        ),
    ]
