"""The e-government help desk: service guides, help requests, walk-in cases, consultation slots.

Personal data lives only in `HelpRequest` (name, contact, description) and `Booking` (name,
e-mail, phone); both are anonymised by the nightly retention run (egov/retention.py) once
closed and older than `settings.PERSONAL_DATA_RETENTION_DAYS`. Walk-in cases carry no personal
data at all.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Closure, OpeningHours
from core.db import UK_COLLATION
from core.phones import PhoneField
from core.secret_links import new_token
from core.tz import KYIV
from core.workflow import Workflow


class Topic(models.Model):
    """A state service people ask about: Дія, the Pension Fund portal, utilities payments, …"""

    name = models.CharField(_("назва"), max_length=120, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("тема")
        verbose_name_plural = _("теми")

    def __str__(self):
        return self.name


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Guide(models.Model):
    """A step-by-step guide to one online state service, reviewed by the help desk staff."""

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="guides", verbose_name=_("тема")
    )
    title = models.CharField(_("назва"), max_length=200, db_collation=UK_COLLATION)
    slug = models.SlugField(_("код"), max_length=80, unique=True)
    summary = models.TextField(_("коротко"), max_length=600)
    steps = models.TextField(_("кроки"), help_text=_("Один крок — один рядок."))
    what_to_bring = models.TextField(
        _("що взяти з собою"), blank=True, help_text=_("Один пункт — один рядок.")
    )
    last_reviewed = models.DateField(_("востаннє перевірено"))
    is_published = models.BooleanField(_("опубліковано"), default=True)
    search_document = SearchVectorField(null=True, editable=False)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["topic__position", "title"]
        verbose_name = _("інструкція")
        verbose_name_plural = _("інструкції")
        indexes = [GinIndex(fields=["search_document"], name="egov_guide_search_gin")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("egov:guide_detail", kwargs={"slug": self.slug})

    @property
    def step_list(self):
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def bring_list(self):
        return [line.strip() for line in self.what_to_bring.splitlines() if line.strip()]


class GuideLink(models.Model):
    """An official site the guide sends people to (diia.gov.ua, portal.pfu.gov.ua, …)."""

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="links", verbose_name=_("інструкція")
    )
    title = models.CharField(_("назва"), max_length=150)
    url = models.URLField(_("адреса"))
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["guide", "position", "pk"]
        verbose_name = _("офіційне посилання")
        verbose_name_plural = _("офіційні посилання")

    def __str__(self):
        return self.title

    @property
    def host(self):
        """The site's address as people should check it in the browser: fake sites imitate
        state portals, so the page shows where each link really leads."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


class HelpRequestQuerySet(models.QuerySet):
    def closed(self):
        return self.filter(status__in=HelpRequest.CLOSED)

    def for_staff(self, branch_id):
        return self if branch_id is None else self.filter(branch_id=branch_id)


class HelpRequest(Workflow, models.Model):
    """A citizen's request for help with an online service, handled by one library."""

    class Status(models.TextChoices):
        NEW = "new", _("Нова")
        SCHEDULED = "scheduled", _("Призначено зустріч")
        DONE = "done", _("Виконано")
        CANCELLED = "cancelled", _("Скасовано")
        NO_SHOW = "no_show", _("Не прийшли")

    CLOSED = (Status.DONE, Status.CANCELLED, Status.NO_SHOW)
    # The workflow: from each state, where staff may move it (help_request_transition).
    TRANSITIONS = {
        Status.NEW: {Status.SCHEDULED, Status.DONE, Status.CANCELLED},
        Status.SCHEDULED: {Status.SCHEDULED, Status.DONE, Status.CANCELLED, Status.NO_SHOW},
        Status.DONE: set(),
        Status.CANCELLED: set(),
        Status.NO_SHOW: set(),
    }
    TRANSITION_REFUSAL = _("Запит у стані «%(from)s» не можна перевести в стан «%(to)s».")

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="requests", verbose_name=_("тема")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="egov_requests", verbose_name=_("бібліотека")
    )
    preferred_time = models.CharField(_("зручний час"), max_length=120, blank=True)
    name = models.CharField(_("імʼя"), max_length=120, db_collation=UK_COLLATION)
    contact = models.CharField(
        _("телефон або е-пошта"), max_length=120, help_text=_("Як з вами звʼязатися.")
    )
    description = models.TextField(_("з чим потрібна допомога"), max_length=1000, blank=True)
    consent_at = models.DateTimeField(_("згода на обробку персональних даних"))
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="egov_requests",
        verbose_name=_("відповідальний"),
    )
    scheduled_for = models.DateTimeField(_("зустріч призначено на"), null=True, blank=True)
    outcome = models.TextField(_("результат"), blank=True)
    minutes_spent = models.PositiveSmallIntegerField(_("витрачено хвилин"), null=True, blank=True)
    created_at = models.DateTimeField(_("надійшла"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("закрито"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True)
    is_demo = models.BooleanField(_("демонстраційна"), default=False)
    # Mail goes out in the language of the page the request was sent from.
    language = models.CharField(_("мова листів"), max_length=8, default="uk", editable=False)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("запит на допомогу")
        verbose_name_plural = _("запити на допомогу")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
                name="egov_scheduled_request_has_a_time",
            ),
        ]

    def __str__(self):
        return _("Запит № %(number)s") % {"number": self.pk}

    @property
    def audit_label(self):
        """Marks it as holding personal data (core.admin_views, core.retention); its name
        already has no person in it."""
        return str(self)

    @property
    def is_closed(self):
        return self.status in self.CLOSED


class WalkIn(models.Model):
    """A case solved at the desk without a request: no personal data, only what it took."""

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="walk_ins", verbose_name=_("тема")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="egov_walk_ins", verbose_name=_("бібліотека")
    )
    date = models.DateField(_("дата"), default=timezone.localdate, db_index=True)
    minutes = models.PositiveSmallIntegerField(_("хвилин"))
    resolved = models.BooleanField(_("вирішено"), default=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("записав"),
    )
    # When it was typed in (Kyiv «today» decides whether its author may still correct it);
    # empty for cases logged before the time was kept, which stay as they are.
    logged_at = models.DateTimeField(
        _("записано о"), default=timezone.now, null=True, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("демонстраційний"), default=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("звернення без запису")
        verbose_name_plural = _("звернення без запису")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=480), name="egov_walk_in_minutes_sane"
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} · {self.topic} · {self.minutes} хв"

    def is_correctable_by(self, user, *, today=None) -> bool:
        """Its author may correct or delete it on the day it was logged, and nobody else: the
        numbers feed the yearly report, and later changes would go unseen."""
        today = today or timezone.localdate(timezone=KYIV)
        return (
            user is not None
            and self.logged_by_id == user.pk
            and self.logged_at is not None
            and timezone.localdate(self.logged_at, KYIV) == today
        )


class SlotQuerySet(models.QuerySet):
    def upcoming(self, *, now=None):
        return self.filter(starts_at__gt=now or timezone.now(), is_published=True)

    def with_closed_day(self):
        """Annotate `closed_day`: the library (or the whole network) is closed on the slot's day.

        A closure is often entered after the slots were published (a sudden repair, a holiday
        moved by decree); such slots stay in the back office, flagged, but nobody is offered them.
        """
        closed = Closure.objects.filter(
            Q(branch=OuterRef("branch")) | Q(branch__isnull=True),
            start_date__lte=OuterRef("local_day"),
            end_date__gte=OuterRef("local_day"),
        )
        return self.alias(local_day=TruncDate("starts_at", tzinfo=KYIV)).annotate(
            closed_day=Exists(closed)
        )

    def on_open_days(self):
        return self.with_closed_day().filter(closed_day=False)

    def free(self, *, now=None):
        return (
            self.upcoming(now=now)
            .on_open_days()
            .exclude(bookings__status__in=Booking.HOLDING_STATUSES)
        )


class Slot(models.Model):
    """A consultation time a library publishes; one citizen books it."""

    # The name after 1, 2 and 5 in Ukrainian (core.counting): pymorphy3 cannot derive it.
    count_forms_uk = ("час консультації", "часи консультацій", "часів консультацій")

    class Kind(models.TextChoices):
        DIIA = "diia", _("Допомога з Дією")
        PENSION = "pension", _("Портал Пенсійного фонду")
        LEGAL = "legal", _("Юридична консультація")
        GENERAL = "general", _("Електронні послуги загалом")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="egov_slots", verbose_name=_("бібліотека")
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("початок"), db_index=True)
    ends_at = models.DateTimeField(_("кінець"))
    consultant = models.CharField(
        _("консультант"),
        max_length=150,
        blank=True,
        help_text=_("Наприклад: юрист-партнер ГО «Правова допомога»."),
    )
    is_published = models.BooleanField(_("опубліковано"), default=True)
    is_demo = models.BooleanField(_("демонстраційний"), default=False)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "branch"]
        verbose_name = _("час консультації")
        verbose_name_plural = _("час консультацій")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="egov_slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["branch", "kind", "starts_at"], name="egov_one_slot_per_kind_and_time"
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()} · {local:%d.%m.%Y %H:%M}"

    @property
    def local_day(self):
        return timezone.localtime(self.starts_at, KYIV).date()

    def closure(self):
        """The dated closure of the library on the slot's day, if any."""
        return self.branch.closure_on(self.local_day)

    def is_bookable(self, now=None) -> bool:
        """Whether a citizen can book it now: published, not started, the library open that
        day, and nobody holding it already."""
        now = now or timezone.now()
        return (
            self.is_published
            and self.starts_at > now
            and self.closure() is None
            and not self.bookings.filter(status__in=Booking.HOLDING_STATUSES).exists()
        )

    def closed_reason(self) -> str | None:
        """Why the library is closed for (part of) this slot, in Ukrainian; None when open.

        The slot must fit in one opening interval of its day: not on a dated closure, not over
        the lunch break, not before opening or after closing. A library that has not entered
        its weekly hours yet is judged by its closures only.
        """
        day = self.local_day
        date_label = formats.date_format(day, "j E")
        closure = self.closure()
        if closure is not None:
            return _("%(date)s бібліотека зачинена: %(reason)s.") % {
                "date": date_label,
                "reason": closure.label.rstrip("."),
            }
        if not any(row for _day, _label, row in self.branch.week_schedule()):
            return None
        intervals = self.branch.intervals_on(day)
        if any(start <= self.starts_at and self.ends_at <= end for start, end in intervals):
            return None
        if not intervals:
            return _("%(date)s (%(weekday)s) бібліотека не працює.") % {
                "date": date_label,
                "weekday": OpeningHours.Weekday(day.weekday()).label,
            }
        hours = ", ".join(
            f"{timezone.localtime(start, KYIV):%H:%M}–{timezone.localtime(end, KYIV):%H:%M}"
            for start, end in intervals
        )
        return _("%(date)s бібліотека працює лише %(hours)s.") % {
            "date": date_label,
            "hours": hours,
        }


class Booking(models.Model):
    """A citizen's booking of a slot. The secret token is the cancel link's key."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Заброньовано")
        CANCELLED = "cancelled", _("Скасовано")
        ATTENDED = "attended", _("Прийшли")
        NO_SHOW = "no_show", _("Не прийшли")

    # Statuses that keep the slot taken; a cancelled booking frees it for someone else.
    HOLDING_STATUSES = (Status.BOOKED, Status.ATTENDED, Status.NO_SHOW)

    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("час")
    )
    name = models.CharField(_("імʼя"), max_length=120, db_collation=UK_COLLATION)
    email = models.EmailField(_("е-пошта"), blank=True)
    phone = PhoneField(_("телефон"), max_length=40, blank=True)
    note = models.CharField(_("з чим потрібна допомога"), max_length=300, blank=True)
    language = models.CharField(_("мова листів"), max_length=8, default="uk")
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The key of the feedback link mailed once the citizen came (reference.Feedback); the
    # feedback itself is not linked to the booking, only this mark that it was given.
    feedback_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    feedback_given = models.BooleanField(_("відгук залишено"), default=False, editable=False)
    created_at = models.DateTimeField(_("заброньовано"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("скасовано"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("нагадування надіслано"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True)
    is_demo = models.BooleanField(_("демонстраційне"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("бронювання")
        verbose_name_plural = _("бронювання")
        constraints = [
            # The database's word that a slot is never held by two bookings, whatever the code.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "attended", "no_show"]),
                name="egov_one_holding_booking_per_slot",
            ),
        ]

    def __str__(self):
        return _("Бронювання № %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("egov:booking_detail", kwargs={"token": self.token})

    @property
    def audit_label(self):
        """Marks it as holding personal data (core.admin_views, core.retention); its name
        already has no person in it."""
        return str(self)

    def get_cancel_url(self):
        return reverse("egov:booking_cancel", kwargs={"token": self.token})

    def can_be_cancelled(self, now=None) -> bool:
        """Whether the citizen may still cancel through their link: booked, not started."""
        return self.status == self.Status.BOOKED and self.slot.starts_at > (now or timezone.now())
