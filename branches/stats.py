"""Numbers the strategy dashboards read (contract: docs/stats.md): what the libraries' own
cards record about their premises — closures for repairs and zones. Public computers stay
hand-entered in 6-НК: the card holds today's count only, no history.

Tours (library tourism, direction 10): tour requests the library marked done, and the people
in those groups.

Years are calendar years in Europe/Kyiv.
"""

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from branches.models import Closure, TourRequest, Zone
from core.stats import Indicator


def repairs(*, years, branch_ids=None):
    """Repairs finished in the year: a library's closures with the reason «Ремонт» whose last
    day falls in the year (a repair over New Year counts once, when it ends)."""
    rows = Closure.objects.filter(
        kind=Closure.Kind.REPAIRS, branch__isnull=False, end_date__year__in=list(years)
    )
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=list(branch_ids))
    rows = (
        rows.annotate(year=ExtractYear("end_date"))
        .values("branch_id", "year")
        .annotate(value=Count("pk"))
        .order_by()
    )
    return {(row["branch_id"], row["year"]): row["value"] for row in rows}


def zones(*, years, branch_ids=None):
    """Zones a library has at the end of the year: those on its card opened by 31 December
    (a zone with no opening date was there before the plan)."""
    rows = Zone.objects.all()
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=list(branch_ids))
    result = {}
    # One aggregate with a column per year: years are a handful, zones a few hundred.
    counts = rows.values("branch_id").annotate(
        **{
            f"y{year}": Count(
                "pk", filter=Q(opened_on__isnull=True) | Q(opened_on__lte=date(year, 12, 31))
            )
            for year in years
        }
    )
    for row in counts.order_by():
        for year in years:
            if row[f"y{year}"]:
                result[(row["branch_id"], year)] = row[f"y{year}"]
    return result


def zones_opened(*, years, branch_ids=None):
    """Zones opened (furnished) in the year, by the opening date on the library's card."""
    rows = Zone.objects.filter(opened_on__year__in=list(years))
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=list(branch_ids))
    rows = (
        rows.annotate(year=ExtractYear("opened_on"))
        .values("branch_id", "year")
        .annotate(value=Count("pk"))
        .order_by()
    )
    return {(row["branch_id"], row["year"]): row["value"] for row in rows}


def _tours(*, years, branch_ids, value):
    rows = TourRequest.objects.filter(status=TourRequest.Status.DONE, done_on__year__in=list(years))
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=list(branch_ids))
    rows = (
        rows.annotate(year=ExtractYear("done_on"))
        .values("branch_id", "year")
        .annotate(value=value)
        .order_by()
    )
    return {(row["branch_id"], row["year"]): row["value"] for row in rows}


def tours_done(*, years, branch_ids=None):
    """Tours of a library held in the year: tour requests marked «Екскурсію проведено», by
    the day of the tour."""
    return _tours(years=years, branch_ids=branch_ids, value=Count("pk"))


def tour_visitors(*, years, branch_ids=None):
    """People who came on those tours, as the groups announced them."""
    return _tours(years=years, branch_ids=branch_ids, value=Sum("people"))


COMPUTED = {
    "branches.repairs": Indicator(
        label=_("Завершено ремонтів"),
        unit=_("ремонтів"),
        func=repairs,
        counts=_("Закриття з причиною «Ремонт» у картці бібліотеки, що закінчилися в цьому році."),
    ),
    "branches.zones": Indicator(
        label=_("Зон у бібліотеках"),
        unit=_("зон"),
        func=zones,
        counts=_("Зони в картці бібліотеки, відкриті до 31 грудня (без дати — були до 2016 року)."),
    ),
    "branches.zones_opened": Indicator(
        label=_("Облаштовано нових зон"),
        unit=_("зон"),
        func=zones_opened,
        counts=_("Зони в картці бібліотеки з датою облаштування в цьому році."),
    ),
    "branches.tours_done": Indicator(
        label=_("Проведено екскурсій"),
        unit=_("екскурсій"),
        func=tours_done,
        counts=_(
            "Заявки на екскурсію, які бібліотека позначила «Екскурсію проведено», за днем "
            "екскурсії."
        ),
    ),
    "branches.tour_visitors": Indicator(
        label=_("Учасників екскурсій"),
        unit=_("осіб"),
        func=tour_visitors,
        counts=_("Кількість осіб у групах, для яких екскурсію проведено, за днем екскурсії."),
    ),
}
