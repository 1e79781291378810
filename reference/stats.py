"""Numbers the strategy dashboards read (contract: docs/stats.md).

- «reference.enquiries»: reference enquiries (довідки) of the year per library: those staff
  logged (in person, by phone, online) plus readers' online questions answered («Запитай
  бібліотекаря»), by the date of the enquiry or of the answer. The 6-НК «довідки» row.
- «reference.questions»: online questions answered in the year.
- «reference.feedback_avg»: the average mark (1–5) of readers' feedback in the year; an
  average, so not additive: the network figure is the average over all marks.
- «reference.survey_answers»: readers' answers to short surveys in the year (one reader's
  filled-in survey is one answer), for the survey's library or, in a network survey, the
  library the reader named; not additive: network answers that name no library count in the
  network figure only. Readers' voice: it serves the plan's directions that ask readers what
  they want (6, 9, 11, 16), as the feedback average does; linking it to a direction is the
  plan's own data (strategy), not done here.
"""

from django.db.models import Avg, Count, IntegerField, Value
from django.db.models.functions import ExtractYear, Round
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from reference.models import Enquiry, Feedback, Question, SurveyResponse


def _counts(queryset, *, year_expr, years, branch_ids):
    queryset = queryset.annotate(year=year_expr).filter(year__in=list(years))
    if branch_ids is not None:
        queryset = queryset.filter(branch_id__in=list(branch_ids))
    return queryset.values_list("branch_id", "year").annotate(value=Count("id")).order_by()


def questions(*, years, branch_ids=None):
    rows = _counts(
        Question.objects.filter(answered_at__isnull=False),
        year_expr=ExtractYear("answered_at"),
        years=years,
        branch_ids=branch_ids,
    )
    return {(branch_id, year): value for branch_id, year, value in rows}


def enquiries(*, years, branch_ids=None):
    logged = _counts(
        Enquiry.objects.all(), year_expr=ExtractYear("date"), years=years, branch_ids=branch_ids
    )
    answered = _counts(
        Question.objects.filter(answered_at__isnull=False),
        year_expr=ExtractYear("answered_at"),
        years=years,
        branch_ids=branch_ids,
    )
    totals = {}
    # One statement: both counts as a UNION ALL, summed here.
    for branch_id, year, value in logged.union(answered, all=True):
        totals[(branch_id, year)] = totals.get((branch_id, year), 0) + value
    return totals


def feedback_avg(*, years, branch_ids=None):
    marks = Feedback.objects.annotate(year=ExtractYear("created_at")).filter(year__in=list(years))
    if branch_ids is not None:
        marks = marks.filter(branch_id__in=list(branch_ids))
    per_branch = (
        marks.values("branch_id", "year")
        .annotate(value=Round(Avg("rating"), 2))
        .values_list("branch_id", "year", "value")
        .order_by()
    )
    network = (
        marks.annotate(network=Value(None, output_field=IntegerField()))
        .values("network", "year")
        .annotate(value=Round(Avg("rating"), 2))
        .values_list("network", "year", "value")
        .order_by()
    )
    return {
        (branch_id, year): value for branch_id, year, value in per_branch.union(network, all=True)
    }


def survey_answers(*, years, branch_ids=None):
    answers = SurveyResponse.objects.annotate(year=ExtractYear("created_at")).filter(
        year__in=list(years)
    )
    if branch_ids is not None:
        answers = answers.filter(branch_id__in=list(branch_ids))
    per_branch = (
        answers.filter(branch__isnull=False)
        .values_list("branch_id", "year")
        .annotate(value=Count("id"))
        .order_by()
    )
    network = (
        answers.annotate(network=Value(None, output_field=IntegerField()))
        .values("network", "year")
        .annotate(value=Count("id"))
        .values_list("network", "year", "value")
        .order_by()
    )
    return {
        (branch_id, year): value for branch_id, year, value in per_branch.union(network, all=True)
    }


COMPUTED: dict[str, Indicator] = {
    "reference.enquiries": Indicator(
        label=_("Довідки"),
        unit=_("довідок"),
        func=enquiries,
        counts=_(
            "Довідки з журналу довідок (особисто, телефоном, онлайн) і запитання «Запитай "
            "бібліотекаря», на які надіслано відповідь, за датою довідки чи відповіді."
        ),
    ),
    "reference.questions": Indicator(
        label=_("Відповіді на запитання «Запитай бібліотекаря»"),
        unit=_("відповідей"),
        func=questions,
        counts=_("Запитання читачів на сайті, на які бібліотекар надіслав відповідь."),
    ),
    "reference.feedback_avg": Indicator(
        label=_("Середня оцінка читачів"),
        unit=_("балів з 5"),
        func=feedback_avg,
        additive=False,
        counts=_(
            "Середня оцінка (від 1 до 5) у відгуках читачів після заходів, відвідувань і "
            "консультацій з електронних послуг; для мережі — середня з усіх оцінок."
        ),
    ),
    "reference.survey_answers": Indicator(
        label=_("Відповіді читачів на опитування"),
        unit=_("відповідей"),
        func=survey_answers,
        additive=False,
        counts=_(
            "Заповнені читачами короткі опитування (одна людина, що відповіла, — одна "
            "відповідь), за бібліотекою опитування або, в опитуванні мережі, бібліотекою, яку "
            "назвав читач; для мережі — усі відповіді, і ті, де бібліотеку не названо."
        ),
    ),
}
