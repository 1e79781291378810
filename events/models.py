"""Events, clubs and schools of the library network, registrations and attendance.

Every event has an organising library (`branch`) even when it is held online: the admin is
scoped by it and the plan's statistics count it there.
"""

from datetime import datetime, timedelta

from dateutil import rrule
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    When,
)
from django.db.models.functions import ExtractIsoWeekDay, TruncDate, TruncTime
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Closure, OpeningHours
from core.db import UK_COLLATION, words_match
from core.phones import PhoneField
from core.secret_links import new_token
from core.tz import KYIV
from core.workflow import Workflow


class Audience(models.TextChoices):
    CHILDREN = "children", _("Діти")
    YOUTH = "youth", _("Молодь")
    FAMILIES = "families", _("Родини")
    ADULTS = "adults", _("Дорослі")
    SENIORS = "seniors", _("Люди старшого віку")
    SPECIAL_NEEDS = "special_needs", _("Люди з особливими потребами")


class AgeRating(models.TextChoices):
    ANY = "0+", "0+"
    SIX = "6+", "6+"
    TWELVE = "12+", "12+"
    SIXTEEN = "16+", "16+"
    ADULT = "18+", "18+"


class Topic(models.Model):
    name = models.CharField(_("назва"), max_length=120, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("тема")
        verbose_name_plural = _("теми")

    def __str__(self):
        return self.name


class PartnerQuerySet(models.QuerySet):
    def with_agreement_on(self, day):
        """Partners whose agreement is in force on `day` (signed by then, not yet expired)."""
        return self.filter(agreement_date__lte=day).filter(
            Q(agreement_valid_until__isnull=True) | Q(agreement_valid_until__gte=day)
        )


class Partner(models.Model):
    """An organisation the libraries work with (plan direction 9): its kind, the agreement
    signed with it, a contact person (staff only: personal data, forgotten by the retention
    registry once the agreement has long expired) and the libraries that work with it. Joint
    events are the events that name it among their partners."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("Школа, дитячий садок")
        UNIVERSITY = "university", _("Університет, коледж")
        NGO = "ngo", _("Громадська організація")
        BUSINESS = "business", _("Підприємство, бізнес")
        AUTHORITY = "authority", _("Орган влади")
        MEDIA = "media", _("ЗМІ")
        LIBRARY = "library", _("Бібліотека")
        MUSEUM = "museum", _("Музей, заклад культури")
        CHURCH = "church", _("Релігійна громада")
        INTERNATIONAL = "international", _("Міжнародна організація, посольство")
        OTHER = "other", _("Інше")

    name = models.CharField(_("назва"), max_length=200, unique=True, db_collation=UK_COLLATION)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("сайт"), blank=True)
    branches = models.ManyToManyField(
        Branch,
        blank=True,
        related_name="partners",
        verbose_name=_("бібліотеки, що співпрацюють"),
    )
    agreement_number = models.CharField(_("номер угоди"), max_length=60, blank=True)
    agreement_date = models.DateField(
        _("угоду підписано"),
        null=True,
        blank=True,
        help_text=_("Порожньо — співпраця без письмової угоди."),
    )
    agreement_valid_until = models.DateField(
        _("угода діє до"), null=True, blank=True, help_text=_("Порожньо — безстрокова.")
    )
    agreement_file = models.FileField(_("скан угоди"), upload_to="events/partners/%Y/", blank=True)
    contact_name = models.CharField(_("контактна особа"), max_length=200, blank=True)
    contact_phone = PhoneField(_("телефон контактної особи"), max_length=20, blank=True)
    contact_email = models.EmailField(_("е-пошта контактної особи"), blank=True)
    contacts_forgotten_at = models.DateTimeField(
        _("контакти знеособлено"), null=True, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("демонстраційний"), default=False)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("партнер")
        verbose_name_plural = _("партнери")
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_valid_until__isnull=True)
                | Q(agreement_date__isnull=False)
                & Q(agreement_valid_until__gte=F("agreement_date")),
                name="partner_agreement_dates_in_order",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.agreement_valid_until and not self.agreement_date:
            raise ValidationError({"agreement_date": _("Вкажіть, коли угоду підписано.")})
        if (
            self.agreement_valid_until
            and self.agreement_date
            and self.agreement_valid_until < self.agreement_date
        ):
            raise ValidationError(
                {"agreement_valid_until": _("Угода не може закінчитися раніше, ніж її підписано.")}
            )

    def agreement_in_force(self, day=None):
        day = day or timezone.localdate()
        if self.agreement_date is None or self.agreement_date > day:
            return False
        return self.agreement_valid_until is None or self.agreement_valid_until >= day


class EventQuerySet(models.QuerySet):
    def public(self):
        """What visitors see: published, held and cancelled events (cancelled stay visible),
        each knowing whether anyone waits for a seat (see Event.seats_open)."""
        return self.exclude(status=Event.Status.DRAFT).annotate(has_waitlist=_waitlist_exists())

    def upcoming(self, *, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def at(self, branch):
        return self.filter(branch=branch)

    def matching(self, query):
        """Events whose title or description holds every word typed, in any case form."""
        return self.filter(
            words_match(query, "title_uk", "title_en", "description_uk", "description_en")
        )

    def with_library_closed(self):
        """Annotate `in_closed_library`: whether Event.library_closed() finds a reason, in
        SQL, for lists that filter or flag by it (the admin's): no query per event.

        The SQL leaves out one corner the Python rule covers: opening hours that run past
        midnight into the event's day."""
        start_time = TruncTime("starts_at", tzinfo=KYIV)
        events = self.annotate(
            closed_day=TruncDate("starts_at", tzinfo=KYIV),
            closed_weekday=ExtractIsoWeekDay("starts_at", tzinfo=KYIV) - 1,
            closed_start=start_time,
            # Until when the library must stay open: the end on a one-day event; only the
            # start on one that runs over several days.
            closed_until=Case(
                When(
                    Q(closed_day=TruncDate("ends_at", tzinfo=KYIV)),
                    then=TruncTime("ends_at", tzinfo=KYIV),
                ),
                default=start_time,
            ),
        )
        start, until = OuterRef("closed_start"), OuterRef("closed_until")
        day = OuterRef("closed_day")
        closure = Closure.objects.filter(
            Q(branch__isnull=True) | Q(branch_id=OuterRef("branch_id")),
            start_date__lte=day,
            end_date__gte=day,
        )
        hours = OpeningHours.objects.filter(branch_id=OuterRef("branch_id"))
        open_then = hours.filter(weekday=OuterRef("closed_weekday"), opens__lte=start).filter(
            Q(closes__lte=F("opens")) | Q(closes__gt=start, closes__gte=until),
            Q(break_starts__isnull=True)
            | Q(break_ends__lte=start)
            | Q(break_starts__gt=start, break_starts__gte=until),
        )
        closed = Q(is_online=False) & (
            Q(Exists(closure)) | (Q(Exists(hours)) & ~Q(Exists(open_then)))
        )
        return events.annotate(in_closed_library=ExpressionWrapper(closed, BooleanField()))

    def with_free_seats(self):
        """Events a newcomer gets a seat at: seats left and nobody already waiting for one."""
        return (
            self.filter(status=Event.Status.PUBLISHED)
            .filter(Q(capacity__isnull=True) | Q(seats_confirmed__lt=F("capacity")))
            .filter(~Exists(_waitlisted()))
        )


def _waitlisted():
    return Registration.objects.filter(
        event_id=OuterRef("pk"), status=Registration.Status.WAITLISTED
    )


def _waitlist_exists():
    return Exists(_waitlisted())


class Event(Workflow, models.Model):
    class Kind(models.TextChoices):
        WRITER_MEETING = "writer_meeting", _("Зустріч з письменником")
        PRESENTATION = "presentation", _("Презентація")
        READING_CONFERENCE = "reading_conference", _("Читацька конференція")
        FAMILY_READING = "family_reading", _("Сімейне читання")
        PATRIOTIC = "patriotic", _("Патріотичне виховання")
        EXCURSION = "excursion", _("Екскурсія, бібліотечний туризм")
        WEBINAR = "webinar", _("Вебінар")
        EXHIBITION = "exhibition", _("Виставка")
        CONTEST = "contest", _("Конкурс")
        READING_MARATHON = "reading_marathon", _("Читацький марафон")
        FILM = "film", _("Кінопоказ")
        CLUB_MEETING = "club_meeting", _("Засідання клубу")
        SCHOOL_LESSON = "school_lesson", _("Заняття школи")
        WORKSHOP = "workshop", _("Майстер-клас")
        COMMUNITY_MEETING = "community_meeting", _("Електронні послуги для громади")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Чернетка")
        PUBLISHED = "published", _("Опубліковано")
        CANCELLED = "cancelled", _("Скасовано")
        HELD = "held", _("Проведено")

    # The one table of allowed status changes; services.event_set_status checks it.
    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
        Status.PUBLISHED: {Status.CANCELLED, Status.HELD, Status.DRAFT},
        Status.CANCELLED: {Status.PUBLISHED},
        Status.HELD: set(),
    }
    TRANSITION_REFUSAL = _("Не можна змінити стан «%(old)s» на «%(new)s».")

    title = models.CharField(_("назва"), max_length=200, db_collation=UK_COLLATION)
    description = models.TextField(_("опис"), blank=True)
    kind = models.CharField(_("вид"), max_length=30, choices=Kind.choices)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("бібліотека-організатор"),
    )
    is_online = models.BooleanField(_("онлайн"), default=False)
    venue = models.CharField(
        _("місце"),
        max_length=250,
        blank=True,
        help_text=_("Зала чи інша адреса, якщо не в самій бібліотеці."),
    )
    online_url = models.URLField(
        _("посилання на трансляцію"),
        blank=True,
        help_text=_("Показується лише зареєстрованим учасникам."),
    )
    starts_at = models.DateTimeField(_("початок"))
    ends_at = models.DateTimeField(_("кінець"))
    audiences = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("для кого"),
        default=list,
        blank=True,
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="events", verbose_name=_("теми")
    )
    age_rating = models.CharField(
        _("вікове обмеження"), max_length=3, choices=AgeRating.choices, default=AgeRating.ANY
    )
    registration_required = models.BooleanField(_("потрібна реєстрація"), default=False)
    capacity = models.PositiveIntegerField(
        _("місць"), null=True, blank=True, help_text=_("Порожньо — без обмеження.")
    )
    max_seats_per_registration = models.PositiveSmallIntegerField(
        _("місць на одну реєстрацію"), default=4
    )
    registration_closes_at = models.DateTimeField(
        _("реєстрація закривається"),
        null=True,
        blank=True,
        help_text=_("Порожньо — на початку заходу."),
    )
    # Kept by services.registration_* under a row lock; the constraint below is the backstop.
    seats_confirmed = models.PositiveIntegerField(
        _("підтверджено місць"), default=0, editable=False
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="events", verbose_name=_("партнери")
    )
    closed_day_reason = models.CharField(
        _("чому попри зачинену бібліотеку"),
        max_length=250,
        blank=True,
        help_text=_(
            "Обовʼязково, якщо бібліотека в цей час зачинена (вихідний, після закриття, свято). "
            "Читачі побачать це пояснення на сторінці заходу."
        ),
    )
    image = models.ImageField(_("зображення"), upload_to="events/", blank=True)
    image_alt = models.CharField(_("опис зображення"), max_length=200, blank=True)
    status = models.CharField(
        _("стан"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    is_demo = models.BooleanField(_("демонстраційний"), default=False, editable=False)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    published_at = models.DateTimeField(_("опубліковано"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("захід")
        verbose_name_plural = _("заходи")
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_confirmed__lte=F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(max_seats_per_registration__gte=1), name="event_seats_per_reg_min_1"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        self.closed_day_reason = self.closed_day_reason.strip()
        closed = self.library_closed()
        if closed and not self.closed_day_reason:
            raise ValidationError(
                {
                    "closed_day_reason": _(
                        "Бібліотека в цей час зачинена (%(reason)s). Перенесіть захід на "
                        "робочий час або поясніть, чому він відбудеться попри це."
                    )
                    % {"reason": closed}
                }
            )
        if not closed:
            # Moved to a working hour: the explanation no longer applies.
            self.closed_day_reason = ""

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_confirmed, 0)

    @property
    def seats_open(self):
        """Seats a newcomer can still get: none while someone waits in the queue, since the
        queue goes first (a family at its head waiting for two seats is not jumped)."""
        left = self.seats_left
        if not left:
            return left
        waiting = getattr(self, "has_waitlist", None)
        if waiting is None:
            waiting = self.registrations.filter(status=Registration.Status.WAITLISTED).exists()
        return 0 if waiting else left

    def is_over(self, *, now=None):
        return self.status == self.Status.HELD or self.ends_at < (now or timezone.now())

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    def library_closed(self):
        """Why the organising library is closed at some time of the event, or "" when it is
        open throughout (or the event is online: nobody comes to the library).

        The rule club meetings follow, from the library's own hours: a dated closure of the
        library or the network, a weekly day off, or a time outside the opening hours (a
        lunch break included). An event that runs over several days (an exhibition) needs
        the library open when it starts; a shorter one for all of its time. A library whose
        hours nobody has entered yet is judged by its closures alone. Cached per instance;
        `EventQuerySet.with_library_closed` is the same rule in SQL for lists.
        """
        key = (self.branch_id, self.starts_at, self.ends_at, self.is_online)
        cached = getattr(self, "_library_closed", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        reason = self._library_closed_reason()
        self._library_closed = (key, reason)
        return reason

    def _library_closed_reason(self):
        if self.is_online or self.branch_id is None or self.starts_at is None:
            return ""
        branch = self.branch
        day = timezone.localtime(self.starts_at, KYIV).date()
        closure = branch.closure_on(day)
        if closure is not None:
            return closure.label
        hours = branch.week_schedule()
        if not any(row for _day, _label, row in hours):
            return ""
        if hours[day.weekday()][2] is None:
            return str(_("вихідний день бібліотеки"))
        status = branch.status_at(self.starts_at)
        same_day = self.ends_at is not None and timezone.localtime(self.ends_at, KYIV).date() == day
        if not status.is_open or (same_day and self.ends_at > status.closes_at):
            return str(_("поза годинами роботи бібліотеки"))
        return ""

    def registration_refusal(self, *, now=None):
        """Why nobody can sign up now, or None when they can (waitlist included)."""
        now = now or timezone.now()
        # Cancelled and past first: "just come" must never be said of a cancelled event.
        if self.status == self.Status.CANCELLED:
            return _("Захід скасовано, реєстрація неможлива.")
        if self.is_over(now=now):
            return _("Захід уже відбувся.")
        if not self.registration_required:
            return _("На цей захід реєстрація не потрібна: просто приходьте.")
        if self.status != self.Status.PUBLISHED:
            return _("Захід ще не опубліковано.")
        if now >= self.closes_at:
            return _("Реєстрацію на цей захід закрито.")
        if self.library_closed() and not self.closed_day_reason:
            # A closure announced after the event was: staff decide (move it, or say why it
            # goes ahead); until then nobody is signed up for a locked door.
            return _(
                "Бібліотека в цей час зачинена, тож реєстрацію призупинено. Стежте за "
                "оновленнями на цій сторінці."
            )
        return None

    @property
    def place_label(self):
        if self.is_online:
            return _("Онлайн")
        if self.venue:
            return self.venue
        return self.branch.address


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def phone_only(self):
        """People mail cannot reach: there is no SMS gateway, so staff phone them."""
        return self.filter(email="").exclude(phone="")


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Підтверджено")
        WAITLISTED = "waitlisted", _("У листі очікування")
        CANCELLED = "cancelled", _("Скасовано")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("захід")
    )
    name = models.CharField(_("імʼя"), max_length=150, db_collation=UK_COLLATION)
    email = models.EmailField(_("е-пошта"), blank=True)
    phone = PhoneField(_("телефон"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("обліковий запис читача"),
    )
    seats = models.PositiveSmallIntegerField(_("місць"), default=1)
    status = models.CharField(_("стан"), max_length=12, choices=Status.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("зареєстровано"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("підтверджено"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("скасовано"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("нагадано"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("відмічено прихід"), null=True, blank=True)
    consent_at = models.DateTimeField(_("згода на обробку даних"))
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True)
    # Mail goes out in the language of the page the person signed up on.
    language = models.CharField(_("мова листів"), max_length=8, default="uk", editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("реєстрація")
        verbose_name_plural = _("реєстрації")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="registration_seats_min_1"),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | Q(anonymised_at__isnull=False),
                name="registration_has_contact",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email="") & ~Q(status="cancelled"),
                name="registration_unique_email_per_event",
            ),
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=~Q(phone="") & ~Q(status="cancelled"),
                name="registration_unique_phone_per_event",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.event}"

    def get_absolute_url(self):
        return reverse("events:registration", kwargs={"token": self.token})

    @property
    def audit_label(self):
        """How the audit log names it: by number, never by the person's name."""
        return _("Реєстрація № %(number)s") % {"number": self.pk}

    @property
    def contact(self):
        return self.email or self.phone

    @property
    def ticket_number(self):
        """What the person names at the door: the registration's number, zero-padded so
        that it reads like a ticket and the door list sorts by it."""
        return f"{self.pk:06d}" if self.pk else ""

    def can_be_cancelled(self, now=None) -> bool:
        """Whether the person may still cancel through their link: not yet cancelled, and the
        event is on (published) and not over."""
        now = now or timezone.now()
        return (
            self.status != self.Status.CANCELLED
            and self.event.status == Event.Status.PUBLISHED
            and self.event.ends_at > now
        )

    def stream_link(self) -> str:
        """The online event's stream address, for confirmed registrants only: those waiting
        or cancelled get nothing, since the link is how a seat is used online."""
        if self.status != self.Status.CONFIRMED or not self.event.is_online:
            return ""
        return self.event.online_url

    def waitlist_position(self):
        """1 for the first in the queue; None unless waitlisted."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = Registration.objects.filter(
            event_id=self.event_id, status=self.Status.WAITLISTED
        ).filter(Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk))
        return ahead.count() + 1


class Attendance(models.Model):
    """Head count by audience, recorded by staff after the event."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("захід")
    )
    audience = models.CharField(_("аудиторія"), max_length=20, choices=Audience.choices)
    count = models.PositiveIntegerField(_("присутніх"))

    class Meta:
        verbose_name = _("відвідуваність")
        verbose_name_plural = _("відвідуваність")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "audience"], name="attendance_one_per_audience"
            )
        ]

    def __str__(self):
        return f"{self.get_audience_display()}: {self.count}"


class ClubQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True)

    def matching(self, query):
        """Clubs and schools whose name or description holds every word typed."""
        return self.filter(
            words_match(query, "name_uk", "name_en", "description_uk", "description_en")
        )

    def active_on(self, day):
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Club(models.Model):
    # The name after 1, 2 and 5 in Ukrainian (core.counting): pymorphy3 cannot derive it.
    count_forms_uk = ("клуб або школа", "клуби та школи", "клубів та шкіл")

    class Kind(models.TextChoices):
        CLUB = "club", _("Клуб за інтересами")
        SCHOOL = "school", _("Школа")

    class Focus(models.TextChoices):
        COMPUTER = "computer", _("Комп'ютерна грамотність")
        LANGUAGES = "languages", _("Іноземні мови")
        MEDIA = "media", _("Медіаграмотність")
        READING = "reading", _("Читання і книги")
        LOCAL_LORE = "local_lore", _("Краєзнавство")
        CRAFTS = "crafts", _("Рукоділля і творчість")
        OTHER = "other", _("Інше")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Щотижня")
        MONTHLY = "monthly", _("Щомісяця")

    name = models.CharField(_("назва"), max_length=200, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=80, unique=True)
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices)
    focus = models.CharField(_("напрям"), max_length=20, choices=Focus.choices)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="clubs", verbose_name=_("бібліотека")
    )
    leader = models.CharField(_("керівник"), max_length=150, blank=True)
    description = models.TextField(_("опис"), blank=True)
    audiences = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("для кого"),
        default=list,
        blank=True,
    )
    venue = models.CharField(_("місце"), max_length=250, blank=True)
    frequency = models.CharField(
        _("періодичність"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(
        _("кожні N тижнів / місяців"), default=1, help_text=_("1 — щотижня або щомісяця.")
    )
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("дні тижня"),
        default=list,
        blank=True,
        help_text=_("0 — понеділок … 6 — неділя."),
    )
    week_of_month = models.SmallIntegerField(
        _("тиждень місяця"),
        null=True,
        blank=True,
        help_text=_("Для щомісячних: 1–4, або -1 — останній."),
    )
    starts_at_time = models.TimeField(_("час початку"))
    duration_minutes = models.PositiveSmallIntegerField(_("тривалість, хв"), default=90)
    starts_on = models.DateField(_("перше заняття не раніше"))
    ends_on = models.DateField(_("останнє заняття не пізніше"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("учасників"), null=True, blank=True)
    is_published = models.BooleanField(_("показувати на сайті"), default=True)
    is_demo = models.BooleanField(_("демонстраційний"), default=False, editable=False)

    objects = ClubQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("клуб або школа")
        verbose_name_plural = _("клуби та школи")
        constraints = [
            models.CheckConstraint(condition=Q(interval__gte=1), name="club_interval_min_1"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="club_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:club", kwargs={"slug": self.slug})

    def rule(self):
        """The schedule as a dateutil rrule of naive local start times."""
        byweekday = sorted(set(self.weekdays)) or [self.starts_on.weekday()]
        if self.frequency == self.Frequency.MONTHLY:
            week = self.week_of_month or 1
            byweekday = [rrule.weekday(day)(week) for day in byweekday]
            freq = rrule.MONTHLY
        else:
            freq = rrule.WEEKLY
        until = datetime.combine(self.ends_on, self.starts_at_time) if self.ends_on else None
        return rrule.rrule(
            freq,
            interval=self.interval,
            byweekday=byweekday,
            dtstart=datetime.combine(self.starts_on, self.starts_at_time),
            until=until,
        )

    def skipped_dates(self):
        return {exception.date for exception in self.exceptions.all()}

    def closures(self, first, last):
        """Closures of the club's library or of the whole network overlapping [first, last].

        Lists of clubs get them in one query from `attach_closures`; a lone club asks itself.
        """
        attached = getattr(self, "_attached_closures", None)
        if attached is None:
            return list(
                Closure.objects.filter(
                    Q(branch__isnull=True) | Q(branch_id=self.branch_id),
                    end_date__gte=first,
                    start_date__lte=last,
                )
            )
        return [
            closure
            for closure in attached
            if closure.branch_id in (None, self.branch_id)
            and closure.end_date >= first
            and closure.start_date <= last
        ]

    def closed_dates(self, first, last):
        """Days in [first, last] when the club's library is closed."""
        days = set()
        for closure in self.closures(first, last):
            day = max(closure.start_date, first)
            while day <= min(closure.end_date, last):
                days.add(day)
                day += timedelta(days=1)
        return days

    def meetings_between(self, start, end):
        """Aware start datetimes of meetings in [start, end), skipped dates and days the
        library is closed left out."""
        tz = timezone.get_current_timezone()
        skipped = self.skipped_dates()
        local_start = timezone.localtime(start, tz).replace(tzinfo=None)
        local_end = timezone.localtime(end, tz).replace(tzinfo=None)
        moments = [
            moment
            for moment in self.rule().between(local_start, local_end, inc=True)
            if moment.date() not in skipped and moment < local_end
        ]
        if moments:
            closed = self.closed_dates(moments[0].date(), moments[-1].date())
            moments = [moment for moment in moments if moment.date() not in closed]
        return [timezone.make_aware(moment, tz) for moment in moments]

    def next_meetings(self, *, count=5, now=None):
        now = now or timezone.now()
        return self.meetings_between(now, now + timedelta(days=400))[:count]

    @property
    def duration(self):
        return timedelta(minutes=self.duration_minutes)


def attach_closures(clubs, *, since=None):
    """Give every club of `clubs` the closures from `since` on (all when None), fetched in
    one query for the lot, so that listing meetings costs no query per club."""
    clubs = list(clubs)
    branch_ids = {club.branch_id for club in clubs}
    if not clubs:
        return clubs
    closures = Closure.objects.filter(Q(branch__isnull=True) | Q(branch_id__in=branch_ids))
    if since is not None:
        closures = closures.filter(end_date__gte=since)
    closures = list(closures)
    for club in clubs:
        club._attached_closures = closures
    return clubs


class ClubException(models.Model):
    """A date when the club does not meet (holiday, sanitary day, leader away)."""

    club = models.ForeignKey(
        Club, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("клуб")
    )
    date = models.DateField(_("дата"))
    reason = models.CharField(_("причина"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("пропущене заняття")
        verbose_name_plural = _("пропущені заняття")
        constraints = [
            models.UniqueConstraint(fields=["club", "date"], name="club_exception_once_a_day")
        ]

    def __str__(self):
        return f"{self.club}: {self.date:%d.%m.%Y}"


class ClubAttendance(models.Model):
    """How many came to one meeting of a club or school, recorded by staff after it: what the
    plan's directions 12 and 15 count, rather than the meetings the schedule promises."""

    club = models.ForeignKey(
        Club, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("клуб")
    )
    date = models.DateField(_("дата заняття"))
    count = models.PositiveIntegerField(_("присутніх"))

    class Meta:
        ordering = ["-date"]
        verbose_name = _("відвідуваність заняття")
        verbose_name_plural = _("відвідуваність занять")
        constraints = [
            models.UniqueConstraint(fields=["club", "date"], name="club_attendance_once_a_day")
        ]

    def __str__(self):
        return f"{self.club}: {self.date:%d.%m.%Y} — {self.count}"

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": _("Відвідуваність записують після заняття, не наперед.")}
            )


class ClubMembership(models.Model):
    club = models.ForeignKey(
        Club, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("клуб")
    )
    name = models.CharField(_("імʼя"), max_length=150, db_collation=UK_COLLATION)
    email = models.EmailField(_("е-пошта"), blank=True)
    phone = PhoneField(_("телефон"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="club_memberships",
        verbose_name=_("обліковий запис читача"),
    )
    joined_on = models.DateField(_("приєднався"), default=timezone.localdate)
    left_on = models.DateField(_("вибув"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    consent_at = models.DateTimeField(_("згода на обробку даних"))
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "pk"]
        verbose_name = _("учасник")
        verbose_name_plural = _("учасники")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | Q(anonymised_at__isnull=False),
                name="membership_has_contact",
            ),
            models.UniqueConstraint(
                fields=["club", "email"],
                condition=~Q(email="") & Q(left_on__isnull=True),
                name="membership_unique_email",
            ),
            models.UniqueConstraint(
                fields=["club", "phone"],
                condition=~Q(phone="") & Q(left_on__isnull=True),
                name="membership_unique_phone",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.club}"

    @property
    def audit_label(self):
        """How the audit log names it: by number, never by the person's name."""
        return _("Учасник клубу № %(number)s") % {"number": self.pk}
