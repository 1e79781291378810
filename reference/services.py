"""Actions of the reference service: a reader's question, its answer and publication, the
enquiries log, readers' feedback and survey answers, a survey's workflow, and forgetting
readers' names and addresses."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log, audit_status_message
from core.mail import mail_send
from core.retention import audit_forget
from reference.models import (
    ANSWER_WORKING_DAYS,
    Enquiry,
    Feedback,
    Question,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    add_working_days,
)


@transaction.atomic
def question_create(*, data: dict, language: str, now=None) -> Question:
    """A reader's question from the public form; the answer is promised in working days."""
    now = now or timezone.now()
    return Question.objects.create(
        **data,
        language=language,
        consent_at=now,
        created_at=now,
        status_changed_at=now,
        due_at=add_working_days(timezone.localtime(now), ANSWER_WORKING_DAYS),
    )


def _move(question: Question, to, *, acting_user, now, note: str = "") -> None:
    current = Question.Status(question.status)
    question.transition_check(to)
    question.status = to
    question.status_changed_at = now
    question.save()
    audit_log(
        user=acting_user,
        obj=question,
        message=audit_status_message(question, current, to),
        note=note,
    )


@transaction.atomic
def question_answer(*, question: Question, text: str, acting_user, publish: bool) -> Question:
    """Answer a new question: the answer is mailed to the reader in the language of their
    question and, when they agreed to it and `publish` is set, the Q&A appears on /ask/."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Напишіть відповідь."), code="no_answer")
    if publish and not question.publish_consent:
        raise ValidationError(
            _("Читач не погодився на публікацію: відповідь можна лише надіслати."),
            code="no_consent",
        )
    now = timezone.now()
    question.answer = text
    question.answered_at = now
    question.answered_by = acting_user
    _move(question, Question.Status.ANSWERED, acting_user=acting_user, now=now)
    if publish:
        _move(question, Question.Status.PUBLISHED, acting_user=acting_user, now=now)
    mail_send(
        to=question.email,
        template="reference/mail/answer",
        context={"question": question},
        language=question.language,
    )
    return question


@transaction.atomic
def question_change_status(*, question: Question, to: str, acting_user, note: str = "") -> Question:
    """Publish an answered question (with the reader's consent) or close one."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    to = Question.Status(to)
    if to == Question.Status.ANSWERED:
        raise ValidationError(_("Щоб відповісти, напишіть відповідь."), code="no_answer")
    if to == Question.Status.PUBLISHED and not question.publish_consent:
        raise ValidationError(_("Читач не погодився на публікацію."), code="no_consent")
    _move(question, to, acting_user=acting_user, now=timezone.now(), note=note)
    return question


def questions_anonymise(*, before) -> int:
    """Forget the names and e-mails of questions answered or closed before `before`; the
    question and answer stay (published ones carry no personal data)."""
    questions = list(
        Question.objects.filter(
            status__in=Question.DONE, status_changed_at__lt=before, anonymised_at__isnull=True
        ).select_for_update()
    )
    audit_forget(questions, words=[w for q in questions for w in (q.name, q.email)])
    return Question.objects.filter(pk__in=[q.pk for q in questions]).update(
        name="", email="", anonymised_at=timezone.now()
    )


@transaction.atomic
def enquiry_log(*, data: dict, acting_user) -> Enquiry:
    return Enquiry.objects.create(**data, logged_by=acting_user)


def feedback_create(*, kind: str, object_id: int, subject: str, branch, rating: int, comment: str):
    return Feedback.objects.create(
        kind=kind,
        object_id=object_id,
        subject=subject[:300],
        branch=branch,
        rating=rating,
        comment=comment,
    )


# --- surveys ---------------------------------------------------------------------------------


class SurveyUnavailable(Exception):
    """The survey stopped taking answers while the reader was filling it in."""


def _survey_ready_check(survey: Survey) -> None:
    """A survey opens with at least one question, and every question with variants has two."""
    questions = list(survey.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError(
            _("Додайте хоча б одне запитання, перш ніж відкривати опитування."),
            code="no_questions",
        )
    thin = [
        question.text
        for question in questions
        if question.kind in SurveyQuestion.CHOICE_KINDS and len(question.choices.all()) < 2
    ]
    if thin:
        raise ValidationError(
            _("Запитанню «%(text)s» потрібні щонайменше два варіанти відповіді.")
            % {"text": thin[0]},
            code="too_few_choices",
        )


@transaction.atomic
def survey_transition(*, survey: Survey, to: str, acting_user) -> Survey:
    """Open, close, reopen a survey or take it back to a draft (Survey.TRANSITIONS). Opening
    needs questions; a survey readers have answered never goes back to a draft, so its
    questions stay as they were asked."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    to = Survey.Status(to)
    current = Survey.Status(survey.status)
    survey.transition_check(to)
    if to == Survey.Status.OPEN:
        _survey_ready_check(survey)
    if to == Survey.Status.DRAFT and survey.responses.exists():
        raise ValidationError(
            _("Читачі вже відповідали: опитування не можна повернути в чернетку."),
            code="answered",
        )
    survey.status = to
    survey.save(update_fields=["status"])
    audit_log(user=acting_user, obj=survey, message=audit_status_message(survey, current, to))
    return survey


@transaction.atomic
def survey_response_create(
    *, survey: Survey, answers: dict, branch=None, now=None
) -> SurveyResponse:
    """Save one reader's anonymous answers. `answers` maps each question to its answer: a mark
    (int) for a scale, a SurveyChoice for one variant, a list of them for several, a text.
    Empty answers are left out. `branch` is the library a reader of a network survey named;
    a library's survey always counts for that library."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_open():
        raise SurveyUnavailable(_("Опитування вже завершено: відповіді більше не приймаються."))
    response = SurveyResponse.objects.create(
        survey=survey,
        branch_id=survey.branch_id or (branch.pk if branch else None),
        created_at=now or timezone.now(),
    )
    rows = []
    for question, value in answers.items():
        if question.survey_id != survey.pk or value in (None, "", []):
            continue
        kind = question.kind
        if kind == SurveyQuestion.Kind.SCALE:
            rows.append(SurveyAnswer(response=response, question=question, scale=int(value)))
        elif kind == SurveyQuestion.Kind.ONE:
            rows.append(SurveyAnswer(response=response, question=question, choice=value))
        elif kind == SurveyQuestion.Kind.SEVERAL:
            rows += [
                SurveyAnswer(response=response, question=question, choice=choice)
                for choice in value
            ]
        else:
            rows.append(SurveyAnswer(response=response, question=question, text=str(value)))
    SurveyAnswer.objects.bulk_create(rows)
    return response
