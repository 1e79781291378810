"""Reference service (довідкова служба): questions readers ask online («Запитай бібліотекаря»),
enquiries staff answer in person or by phone, readers' short feedback and short surveys.

A question is answered by a librarian of the library the reader chose; with the reader's
consent the question and answer (never the name or address) are published on /ask/.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
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


class SurveyQuerySet(models.QuerySet):
    def open(self, *, today=None):
        """Open surveys whose dates (when set) include `today`: what readers may answer."""
        today = today or timezone.localdate()
        return self.filter(
            Q(opens_on__isnull=True) | Q(opens_on__lte=today),
            Q(closes_on__isnull=True) | Q(closes_on__gte=today),
            status=Survey.Status.OPEN,
        )

    def for_branch(self, branch_id):
        """The library's own surveys and those of the whole network, the library's first."""
        return self.filter(Q(branch_id=branch_id) | Q(branch__isnull=True)).order_by(
            models.F("branch_id").asc(nulls_last=True), "-pk"
        )


class Survey(Workflow, models.Model):
    """A short survey of readers («Голос читача»): a few questions a library (or, with no
    library, the methodologists for the whole network) asks; answers are anonymous."""

    count_forms_uk = ("опитування", "опитування", "опитувань")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Чернетка")
        OPEN = "open", _("Триває")
        CLOSED = "closed", _("Завершено")

    # The workflow (reference.services.survey_transition checks it and what each move needs:
    # questions to open; no answers yet to go back to a draft).
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED, Status.DRAFT},
        Status.CLOSED: {Status.OPEN},
    }
    TRANSITION_REFUSAL = _("Опитування в стані «%(current)s» не можна перевести в стан «%(to)s».")

    title = models.CharField(_("назва"), max_length=200)
    intro = models.TextField(
        _("вступ"),
        max_length=1000,
        blank=True,
        help_text=_("Кілька слів читачеві: навіщо опитування і скільки часу займе."),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("бібліотека"),
        help_text=_("Порожньо — опитування всієї мережі."),
    )
    # Seam (no import): a survey may follow an event of the events app.
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("захід"),
        help_text=_("Якщо опитування після заходу: посилання зʼявиться на сторінці заходу."),
    )
    opens_on = models.DateField(
        _("відкрите з"), null=True, blank=True, help_text=_("Порожньо — одразу, як відкриєте.")
    )
    closes_on = models.DateField(
        _("відкрите до"), null=True, blank=True, help_text=_("Порожньо — доки не завершите.")
    )
    status = models.CharField(
        _("стан"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        db_index=True,
    )
    created_at = models.DateTimeField(_("створено"), default=timezone.now)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("опитування")
        verbose_name_plural = _("опитування читачів")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="reference_survey_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reference:survey", args=[self.pk])

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": _("Дата завершення не може бути раніше за дату початку.")}
            )

    def is_open(self, *, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and (self.opens_on is None or self.opens_on <= today)
            and (self.closes_on is None or self.closes_on >= today)
        )

    def results(self, *, branch_id=None) -> dict:
        """What readers answered, per question: counts and shares of each choice (and of each
        mark of a scale, with its average), the text answers as typed. For a network survey,
        `branch_id` keeps the answers of readers who named that library. Five queries."""
        responses = self.responses.all()
        answers = SurveyAnswer.objects.filter(response__survey=self)
        if branch_id is not None:
            responses = responses.filter(branch_id=branch_id)
            answers = answers.filter(response__branch_id=branch_id)
        total = responses.count()
        questions = list(self.questions.prefetch_related("choices"))
        counts = {}
        for question_id, choice_id, scale, value in (
            answers.exclude(question__kind=SurveyQuestion.Kind.TEXT)
            .values_list("question_id", "choice_id", "scale")
            .annotate(value=Count("id"))
            .order_by()
        ):
            counts[(question_id, choice_id or scale)] = value
        answered = dict(
            answers.values_list("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
        texts = {}
        for question_id, text in (
            answers.filter(question__kind=SurveyQuestion.Kind.TEXT)
            .values_list("question_id", "text")
            .order_by("response__created_at", "pk")
        ):
            texts.setdefault(question_id, []).append(text)
        rows = []
        for question in questions:
            respondents = answered.get(question.pk, 0)
            if question.kind == SurveyQuestion.Kind.SCALE:
                options = [(str(mark), mark) for mark in range(1, 6)]
            else:
                options = [(choice.text, choice.pk) for choice in question.choices.all()]
            lines = [
                {
                    "label": label,
                    "count": counts.get((question.pk, key), 0),
                    "share": _share(counts.get((question.pk, key), 0), respondents),
                }
                for label, key in options
            ]
            average = None
            if question.kind == SurveyQuestion.Kind.SCALE and respondents:
                marks = sum(mark * counts.get((question.pk, mark), 0) for mark in range(1, 6))
                average = round(marks / respondents, 2)
            rows.append(
                {
                    "question": question,
                    "respondents": respondents,
                    "lines": lines if question.kind != SurveyQuestion.Kind.TEXT else [],
                    "average": average,
                    "texts": texts.get(question.pk, []),
                }
            )
        return {"total": total, "questions": rows}


def _share(count: int, of: int):
    """A percentage with one decimal, or None when nobody answered."""
    return round(100 * count / of, 1) if of else None


class SurveyQuestion(models.Model):
    count_forms_uk = ("запитання опитування", "запитання опитувань", "запитань опитувань")

    class Kind(models.TextChoices):
        SCALE = "scale", _("Оцінка від 1 до 5")
        ONE = "one", _("Один варіант")
        SEVERAL = "several", _("Кілька варіантів")
        TEXT = "text", _("Коротка відповідь")

    CHOICE_KINDS = (Kind.ONE, Kind.SEVERAL)

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("опитування")
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.SCALE)
    text = models.CharField(_("запитання"), max_length=300)
    required = models.BooleanField(_("обовʼязкове"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("запитання опитування")
        verbose_name_plural = _("запитання опитувань")

    def __str__(self):
        return self.text


class SurveyChoice(models.Model):
    question = models.ForeignKey(
        SurveyQuestion,
        on_delete=models.CASCADE,
        related_name="choices",
        verbose_name=_("запитання"),
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    text = models.CharField(_("варіант"), max_length=200)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("варіант відповіді")
        verbose_name_plural = _("варіанти відповіді")

    def __str__(self):
        return self.text


class SurveyResponse(models.Model):
    """One reader's answers to a survey: anonymous, no name, address or account."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("опитування")
    )
    # The survey's library; for a network survey, the library the reader named (if any).
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("бібліотека"),
    )
    created_at = models.DateTimeField(_("надіслано"), default=timezone.now, db_index=True)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("відповідь на опитування")
        verbose_name_plural = _("відповіді на опитування")

    def __str__(self):
        return _("Відповідь № %(number)s") % {"number": self.pk}


class SurveyAnswer(models.Model):
    """The answer to one question: a mark, one chosen variant (a question with several
    variants has one row per variant chosen) or a short text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        SurveyChoice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name = _("відповідь на запитання")
        verbose_name_plural = _("відповіді на запитання")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="reference_surveyanswer_scale_1_5",
            ),
        ]

    def __str__(self):
        return str(_("Відповідь на запитання № %(number)s") % {"number": self.question_id})
