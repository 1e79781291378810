"""Public pages of the reference service: «Запитай бібліотекаря», the published answers, the
short feedback form after an event, a visit or an e-services consultation, and readers'
short surveys."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import get_language

from branches.models import Branch
from core.forms import public_form_handle
from core.pagination import page_of, query_without_page
from core.secret_links import secret_get_or_404, secret_link_page
from reference import services
from reference.forms import FeedbackForm, QuestionForm, SearchForm, SurveyForm
from reference.models import ANSWER_WORKING_DAYS, Feedback, Question, Survey

# Public forms: at most this many accepted submissions per address.
FORM_RATE = "5/h"
FEEDBACK_RATE = "20/h"
SURVEY_RATE = "20/h"
# One answer per browser: the surveys answered, in a signed cookie (no personal data).
SURVEY_COOKIE = "surveys_answered"
SURVEY_COOKIE_SALT = "reference.surveys"
SURVEY_COOKIE_AGE = 365 * 24 * 3600


def ask(request):
    # A library page links here with ?branch=<id>: that library comes chosen.
    chosen = request.GET.get("branch", "")
    initial = {"branch": chosen} if chosen.isdigit() and len(chosen) < 10 else {}
    form = QuestionForm(request.POST if request.method == "POST" else None, initial=initial)

    def create(form):
        return services.question_create(data=form.service_data(), language=get_language() or "uk")

    sent = public_form_handle(
        request, form, limit_key="reference.ask", rate=FORM_RATE, on_valid=create
    )
    if sent.accepted:
        return redirect("reference:thanks")
    return render(
        request,
        "reference/question_form.html",
        {"form": form, "limited": sent.limited, "answer_days": ANSWER_WORKING_DAYS},
        status=sent.status,
    )


def thanks(request):
    return render(request, "reference/question_thanks.html", {"answer_days": ANSWER_WORKING_DAYS})


def answers(request):
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    questions = (
        Question.objects.published()
        .select_related("branch")
        .defer("name", "email")
        .order_by("-answered_at", "-pk")
    )
    if query:
        questions = questions.matching(query)
    page = page_of(request, questions)
    return render(
        request,
        "reference/question_list.html",
        {"page": page, "search": search, "q": query, "query": query_without_page(request)},
    )


def _feedback_subject(kind, object_id):
    """(title, branch) of what the feedback is about; 404 unless a reader can rate it now."""
    if kind == Feedback.Kind.VISIT:
        branch = Branch.objects.public().filter(pk=object_id).first()
        if branch is None:
            raise Http404
        return branch.name, branch
    if kind == Feedback.Kind.EVENT:
        # Seam: feedback is asked for after an event (events.Event) is held.
        from events.models import Event

        event = Event.objects.public().select_related("branch").filter(pk=object_id).first()
        if event is None or event.status == Event.Status.CANCELLED or not event.is_over():
            raise Http404
        return event.title, event.branch
    raise Http404


def feedback(request, kind, object_id):
    if object_id > 2**31 - 1:
        raise Http404
    title, branch = _feedback_subject(kind, object_id)
    form = FeedbackForm(request.POST if request.method == "POST" else None)

    def create(form):
        return services.feedback_create(
            kind=kind,
            object_id=object_id,
            subject=title,
            branch=branch,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )

    sent = public_form_handle(
        request, form, limit_key="reference.feedback", rate=FEEDBACK_RATE, on_valid=create
    )
    if sent.accepted:
        return _feedback_thanks_redirect(branch.pk)
    return render(
        request,
        "reference/feedback_form.html",
        {"form": form, "limited": sent.limited, "title": title, "kind": Feedback.Kind(kind)},
        status=sent.status,
    )


@secret_link_page
def consultation_feedback(request, token):
    """The short feedback form mailed after an e-services consultation (egov.Booking marked
    «Прийшли»): one feedback per booking, by the link's secret token, no sign-in."""
    # Seam: feedback is asked for after a consultation of the e-services desk (egov).
    from egov.models import Booking
    from egov.services import FeedbackUnavailable, booking_feedback_claim

    booking = secret_get_or_404(
        Booking.objects.select_related("slot__branch").filter(
            status=Booking.Status.ATTENDED, anonymised_at__isnull=True
        ),
        token=token,
        field="feedback_token",
    )
    slot = booking.slot
    day = formats.date_format(timezone.localtime(slot.starts_at), "j E Y")
    title = f"{slot.get_kind_display()}, {day}"
    context = {"title": title, "kind": Feedback.Kind.CONSULTATION, "consultation": True}
    if booking.feedback_given:
        return render(request, "reference/feedback_form.html", {**context, "given": True})
    form = FeedbackForm(request.POST if request.method == "POST" else None)

    @transaction.atomic
    def create(form):
        claimed = booking_feedback_claim(token=token)
        with translation.override("uk"):
            subject = str(claimed.slot.get_kind_display())
        return services.feedback_create(
            kind=Feedback.Kind.CONSULTATION,
            object_id=claimed.slot.branch_id,
            subject=subject,
            branch=claimed.slot.branch,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )

    sent = public_form_handle(
        request,
        form,
        limit_key="reference.feedback",
        rate=FEEDBACK_RATE,
        on_valid=create,
        refusals=(FeedbackUnavailable,),
    )
    if sent.accepted:
        return _feedback_thanks_redirect(booking.slot.branch_id)
    return render(
        request,
        "reference/feedback_form.html",
        {**context, "form": form, "limited": sent.limited, "refusal": sent.error},
        status=sent.status,
    )


def _feedback_thanks_redirect(branch_id):
    """The thank-you page, told the library so it can offer that library's open survey."""
    return redirect(f"{reverse('reference:feedback_thanks')}?library={branch_id}")


def feedback_thanks(request):
    library = request.GET.get("library", "")
    survey = None
    if library.isdigit() and len(library) < 10:
        answered = _answered_surveys(request)
        survey = Survey.objects.open().for_branch(int(library)).exclude(pk__in=answered).first()
    return render(request, "reference/feedback_thanks.html", {"survey": survey})


# --- surveys -------------------------------------------------------------------------------


def _answered_surveys(request) -> set[int]:
    value = request.get_signed_cookie(
        SURVEY_COOKIE, default="", salt=SURVEY_COOKIE_SALT, max_age=SURVEY_COOKIE_AGE
    )
    return {int(part) for part in value.split(".") if part.isdigit() and len(part) < 10}


def survey_list(request):
    surveys = list(Survey.objects.open().select_related("branch").order_by("-pk"))
    answered = _answered_surveys(request)
    for survey in surveys:
        survey.answered = survey.pk in answered
    return render(request, "reference/survey_list.html", {"surveys": surveys})


def survey(request, pk):
    survey = get_object_or_404(
        Survey.objects.exclude(status=Survey.Status.DRAFT).select_related("branch"), pk=pk
    )
    context = {"survey": survey}
    if not survey.is_open():
        return render(request, "reference/survey_form.html", {**context, "closed": True})
    answered = _answered_surveys(request)
    if survey.pk in answered:
        status = 409 if request.method == "POST" else 200
        return render(
            request, "reference/survey_form.html", {**context, "given": True}, status=status
        )
    questions = list(survey.questions.prefetch_related("choices"))
    form = SurveyForm(
        request.POST if request.method == "POST" else None, survey=survey, questions=questions
    )

    def create(form):
        return services.survey_response_create(
            survey=survey, answers=form.answers(), branch=form.library()
        )

    sent = public_form_handle(
        request,
        form,
        limit_key="reference.survey",
        rate=SURVEY_RATE,
        on_valid=create,
        refusals=(services.SurveyUnavailable,),
    )
    if sent.accepted:
        response = redirect("reference:survey_thanks", pk=survey.pk)
        response.set_signed_cookie(
            SURVEY_COOKIE,
            ".".join(str(n) for n in sorted(answered | {survey.pk})[-50:]),
            salt=SURVEY_COOKIE_SALT,
            max_age=SURVEY_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(
        request,
        "reference/survey_form.html",
        {**context, "form": form, "limited": sent.limited, "refusal": sent.error},
        status=sent.status,
    )


def survey_thanks(request, pk):
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), pk=pk)
    return render(request, "reference/survey_thanks.html", {"survey": survey})
