"""Numbers of the strategy app itself, in the same shape as the other apps' stats.py: staff
training (plan directions 5 and 10), grant applications (2) and income outside the budget (1)."""

from decimal import Decimal
from functools import partial

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffProfile
from core.stats import Indicator
from strategy.models import ExtraIncome, GrantApplication, StudyTrip, TrainingRecord

HOURS = Decimal("0.1")


def _training(years, branch_ids):
    records = TrainingRecord.objects.annotate(stat_year=ExtractYear("date")).filter(
        stat_year__in=sorted(set(years))
    )
    if branch_ids is not None:
        records = records.filter(branch__in=list(branch_ids))
    return records.values("branch", "stat_year").order_by()


def training_hours(*, years, branch_ids=None):
    rows = _training(years, branch_ids).annotate(total=Sum("hours"))
    return {(row["branch"], row["stat_year"]): row["total"] for row in rows}


def trained_staff(*, years, branch_ids=None):
    """People trained in the year; a person with three webinars counts once per library."""
    rows = _training(years, branch_ids).annotate(total=Count("person", distinct=True))
    return {(row["branch"], row["stat_year"]): row["total"] for row in rows}


def training_hours_per_staff(*, years, branch_ids=None):
    """Hours of training in the year divided by the library's staff: the staff profiles of
    the library on the portal today (the portal keeps no history of who worked where). The
    network figure divides all hours by all staff of the libraries. Two queries."""
    hours = training_hours(years=years, branch_ids=branch_ids)
    staff = StaffProfile.objects.filter(branch__isnull=False)
    if branch_ids is not None:
        staff = staff.filter(branch__in=list(branch_ids))
    headcount = dict(
        staff.values("branch").annotate(total=Count("pk")).order_by().values_list("branch", "total")
    )
    result = {}
    for (branch_id, year), total in hours.items():
        if headcount.get(branch_id):
            result[(branch_id, year)] = (total / headcount[branch_id]).quantize(HOURS)
    everyone = sum(headcount.values())
    if everyone:
        for year in set(years):
            total = sum((v for (b, y), v in hours.items() if y == year and b in headcount), 0)
            result[(None, year)] = (Decimal(total) / everyone).quantize(HOURS)
    return result


def study_trips(*, years, branch_ids=None):
    """Study trips by the library that sent staff and the year of the trip."""
    rows = _scoped(StudyTrip.objects.all(), years, "date", branch_ids)
    return _by_branch_and_year(rows, "date", Count("pk"))


def _by_branch_and_year(rows, date_field, value):
    rows = (
        rows.annotate(stat_year=ExtractYear(date_field))
        .values("branch", "stat_year")
        .annotate(total=value)
        .order_by()
    )
    return {(row["branch"], row["stat_year"]): row["total"] for row in rows if row["total"]}


def _scoped(rows, years, date_field, branch_ids):
    rows = rows.filter(**{f"{date_field}__year__in": sorted(set(years))})
    return rows if branch_ids is None else rows.filter(branch__in=list(branch_ids))


def grants_applied(*, years, branch_ids=None):
    """Applications submitted in the year (by the date they went to the funder)."""
    rows = _scoped(GrantApplication.objects.submitted(), years, "submitted_on", branch_ids)
    return _by_branch_and_year(rows, "submitted_on", Count("pk"))


def grants_won(*, years, branch_ids=None):
    """Applications the funder supported, in the year of its decision."""
    rows = _scoped(GrantApplication.objects.won(), years, "decided_on", branch_ids)
    return _by_branch_and_year(rows, "decided_on", Count("pk"))


def grants_amount(*, years, branch_ids=None):
    """Money received for supported applications, in the year of the decision."""
    rows = _scoped(GrantApplication.objects.won(), years, "decided_on", branch_ids)
    return _by_branch_and_year(rows, "decided_on", Sum("amount_won"))


def extra_income(*, years, branch_ids=None, kind):
    rows = _scoped(ExtraIncome.objects.filter(kind=kind), years, "date", branch_ids)
    return _by_branch_and_year(rows, "date", Sum("amount"))


COMPUTED: dict[str, Indicator] = {
    "strategy.grants_applied": Indicator(
        label=_("Подано грантових заявок"),
        unit=_("заявок"),
        func=grants_applied,
        counts=_("Заявки з реєстру грантових заявок, подані грантодавцю в цьому році."),
    ),
    "strategy.grants_won": Indicator(
        label=_("Підтримано грантових заявок"),
        unit=_("заявок"),
        func=grants_won,
        counts=_("Заявки зі станом «Підтримано» або «Звіт здано», за роком рішення."),
    ),
    "strategy.grants_amount": Indicator(
        label=_("Отримано коштів за грантами"),
        unit=_("грн"),
        func=grants_amount,
        counts=_("Отримані суми підтриманих заявок, за роком рішення грантодавця."),
    ),
    **{
        f"strategy.income.{kind.value}": Indicator(
            label=kind.label,
            unit=_("грн"),
            func=partial(extra_income, kind=kind.value),
            counts=format_lazy(
                _("Суми позабюджетних надходжень виду «{}» за датою надходження."), kind.label
            ),
        )
        for kind in ExtraIncome.Kind
    },
    "strategy.training_hours": Indicator(
        label=_("Години навчання працівників"),
        unit=_("год"),
        func=training_hours,
        counts=_("Години навчання з записів про навчання працівників."),
    ),
    "strategy.trained_staff": Indicator(
        label=_("Працівників пройшли навчання"),
        unit=_("осіб"),
        func=trained_staff,
        counts=_(
            "Працівники з хоча б одним записом про навчання за рік; кожен один раз на бібліотеку."
        ),
    ),
    "strategy.training_hours_per_staff": Indicator(
        label=_("Годин навчання на одного працівника"),
        unit=_("год"),
        func=training_hours_per_staff,
        additive=False,
        counts=_(
            "Години навчання за рік з записів про навчання, поділені на кількість працівників "
            "бібліотеки з профілем на порталі (нинішніх); у мережі — усі години на всіх."
        ),
    ),
    "strategy.study_trips": Indicator(
        label=_("Навчальних поїздок"),
        unit=_("поїздок"),
        func=study_trips,
        counts=_("Навчальні поїздки з реєстру, за бібліотекою, що відрядила, і датою поїздки."),
    ),
}
