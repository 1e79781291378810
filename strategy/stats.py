"""Numbers of the strategy app itself, in the same shape as the other apps' stats.py:
staff training (plan directions 5 and 10)."""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from strategy.models import TrainingRecord


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


COMPUTED: dict[str, Indicator] = {
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
}
