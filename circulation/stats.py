"""Lending numbers the strategy dashboards read (contract: docs/stats.md).

A loan counts once, in the Kyiv calendar year and at the library of its check-out (renewals
are not new loans). A visit from lending is a day a reader borrowed or returned something at a
library: one per reader, library and Kyiv day, however many documents. Loans keep the
reader's category, home library and the material type after the reader is forgotten, so
every figure here holds for anonymised loans too. A loan is
«overdue» when it was returned after its due date or is still out past it. Holds count in
the year they were placed, at their pickup library.

Breakdown: `loans_by("branch" | "category" | "material_type" | "month", years=…,
branch_ids=…)`.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ReaderProfile
from catalog.models import Record
from circulation.models import Hold, Loan
from core.stats import Indicator
from core.tz import KYIV


def _loans(years, branch_ids):
    rows = Loan.objects.annotate(year=ExtractYear("loaned_at", tzinfo=KYIV)).filter(
        year__in=list(years)
    )
    return rows if branch_ids is None else rows.filter(branch_id__in=list(branch_ids))


def _overdue_q():
    today = timezone.localdate()
    return Q(returned_at__isnull=True, due_on__lt=today) | Q(
        returned_at__isnull=False, due_on__lt=TruncDate("returned_at", tzinfo=KYIV)
    )


def _by_branch_year(rows):
    return {(row["branch_id"], row["year"]): row["value"] for row in rows if row["value"]}


def loans(*, years, branch_ids=None):
    """Check-outs (документовидача from lending) by library and year."""
    return _by_branch_year(
        _loans(years, branch_ids).values("branch_id", "year").annotate(value=Count("pk")).order_by()
    )


def visits(*, years, branch_ids=None):
    """Visits from lending by library and year: distinct (reader, library, Kyiv day) among
    check-outs at the lending library and returns at the returning library. A loan whose
    reader was forgotten counts as its own visitor (it cannot be merged with the reader's
    other loans of that day). Renewals leave no trace of where they were made and do not
    count. One query."""
    years = sorted(set(years))
    if not years:
        return {}
    table = connection.ops.quote_name(Loan._meta.db_table)
    params = {
        "years": years,
        "tz": str(KYIV),
        "start": datetime(years[0], 1, 1, tzinfo=KYIV),
        "end": datetime(years[-1] + 1, 1, 1, tzinfo=KYIV),
    }
    lent_here = returned_here = ""
    if branch_ids is not None:
        params["branch_ids"] = list(branch_ids)
        lent_here = "AND branch_id = ANY(%(branch_ids)s)"
        returned_here = "AND returned_branch_id = ANY(%(branch_ids)s)"
    # The reader, or the loan itself (negative id, never a reader's id) when forgotten.
    sql = f"""
        SELECT branch, EXTRACT(YEAR FROM day)::int AS year, COUNT(*) FROM (
            SELECT branch_id AS branch, COALESCE(reader_id, -id) AS who,
                   (loaned_at AT TIME ZONE %(tz)s)::date AS day
              FROM {table}
             WHERE loaned_at >= %(start)s AND loaned_at < %(end)s {lent_here}
            UNION
            SELECT returned_branch_id, COALESCE(reader_id, -id),
                   (returned_at AT TIME ZONE %(tz)s)::date
              FROM {table}
             WHERE returned_at >= %(start)s AND returned_at < %(end)s {returned_here}
        ) AS visit
        WHERE EXTRACT(YEAR FROM day)::int = ANY(%(years)s)
        GROUP BY branch, EXTRACT(YEAR FROM day)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(branch, year): count for branch, year, count in cursor.fetchall()}


def overdue_loans(*, years, branch_ids=None):
    """Loans of the year returned late or still out past their due date."""
    return _by_branch_year(
        _loans(years, branch_ids)
        .filter(_overdue_q())
        .values("branch_id", "year")
        .annotate(value=Count("pk"))
        .order_by()
    )


def overdue_share(*, years, branch_ids=None):
    """Overdue loans as a percentage of the year's loans, per library and for the network
    ((None, year): not the sum of the libraries' shares). One query."""
    rows = (
        _loans(years, branch_ids)
        .values("branch_id", "year")
        .annotate(total=Count("pk"), late=Count("pk", filter=_overdue_q()))
        .order_by()
    )
    result, network = {}, {}
    for row in rows:
        result[(row["branch_id"], row["year"])] = _percent(row["late"], row["total"])
        late, total = network.get(row["year"], (0, 0))
        network[row["year"]] = (late + row["late"], total + row["total"])
    for year, (late, total) in network.items():
        result[(None, year)] = _percent(late, total)
    return result


def _percent(part, whole):
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _holds(years, branch_ids):
    rows = Hold.objects.annotate(year=ExtractYear("placed_at", tzinfo=KYIV)).filter(
        year__in=list(years)
    )
    return rows if branch_ids is None else rows.filter(pickup_branch_id__in=list(branch_ids))


def _by_pickup_year(rows):
    rows = rows.values("pickup_branch_id", "year").annotate(value=Count("pk")).order_by()
    return {(row["pickup_branch_id"], row["year"]): row["value"] for row in rows}


def holds(*, years, branch_ids=None):
    """Holds placed, by pickup library and year."""
    return _by_pickup_year(_holds(years, branch_ids))


def holds_fulfilled(*, years, branch_ids=None):
    """Holds of the year the reader picked up."""
    return _by_pickup_year(_holds(years, branch_ids).filter(status=Hold.Status.FULFILLED))


COMPUTED = {
    "circulation.loans": Indicator(
        label=_("Документовидача (видачі додому, обліковані на порталі)"),
        unit=_("видач"),
        func=loans,
        counts=_(
            "Видачі додому, записані на кафедрі, за бібліотекою й роком видачі; продовження — не "
            "нова видача."
        ),
    ),
    "circulation.visits": Indicator(
        label=_("Відвідування з видачі (дні, коли читач брав або повертав документи)"),
        unit=_("відвідувань"),
        func=visits,
        counts=_(
            "Різні дні, коли читач брав або повертав документи в бібліотеці; продовження "
            "не рахуються."
        ),
    ),
    "circulation.overdue_loans": Indicator(
        label=_("Видачі, повернені із запізненням або прострочені"),
        unit=_("видач"),
        func=overdue_loans,
        counts=_("Видачі року, повернені після строку або ще не повернені після строку."),
    ),
    "circulation.overdue_share": Indicator(
        label=_("Частка прострочених видач"),
        unit="%",
        func=overdue_share,
        additive=False,
        counts=_("Прострочені видачі як частка всіх видач року, у відсотках."),
    ),
    "circulation.holds": Indicator(
        label=_("Замовлення документів читачами"),
        unit=_("замовлень"),
        func=holds,
        counts=_("Замовлення, зроблені читачами, за бібліотекою видачі й роком замовлення."),
    ),
    "circulation.holds_fulfilled": Indicator(
        label=_("Виконані замовлення"),
        unit=_("замовлень"),
        func=holds_fulfilled,
        counts=_("Замовлення року, які читач отримав."),
    ),
}


DIMENSIONS = {
    "branch": "branch_id",
    "category": "reader_category",
    "material_type": "material_type",
    "month": "month",
}


def loans_by(dimension, *, years, branch_ids=None):
    """Loans by "branch", "category", "material_type" or "month", with how many were overdue.

    Returns [{"key", "label", "loans", "overdue", "overdue_share" (0–1 or None)}] ordered by
    key (library order for branches); one aggregate query.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(
            f"Unknown dimension {dimension!r}: use 'branch', 'category', 'material_type' or "
            "'month'."
        )
    rows = _loans(years, branch_ids)
    if dimension == "month":
        rows = rows.annotate(month=ExtractMonth("loaned_at", tzinfo=KYIV))
    fields = [DIMENSIONS[dimension]]
    if dimension == "branch":
        fields += ["branch__name", "branch__sort_order"]
    rows = rows.values(*fields).annotate(
        loans=Count("pk"), overdue=Count("pk", filter=_overdue_q())
    )
    labels = {
        "category": dict(ReaderProfile.Category.choices),
        "material_type": dict(Record.MaterialType.choices),
    }.get(dimension, {})
    result = []
    for row in rows.order_by(*fields[::-1]):
        key = row[DIMENSIONS[dimension]]
        label = row.get("branch__name") or labels.get(key)
        result.append(
            {
                "key": key,
                "label": str(label) if label is not None else None,
                "loans": row["loans"],
                "overdue": row["overdue"],
                "overdue_share": row["overdue"] / row["loans"] if row["loans"] else None,
            }
        )
    return result
