"""Reference service (довідкова служба): questions readers ask online («Запитай бібліотекаря»),
enquiries staff answer in person or by phone, and readers' short feedback.

A question is answered by a librarian of the library the reader chose; with the reader's
consent the question and answer (never the name or address) are published on /ask/.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.db import words_match
from core.workflow import Workflow

# The answer time promised on the form, in working days (Monday to Friday).
ANSWER_WORKING_DAYS = 2


def add_working_days(moment, days: int):
    """`moment` moved on by `days` working days; a weekend does not count."""
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


class Topic(models.TextChoices):
    REFERENCE = "reference", _("Довідка, пошук літератури")
    LOCAL_LORE = "local_lore", _("Краєзнавство")
    E_SERVICES = "e_services", _("Електронні послуги")


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def matching(self, query):
        """Published questions whose question or answer holds every word typed, in any form."""
        return self.filter(words_match(query, "text", "answer"))

    def overdue(self, *, now=None):
        return self.filter(status=Question.Status.NEW, due_at__lt=now or timezone.now())


class Question(Workflow, models.Model):
    """«Запитай бібліотекаря»: a reader's question and the library's answer."""

    count_forms_uk = ("запитання читача", "запитання читачів", "запитань читачів")

    class Status(models.TextChoices):
        NEW = "new", _("Нове")
        ANSWERED = "answered", _("Відповідь надіслано")
        PUBLISHED = "published", _("Опубліковано")
        CLOSED = "closed", _("Закрито")

    TRANSITIONS = {
        Status.NEW: {Status.ANSWERED, Status.CLOSED},
        Status.ANSWERED: {Status.PUBLISHED, Status.CLOSED},
        Status.PUBLISHED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    TRANSITION_REFUSAL = _("Запитання в стані «%(current)s» не можна перевести в стан «%(to)s».")
    # Answered questions whose personal data the retention period ends.
    DONE = (Status.ANSWERED, Status.PUBLISHED, Status.CLOSED)

    topic = models.CharField(_("тема"), max_length=16, choices=Topic.choices)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="reader_questions",
        verbose_name=_("бібліотека"),
    )
    name = models.CharField(_("імʼя читача"), max_length=150, blank=True)
    email = models.EmailField(_("е-пошта"), max_length=254, blank=True)
    text = models.TextField(_("запитання"), max_length=3000)
    language = models.CharField(_("мова листування"), max_length=8, default="uk")
    publish_consent = models.BooleanField(
        _("читач погодився на публікацію запитання й відповіді"), default=False
    )
    consent_at = models.DateTimeField(_("згода на обробку персональних даних"))
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("стан змінено"), default=timezone.now)
    due_at = models.DateTimeField(_("відповісти до"))
    answer = models.TextField(_("відповідь"), max_length=10000, blank=True)
    answered_at = models.DateTimeField(_("відповідь надіслано"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("відповів(ла)"),
    )
    created_at = models.DateTimeField(_("надіслано"), default=timezone.now, db_index=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("запитання читача")
        verbose_name_plural = _("запитання читачів")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new") | Q(status="closed") | ~Q(answer=""),
                name="reference_question_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_consent=True),
                name="reference_question_published_with_consent",
            ),
        ]

    def __str__(self):
        return str(self.audit_label)

    @property
    def audit_label(self):
        """How the audit log names it: by number, never by the reader's name."""
        return _("Запитання № %(number)s") % {"number": self.pk}

    def is_overdue(self, *, now=None):
        return self.status == self.Status.NEW and self.due_at < (now or timezone.now())


class Enquiry(models.Model):
    """One reference enquiry (довідка) answered in person, by phone or online, logged by staff
    for the 6-НК report; no personal data."""

    count_forms_uk = ("довідка", "довідки", "довідок")

    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Тематична")
        FACTUAL = "factual", _("Фактографічна")
        ADDRESS = "address", _("Адресна")
        CLARIFYING = "clarifying", _("Уточнювальна")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("Особисто")
        PHONE = "phone", _("Телефоном")
        ONLINE = "online", _("Онлайн")

    kind = models.CharField(
        _("вид довідки"), max_length=16, choices=Kind.choices, default=Kind.THEMATIC
    )
    channel = models.CharField(
        _("спосіб звернення"), max_length=16, choices=Channel.choices, default=Channel.IN_PERSON
    )
    topic = models.CharField(_("тема"), max_length=200)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="enquiries", verbose_name=_("бібліотека")
    )
    date = models.DateField(_("дата"), default=timezone.localdate, db_index=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("вніс(внесла)"),
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("довідка")
        verbose_name_plural = _("журнал довідок")

    def __str__(self):
        return f"{self.date:%d.%m.%Y} — {self.topic}"


class Feedback(models.Model):
    """A reader's short anonymous feedback: a mark from 1 to 5 and a comment."""

    count_forms_uk = ("відгук", "відгуки", "відгуків")

    class Kind(models.TextChoices):
        EVENT = "event", _("Захід")
        VISIT = "visit", _("Відвідування бібліотеки")
        CONSULTATION = "consultation", _("Консультація з електронних послуг")

    kind = models.CharField(_("про що"), max_length=16, choices=Kind.choices)
    # The event's id for an event; the library's for a visit and for a consultation (a
    # consultation's feedback is not linked to the citizen's booking: the booking only keeps
    # that it was given, see egov.services.booking_feedback_claim).
    object_id = models.PositiveIntegerField(_("номер"))
    subject = models.CharField(_("назва"), max_length=300, blank=True)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("бібліотека")
    )
    rating = models.PositiveSmallIntegerField(
        _("оцінка"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("коментар"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("надіслано"), default=timezone.now, db_index=True)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("відгук")
        verbose_name_plural = _("відгуки")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="reference_feedback_rating_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.subject} — {self.rating}"
