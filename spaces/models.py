"""Rooms, zones and public computers that readers and groups book by the hour.

A `Resource` is one thing that can be booked once at a time: a hall, a reading room, a zone of
the library (linked to `branches.Zone` where the library card has it) or one public computer.
Computers are separate resources (Компʼютер 1, 2, …), made from the count on the library's card
(`services.computers_sync`), so «no double booking» is one rule for everything: the
PostgreSQL exclusion constraint on `Booking` refuses two holding bookings of one resource whose
times overlap, whatever the code does.

Slots are cut from the library's opening hours (`Branch.intervals_on`: weekly hours, lunch
break, dated closures), each `slot_minutes` long from the opening of each interval.

Personal data lives only in `Booking` (name, organisation, e-mail, phone, purpose) and is
erased by the nightly retention run (spaces/retention.py) after the booking has ended.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Zone
from core.db import UK_COLLATION
from core.i18n import localized
from core.phones import PhoneField
from core.secret_links import new_token
from core.tz import KYIV
from core.workflow import Workflow

# How far ahead a library's spaces can be booked.
BOOKING_HORIZON_DAYS = 60
SLOT_CHOICES = [(30, _("30 хв")), (60, _("1 год")), (90, _("1,5 год")), (120, _("2 год"))]
SLOT_CHOICES += [(180, _("3 год")), (240, _("4 год"))]


class TsTzRange(Func):
    """tstzrange(start, end), half-open: a booking ending at 11:00 and one starting at 11:00
    do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class ResourceQuerySet(models.QuerySet):
    def bookable(self):
        return self.filter(is_active=True, branch__is_active=True)

    def zones(self):
        return self.exclude(kind=Resource.Kind.COMPUTER)

    def computers(self):
        return self.filter(kind=Resource.Kind.COMPUTER)


class Resource(models.Model):
    # The name after 1, 2 and 5 in Ukrainian (core.counting).
    count_forms_uk = (
        "простір для бронювання",
        "простори для бронювання",
        "просторів для бронювання",
    )

    class Kind(models.TextChoices):
        HALL = "hall", _("Зала")
        READING_ROOM = "reading_room", _("Читальна зала")
        ZONE = "zone", _("Зона")
        COMPUTER = "computer", _("Компʼютер для читачів")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="space_resources",
        verbose_name=_("бібліотека"),
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="space_resources",
        verbose_name=_("зона на картці бібліотеки"),
    )
    name = models.CharField(_("назва"), max_length=120, db_collation=UK_COLLATION)
    name_en = models.CharField(_("назва англійською"), max_length=120, blank=True)
    description = models.CharField(_("опис"), max_length=300, blank=True)
    description_en = models.CharField(_("опис англійською"), max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("місць"), default=1, help_text=_("Скільки людей може бути одночасно.")
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("тривалість бронювання"), choices=SLOT_CHOICES, default=60
    )
    needs_approval = models.BooleanField(
        _("потрібне підтвердження працівника"),
        default=False,
        help_text=_("Бронювання чекає, доки працівник бібліотеки його підтвердить."),
    )
    is_active = models.BooleanField(_("можна бронювати"), default=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=100)
    is_demo = models.BooleanField(_("демонстраційний"), default=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "position", "kind", "name"]
        verbose_name = _("простір для бронювання")
        verbose_name_plural = _("простори для бронювання")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="spaces_resource_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15), name="spaces_resource_slot_long_enough"
            ),
            models.UniqueConstraint(fields=["branch", "name"], name="spaces_resource_unique_name"),
        ]

    def __str__(self):
        return localized(self, "name")

    def clean(self):
        if self.zone_id and self.branch_id and self.zone.branch_id != self.branch_id:
            raise ValidationError({"zone": _("Оберіть зону цієї ж бібліотеки.")})
        if self.kind == self.Kind.COMPUTER and self.capacity != 1:
            raise ValidationError({"capacity": _("За компʼютером — одне місце.")})

    @property
    def is_computer(self):
        return self.kind == self.Kind.COMPUTER

    def slot_starts_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The slots of `day`: from each opening interval's start, `slot_minutes` each, the
        last one ending by the interval's end (lunch breaks and closures leave gaps)."""
        length = timedelta(minutes=self.slot_minutes)
        slots = []
        for start, end in self.branch.intervals_on(day):
            while start + length <= end:
                slots.append((start, start + length))
                start += length
        return slots


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    free: bool

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, KYIV)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, KYIV)


class BookingQuerySet(models.QuerySet):
    def holding(self):
        return self.filter(status__in=Booking.HOLDING_STATUSES)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Booking(Workflow, models.Model):
    """A reader's (signed in) or a group's booking of one resource for one slot."""

    count_forms_uk = ("бронювання простору", "бронювання просторів", "бронювань просторів")

    class Status(models.TextChoices):
        PENDING = "pending", _("Очікує підтвердження")
        CONFIRMED = "confirmed", _("Підтверджено")
        DECLINED = "declined", _("Відхилено")
        CANCELLED = "cancelled", _("Скасовано")

    TRANSITIONS = {
        Status.PENDING: {Status.CONFIRMED, Status.DECLINED, Status.CANCELLED},
        Status.CONFIRMED: {Status.CANCELLED},
        Status.DECLINED: set(),
        Status.CANCELLED: set(),
    }
    TRANSITION_REFUSAL = _("Бронювання в стані «%(old)s» не можна перевести в «%(new)s».")
    # Statuses that keep the time taken.
    HOLDING_STATUSES = (Status.PENDING, Status.CONFIRMED)

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("простір")
    )
    starts_at = models.DateTimeField(_("початок"))
    ends_at = models.DateTimeField(_("кінець"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="space_bookings",
        verbose_name=_("читач"),
    )
    organisation = models.CharField(
        _("організація або група"), max_length=200, blank=True, db_collation=UK_COLLATION
    )
    name = models.CharField(_("контактна особа"), max_length=120, db_collation=UK_COLLATION)
    email = models.EmailField(_("е-пошта"))
    phone = PhoneField(_("телефон"), max_length=40, blank=True)
    people = models.PositiveSmallIntegerField(_("людей"), default=1)
    purpose = models.CharField(_("мета"), max_length=300, blank=True)
    language = models.CharField(_("мова листів"), max_length=8, default="uk")
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("заброньовано"), default=timezone.now)
    decided_at = models.DateTimeField(_("рішення ухвалено"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("скасовано"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True)
    is_demo = models.BooleanField(_("демонстраційне"), default=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("бронювання простору")
        verbose_name_plural = _("бронювання просторів")
        indexes = [models.Index(fields=["resource", "starts_at"], name="spaces_booking_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="spaces_booking_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="spaces_booking_people"),
            # The database's word that one resource is never held twice at the same time.
            ExclusionConstraint(
                name="spaces_no_double_booking",
                expressions=[
                    ("resource", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=["pending", "confirmed"]),
            ),
        ]

    def __str__(self):
        return _("Бронювання № %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("spaces:booking_detail", kwargs={"token": self.token})

    @property
    def audit_label(self):
        """Marks it as holding personal data (core.audit, core.retention); its name already
        has no person in it."""
        return str(self)

    def get_cancel_url(self):
        return reverse("spaces:booking_cancel", kwargs={"token": self.token})

    @property
    def is_group(self):
        return bool(self.organisation)

    @property
    def hours(self):
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def can_be_cancelled(self, now=None) -> bool:
        """Whether the booker may still cancel through their link: held and not started."""
        return self.status in self.HOLDING_STATUSES and self.starts_at > (now or timezone.now())
