"""Numbers about readers that the strategy dashboards read (contract: docs/stats.md).

A reader counts in the year their card was written (`ReaderProfile.created_at`, Kyiv time) and
for the library where they registered, once the desk has seen a document: readers only
pre-registered online are not yet users of the library. Counts only: no personal data leaves
this module.
"""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from accounts.models import ReaderProfile
from core.stats import Indicator
from core.tz import KYIV


def _registered_in(years, branch_ids):
    readers = (
        ReaderProfile.objects.counted()
        .annotate(stat_year=ExtractYear("created_at", tzinfo=KYIV))
        .filter(stat_year__in=sorted(set(years)))
    )
    if branch_ids is not None:
        readers = readers.filter(home_branch__in=list(branch_ids))
    return readers


def _on_books_at_end_of(year):
    """Registered by 31 December and not left by then (a reader who left keeps `left_on`)."""
    end = date(year, 12, 31)
    return Q(created_at__date__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gt=end))


def _user_of(year):
    """A user of the year for form 6-НК: the card was written or re-registered in the year (or
    later: only the last re-registration is kept, so a reader re-registered since counts for
    the years between), written by 31 December, and the reader had not left before 1 January.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (
        Q(created_at__date__lte=end)
        & (Q(created_at__date__gte=start) | Q(reregistered_on__gte=start))
        & (Q(left_on__isnull=True) | Q(left_on__gte=start))
    )


def readers(*, years, branch_ids=None):
    """Readers registered during each year, by the library where they registered."""
    rows = (
        _registered_in(years, branch_ids)
        .values("home_branch", "stat_year")
        .order_by()
        .annotate(total=Count("pk"))
        .values_list("home_branch", "stat_year", "total")
    )
    return {(branch, year): total for branch, year, total in rows}


def readers_total(*, years, branch_ids=None):
    """Readers on the books at each year end (registered up to then, not left), by library."""
    years = sorted(set(years))
    if not years:
        return {}
    profiles = ReaderProfile.objects.counted()
    if branch_ids is not None:
        profiles = profiles.filter(home_branch__in=list(branch_ids))
    rows = (
        profiles.values("home_branch")
        .order_by()
        .annotate(**{f"y{year}": Count("pk", filter=_on_books_at_end_of(year)) for year in years})
    )
    return {
        (row["home_branch"], year): row[f"y{year}"]
        for row in rows
        for year in years
        if row[f"y{year}"]
    }


def readers_by_category(*, years, branch_ids=None):
    """Readers registered during each year by statistical category (6-НК breakdown).

    Returns `[{"branch_id", "year", "category", "count"}]`, one aggregate query.
    """
    rows = (
        _registered_in(years, branch_ids)
        .values("home_branch", "stat_year", "category")
        .order_by()
        .annotate(total=Count("pk"))
    )
    return [
        {
            "branch_id": row["home_branch"],
            "year": row["stat_year"],
            "category": row["category"],
            "count": row["total"],
        }
        for row in rows
    ]


def readers_on_books_by_category(*, years, branch_ids=None):
    """Users of each year for form 6-НК by statistical category (the reader's category
    today): readers registered or re-registered in the year at their home library, not left
    before it began (`_user_of`). Same shape as `readers_by_category`; one query.
    """
    years = sorted(set(years))
    if not years:
        return []
    profiles = ReaderProfile.objects.counted()
    if branch_ids is not None:
        profiles = profiles.filter(home_branch__in=list(branch_ids))
    rows = (
        profiles.values("home_branch", "category")
        .order_by()
        .annotate(**{f"y{year}": Count("pk", filter=_user_of(year)) for year in years})
    )
    return [
        {
            "branch_id": row["home_branch"],
            "year": year,
            "category": row["category"],
            "count": row[f"y{year}"],
        }
        for row in rows
        for year in years
        if row[f"y{year}"]
    ]


COMPUTED: dict[str, Indicator] = {
    "accounts.readers": Indicator(
        label=_("Зареєстровано читачів за рік"),
        unit=_("осіб"),
        func=readers,
        counts=_(
            "Читачі, записані протягом року (після перевірки документа), за бібліотекою запису."
        ),
    ),
    "accounts.readers_total": Indicator(
        label=_("Читачів на кінець року"),
        unit=_("осіб"),
        func=readers_total,
        counts=_("Читачі на обліку 31 грудня: записані до того дня й не вибулі."),
    ),
}
