import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import (
    ASin,
    Cast,
    Cos,
    JSONObject,
    Least,
    Power,
    Radians,
    Sin,
    Sqrt,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.db import UK_COLLATION
from core.i18n import localized
from core.phones import PhoneField
from core.secret_links import new_token
from core.tz import KYIV
from core.workflow import Workflow

# The mean radius of the Earth, for great-circle distances («Біля мене»).
EARTH_RADIUS_KM = 6371.0088
# How far ahead "opens at …" looks; a library closed longer shows its closure instead.
LOOKAHEAD_DAYS = 14


class Specialization(models.Model):
    """A specialization on one of the plan's three axes (audience, theme, form of work)."""

    class Axis(models.TextChoices):
        AUDIENCE = "audience", _("Аудиторія")
        THEME = "theme", _("Тематика")
        FORM = "form", _("Форма роботи")

    axis = models.CharField(_("вісь"), max_length=16, choices=Axis.choices)
    name = models.CharField(_("назва"), max_length=120, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=60, unique=True)

    class Meta:
        ordering = ["axis", "name"]
        verbose_name = _("спеціалізація")
        verbose_name_plural = _("спеціалізації")

    def __str__(self):
        return self.name


class Service(models.Model):
    """A service a library offers (Internet, cinema hall, e-government point, …)."""

    name = models.CharField(_("назва"), max_length=120, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=60, unique=True)
    description = models.TextField(_("опис"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("послуга")
        verbose_name_plural = _("послуги")

    def __str__(self):
        return self.name


class BranchQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_active=True)

    def with_schedule(self, *, around=None):
        """Prefetch what open/closed needs: the weekly hours and the closures near `around`.

        A library's own closures come by prefetch; the network-wide ones (no library) are not
        reachable through the relation, so each row carries them as a JSON array instead.
        """
        around = timezone.localdate(around or timezone.now(), KYIV)
        near = Closure.objects.filter(
            end_date__gte=around - timedelta(days=1),
            start_date__lte=around + timedelta(days=LOOKAHEAD_DAYS),
        )
        # rewrite(False): modeltranslation's values() would add every column to the subquery.
        network = (
            near.filter(branch__isnull=True)
            .rewrite(False)
            .values(
                row=JSONObject(
                    id="id",
                    kind="kind",
                    start_date="start_date",
                    end_date="end_date",
                    reason_uk="reason_uk",
                    reason_en="reason_en",
                )
            )
        )
        return self.prefetch_related(
            "hours",
            models.Prefetch("closures", queryset=near, to_attr="near_closures"),
        ).annotate(near_network_closures=ArraySubquery(network))

    def with_distance(self, lat: float, lon: float):
        """Each library's great-circle distance in km from (`lat`, `lon`) as `distance`
        (haversine, computed by PostgreSQL; None for a library without coordinates)."""
        phi = Radians(Cast("latitude", FloatField()))
        lam = Radians(Cast("longitude", FloatField()))
        phi0, lam0 = math.radians(lat), math.radians(lon)
        half_chord = Power(Sin((phi - Value(phi0)) / 2), 2) + Value(math.cos(phi0)) * Cos(
            phi
        ) * Power(Sin((lam - Value(lam0)) / 2), 2)
        # LEAST guards ASIN against a rounding error just above 1 (antipodal points); it
        # skips NULLs, hence the CASE for a library without coordinates.
        distance = Value(2 * EARTH_RADIUS_KM) * ASin(
            Sqrt(Least(half_chord, Value(1.0), output_field=FloatField()))
        )
        return self.annotate(
            distance=Case(
                When(latitude__isnull=False, longitude__isnull=False, then=distance),
                default=None,
                output_field=FloatField(),
            )
        )

    def by_distance(self, lat: float, lon: float):
        """Nearest first; libraries without coordinates last, in their usual order."""
        return self.with_distance(lat, lon).order_by(
            F("distance").asc(nulls_last=True), "sort_order", "name"
        )

    def open_at(self, moment):
        """Branches open at `moment`: three queries, whatever the number of branches."""
        candidates = self.with_schedule(around=moment)
        open_ids = [branch.pk for branch in candidates if branch.status_at(moment).is_open]
        return self.filter(pk__in=open_ids)


class Branch(models.Model):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("Центральна бібліотека")
        CENTRAL_CHILDREN = "central_children", _("Центральна дитяча бібліотека")
        BRANCH = "branch", _("Бібліотека-філія")
        CHILDREN = "children", _("Бібліотека для дітей")

    name = models.CharField(_("назва"), max_length=200, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=60, unique=True)
    kind = models.CharField(_("тип"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("номер"), null=True, blank=True)
    is_active = models.BooleanField(_("показувати на сайті"), default=True)
    sort_order = models.PositiveSmallIntegerField(
        _("порядок у списку"), default=100, help_text=_("Менше число — вище в списку.")
    )

    address = models.CharField(_("адреса"), max_length=250, blank=True)
    postal_code = models.CharField(_("поштовий індекс"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("широта"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("довгота"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = PhoneField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("е-пошта"), blank=True)
    website = models.URLField(_("сайт або сторінка"), blank=True)
    contacts_are_demo = models.BooleanField(
        _("контакти демонстраційні"),
        default=False,
        help_text=_("Позначка для демо-даних: на сторінці показується попередження."),
    )
    description = models.TextField(_("опис"), blank=True)
    history = models.TextField(
        _("історія бібліотеки"),
        blank=True,
        help_text=_(
            "Кілька абзаців для сторінки «Історія бібліотеки та екскурсії»; абзаци "
            "розділяйте порожнім рядком."
        ),
    )
    history_en = models.TextField(_("історія англійською"), blank=True)
    offers_tours = models.BooleanField(
        _("проводить екскурсії"),
        default=True,
        help_text=_("На сторінці історії бібліотеки показується форма замовлення екскурсії."),
    )

    step_free_entrance = models.BooleanField(_("вхід без сходинок або з пандусом"), default=False)
    accessible_toilet = models.BooleanField(_("доступна вбиральня"), default=False)
    hearing_loop = models.BooleanField(_("індукційна петля"), default=False)
    large_print = models.BooleanField(_("книги великим шрифтом"), default=False)
    public_pcs = models.PositiveSmallIntegerField(_("комп'ютери для читачів"), default=0)
    wifi = models.BooleanField(_("безкоштовний Wi-Fi"), default=False)

    specializations = models.ManyToManyField(
        Specialization, blank=True, related_name="branches", verbose_name=_("спеціалізації")
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="branches", verbose_name=_("послуги")
    )

    objects = BranchQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("бібліотека")
        verbose_name_plural = _("бібліотеки")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__range=(-90, 90), longitude__range=(-180, 180)),
                name="branch_coordinates_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:detail", kwargs={"slug": self.slug})

    # --- open / closed -----------------------------------------------------------------------

    def _hours_by_weekday(self):
        return self._schedule[0]

    def _closures(self):
        return self._schedule[1]

    @cached_property
    def _schedule(self):
        """Weekly hours by weekday and the closures, read once per loaded library.

        `near_closures` and `near_network_closures` come from BranchQuerySet.with_schedule();
        without them the database is asked.
        """
        hours = {row.weekday: row for row in self.hours.all()}
        if not hasattr(self, "near_closures"):
            return hours, list(Closure.objects.filter(Q(branch=self) | Q(branch__isnull=True)))
        network = [
            Closure(
                id=row["id"],
                branch=None,
                kind=row["kind"],
                start_date=date.fromisoformat(row["start_date"]),
                end_date=date.fromisoformat(row["end_date"]),
                reason_uk=row["reason_uk"],
                reason_en=row["reason_en"],
            )
            for row in getattr(self, "near_network_closures", None) or []
        ]
        return hours, sorted(self.near_closures + network, key=lambda c: c.start_date)

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_schedule", None)
        super().refresh_from_db(*args, **kwargs)

    def closure_on(self, day: date):
        for closure in self._closures():
            if closure.start_date <= day <= closure.end_date:
                return closure
        return None

    def intervals_on(self, day: date):
        """The opening intervals that start on local `day`, as aware datetimes."""
        if self.closure_on(day):
            return []
        row = self._hours_by_weekday().get(day.weekday())
        return row.intervals_on(day) if row else []

    def status_at(self, moment: datetime) -> "OpenStatus":
        local = timezone.localtime(moment, KYIV)
        today = local.date()
        intervals = []
        for offset in range(-1, LOOKAHEAD_DAYS + 1):
            intervals.extend(self.intervals_on(today + timedelta(days=offset)))
        intervals.sort()
        for start, end in intervals:
            if start <= moment < end:
                # Merge back-to-back intervals (e.g. Mon 20:00–24:00 and Tue 00:00–02:00).
                for next_start, next_end in intervals:
                    if next_start == end:
                        end = next_end
                return OpenStatus(is_open=True, closes_at=end, closure=None)
        upcoming = [start for start, _end in intervals if start > moment]
        started_today = [
            (start, end) for start, end in intervals if start.astimezone(KYIV).date() == today
        ]
        return OpenStatus(
            is_open=False,
            opens_at=upcoming[0] if upcoming else None,
            closure=self.closure_on(today),
            on_break=any(end <= moment for _start, end in started_today)
            and any(start > moment for start, _end in started_today),
        )

    @property
    def status_now(self):
        return self.status_at(timezone.now())

    def week_schedule(self):
        """Seven rows Monday→Sunday for the hours table, days without hours included."""
        rows = self._hours_by_weekday()
        return [(day.value, day.label, rows.get(day.value)) for day in OpeningHours.Weekday]


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    closure: "Closure | None" = None
    on_break: bool = False


class OpeningHours(models.Model):
    """One weekday's hours. A `closes` at or before `opens` means closing after midnight."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("понеділок")
        TUESDAY = 1, _("вівторок")
        WEDNESDAY = 2, _("середа")
        THURSDAY = 3, _("четвер")
        FRIDAY = 4, _("пʼятниця")
        SATURDAY = 5, _("субота")
        SUNDAY = 6, _("неділя")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="hours", verbose_name=_("бібліотека")
    )
    weekday = models.PositiveSmallIntegerField(_("день тижня"), choices=Weekday.choices)
    opens = models.TimeField(_("відчиняється"))
    closes = models.TimeField(_("зачиняється"))
    break_starts = models.TimeField(_("перерва з"), null=True, blank=True)
    break_ends = models.TimeField(_("перерва до"), null=True, blank=True)

    class Meta:
        ordering = ["branch", "weekday"]
        verbose_name = _("години роботи")
        verbose_name_plural = _("години роботи")
        constraints = [
            models.UniqueConstraint(fields=["branch", "weekday"], name="one_hours_row_per_day"),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="opening_hours_weekday_in_week"
            ),
            models.CheckConstraint(
                condition=Q(break_starts__isnull=True, break_ends__isnull=True)
                | Q(break_starts__isnull=False, break_ends__isnull=False),
                name="opening_hours_break_has_both_ends",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def has_break(self):
        return self.break_starts is not None and self.break_ends is not None

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.has_break:
            overnight = self.closes <= self.opens
            inside = self.opens < self.break_starts < self.break_ends and (
                overnight or self.break_ends < self.closes
            )
            if not inside:
                raise ValidationError(
                    _("Перерва має бути в межах робочого часу і закінчуватися після початку.")
                )

    def intervals_on(self, day: date):
        """Open intervals starting on `day`, split by the break, as aware datetimes."""
        start = _aware(day, self.opens)
        end_day = day + timedelta(days=1) if self.closes <= self.opens else day
        end = _aware(end_day, self.closes)
        if not self.has_break:
            return [(start, end)]
        return [(start, _aware(day, self.break_starts)), (_aware(day, self.break_ends), end)]


def _aware(day: date, at: time) -> datetime:
    # A wall-clock time that does not exist on a DST day (03:30 on the last Sunday of March)
    # resolves forward, as a person reading the sign on the door would expect.
    return datetime.combine(day, at, tzinfo=KYIV).astimezone(ZoneInfo("UTC"))


class ClosureQuerySet(models.QuerySet):
    def upcoming(self, *, today=None):
        today = today or timezone.localdate()
        return self.filter(end_date__gte=today).order_by("start_date")


class Closure(models.Model):
    """A dated closure of one library, or of the whole network when no library is set."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Святковий день")
        SANITARY = "sanitary", _("Санітарний день")
        REPAIRS = "repairs", _("Ремонт")
        SUDDEN = "sudden", _("Тимчасово зачинено")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        verbose_name=_("бібліотека"),
        help_text=_("Порожньо — зачинено всю мережу."),
    )
    kind = models.CharField(_("причина"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("з"))
    end_date = models.DateField(_("по (включно)"))
    reason = models.CharField(_("пояснення для читачів"), max_length=250, blank=True)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("день, коли зачинено")
        verbose_name_plural = _("дні, коли зачинено")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_date:%d.%m.%Y}–{self.end_date:%d.%m.%Y}"

    @property
    def label(self):
        return self.reason or self.get_kind_display()


class Zone(models.Model):
    """A part of a library's space (quiet reading room, loud zone, co-working, …)."""

    class Kind(models.TextChoices):
        QUIET = "quiet", _("Тиха зона")
        LOUD = "loud", _("Гучна зона")
        CHILDREN = "children", _("Дитяча зона")
        COWORKING = "coworking", _("Коворкінг")
        READING_ROOM = "reading_room", _("Читальна зала")
        EXHIBITION = "exhibition", _("Виставкова зона")
        CAFE = "cafe", _("Бібліокавʼярня")
        CINEMA = "cinema", _("Кінозала")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="zones", verbose_name=_("бібліотека")
    )
    kind = models.CharField(_("тип"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("назва"), max_length=120, blank=True, db_collation=UK_COLLATION)
    description = models.TextField(_("опис"), blank=True)
    seats = models.PositiveSmallIntegerField(_("місць"), null=True, blank=True)
    opened_on = models.DateField(
        _("облаштовано"),
        null=True,
        blank=True,
        help_text=_("Коли зону відкрили для читачів; порожньо — була до 2016 року."),
    )

    class Meta:
        ordering = ["branch", "kind"]
        verbose_name = _("зона")
        verbose_name_plural = _("зони")

    def __str__(self):
        return self.name or self.get_kind_display()


class BranchPhoto(models.Model):
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="photos", verbose_name=_("бібліотека")
    )
    image = models.ImageField(_("фото"), upload_to="branches/")
    alt_text = models.CharField(
        _("опис для незрячих"),
        max_length=200,
        help_text=_("Що на фото — для читачів з екранним диктором."),
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["branch", "position"]
        verbose_name = _("фото")
        verbose_name_plural = _("фото")

    def __str__(self):
        return self.alt_text


class SocialLink(models.Model):
    """The library's page in a social network, shown on its page with the network's name."""

    class Network(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        TELEGRAM = "telegram", "Telegram"
        YOUTUBE = "youtube", "YouTube"
        TIKTOK = "tiktok", "TikTok"
        VIBER = "viber", "Viber"
        X = "x", "X"
        OTHER = "other", _("Інша мережа")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="social_links",
        verbose_name=_("бібліотека"),
    )
    network = models.CharField(_("мережа"), max_length=20, choices=Network)
    url = models.URLField(_("адреса сторінки"))
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["branch", "position", "pk"]
        verbose_name = _("сторінка в соцмережі")
        verbose_name_plural = _("сторінки в соцмережах")
        constraints = [
            models.UniqueConstraint(fields=["branch", "url"], name="branches_social_link_unique"),
        ]

    def __str__(self):
        return self.get_network_display()


class PaidServiceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_active=True, branch__is_active=True)


class PaidService(models.Model):
    """A paid service of a library with its price, on the public price list (plan direction 1:
    income other than the budget). The money received is recorded in the strategy app's
    register of income outside the budget, linked to the service."""

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="paid_services",
        verbose_name=_("бібліотека"),
    )
    name = models.CharField(_("послуга"), max_length=200, db_collation=UK_COLLATION)
    name_en = models.CharField(_("назва англійською"), max_length=200, blank=True)
    price = models.DecimalField(_("ціна, грн"), max_digits=9, decimal_places=2)
    unit = models.CharField(
        _("за що"), max_length=60, blank=True, help_text=_("Наприклад: за сторінку, за годину.")
    )
    unit_en = models.CharField(_("за що, англійською"), max_length=60, blank=True)
    note = models.CharField(_("примітка"), max_length=300, blank=True)
    note_en = models.CharField(_("примітка англійською"), max_length=300, blank=True)
    is_active = models.BooleanField(
        _("надається"), default=True, help_text=_("Зніміть, щоб прибрати з прайс-листа.")
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_demo = models.BooleanField(_("демонстраційна"), default=False)

    objects = PaidServiceQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "position", "name"]
        verbose_name = _("платна послуга")
        verbose_name_plural = _("платні послуги")
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="paid_service_price_not_negative"
            ),
            models.UniqueConstraint(fields=["branch", "name"], name="paid_service_once_per_branch"),
        ]

    def __str__(self):
        return localized(self, "name")


class TourRequestQuerySet(models.QuerySet):
    def closed(self):
        return self.filter(status__in=TourRequest.CLOSED)


class TourRequest(Workflow, models.Model):
    """A group's request for a tour of a library («бібліотечний туризм»), answered by its staff.

    The requester follows it by a secret link (the token) and may cancel it there; staff agree
    a date, then mark the tour done or decline the request."""

    count_forms_uk = ("заявка на екскурсію", "заявки на екскурсію", "заявок на екскурсію")

    class Kind(models.TextChoices):
        SCHOOL_CLASS = "school_class", _("Шкільний клас")
        STUDENTS = "students", _("Студенти")
        TOURISTS = "tourists", _("Туристи")
        OTHER = "other", _("Інша група")

    class Language(models.TextChoices):
        UK = "uk", _("українською")
        EN = "en", _("англійською")

    class Status(models.TextChoices):
        NEW = "new", _("Нова")
        AGREED = "agreed", _("Дату погоджено")
        DONE = "done", _("Екскурсію проведено")
        DECLINED = "declined", _("Відхилено")
        CANCELLED = "cancelled", _("Скасовано замовником")

    TRANSITIONS = {
        Status.NEW: {Status.AGREED, Status.DECLINED, Status.CANCELLED},
        Status.AGREED: {Status.AGREED, Status.DONE, Status.DECLINED, Status.CANCELLED},
        Status.DONE: set(),
        Status.DECLINED: set(),
        Status.CANCELLED: set(),
    }
    TRANSITION_REFUSAL = _("Заявку в стані «%(current)s» не можна перевести в стан «%(to)s».")
    # Requests whose personal data the retention period ends.
    CLOSED = (Status.DONE, Status.DECLINED, Status.CANCELLED)
    MAX_PEOPLE = 200

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="tour_requests",
        verbose_name=_("бібліотека"),
    )
    group_name = models.CharField(_("група"), max_length=200)
    kind = models.CharField(_("хто прийде"), max_length=16, choices=Kind.choices)
    people = models.PositiveSmallIntegerField(
        _("кількість осіб"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)]
    )
    preferred_date = models.DateField(_("бажана дата"))
    alternative_date = models.DateField(_("інша можлива дата"), null=True, blank=True)
    tour_language = models.CharField(
        _("мова екскурсії"), max_length=2, choices=Language.choices, default=Language.UK
    )
    contact_name = models.CharField(_("контактна особа"), max_length=150)
    email = models.EmailField(_("е-пошта"), max_length=254, blank=True)
    phone = PhoneField(_("телефон"), max_length=40, blank=True)
    note = models.TextField(_("побажання"), max_length=1000, blank=True)
    language = models.CharField(_("мова листування"), max_length=8, default="uk")
    consent_at = models.DateTimeField(_("згода на обробку персональних даних"))
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("стан змінено"), default=timezone.now)
    agreed_at = models.DateTimeField(_("погоджені дата й час"), null=True, blank=True)
    done_on = models.DateField(_("проведено"), null=True, blank=True, db_index=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("надіслано"), default=timezone.now, db_index=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("опрацював(ла)"),
    )

    objects = TourRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("заявка на екскурсію")
        verbose_name_plural = _("заявки на екскурсії")
        constraints = [
            models.CheckConstraint(
                condition=Q(people__gte=1, people__lte=200), name="branches_tour_people_1_200"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["agreed", "done"]) | Q(agreed_at__isnull=False),
                name="branches_tour_agreed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="branches_tour_done_has_day",
            ),
        ]

    def __str__(self):
        return str(self.audit_label)

    def get_absolute_url(self):
        return reverse("branches:tour", kwargs={"token": self.token})

    @property
    def audit_label(self):
        """How the audit log names it: by number, never by the group's or person's name."""
        return _("Заявка на екскурсію № %(number)s") % {"number": self.pk}

    def get_cancel_url(self):
        return reverse("branches:tour_cancel", kwargs={"token": self.token})

    def can_be_cancelled(self, now=None) -> bool:
        """The requester may cancel a request still open, before an agreed tour starts."""
        if self.status == self.Status.NEW:
            return True
        return self.status == self.Status.AGREED and self.agreed_at > (now or timezone.now())
