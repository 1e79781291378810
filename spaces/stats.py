"""Numbers the strategy dashboards read (contract: docs/stats.md).

Use of the libraries' spaces and public computers, from bookings. A booking counts when it is
confirmed (by itself or by staff) and its time has begun, in the Kyiv year (and month) of its
start, for the library of the booked space; pending, declined and cancelled bookings are not
use. Hours are the booked time.

- «spaces.zone_hours», «spaces.zone_bookings», «spaces.zone_people»: halls, reading rooms and
  zones (direction 8, zoning of the library space).
- «spaces.pc_hours», «spaces.pc_sessions»: public computers (direction 3, technical means for
  readers; direction 13, Internet access as an innovative service).
- «spaces.declined»: booking requests the library could not meet (declined by staff) —
  readers' unmet requests (direction 6).
- `use_by_month(years=…, branch_ids=None)`: the per-month breakdown for both kinds.
"""

from decimal import Decimal

from django.db.models import BooleanField, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from core.tz import KYIV
from spaces.models import Booking, Resource

_DURATION = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def _used(*, years, branch_ids, computers: bool | None):
    used = Booking.objects.filter(status=Booking.Status.CONFIRMED, starts_at__lte=timezone.now())
    if computers is True:
        used = used.filter(resource__kind=Resource.Kind.COMPUTER)
    elif computers is False:
        used = used.exclude(resource__kind=Resource.Kind.COMPUTER)
    used = used.annotate(year=ExtractYear("starts_at", tzinfo=KYIV)).filter(year__in=list(years))
    if branch_ids is not None:
        used = used.filter(resource__branch_id__in=list(branch_ids))
    return used


def _hours(duration) -> Decimal:
    if duration is None:
        return Decimal(0)
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.1"))


def _per_year(queryset, value):
    rows = queryset.values_list("resource__branch_id", "year").annotate(value=value).order_by()
    return {(branch_id, year): v for branch_id, year, v in rows}


def zone_bookings(*, years, branch_ids=None):
    return _per_year(_used(years=years, branch_ids=branch_ids, computers=False), Count("id"))


def zone_people(*, years, branch_ids=None):
    return _per_year(_used(years=years, branch_ids=branch_ids, computers=False), Sum("people"))


def zone_hours(*, years, branch_ids=None):
    rows = _per_year(_used(years=years, branch_ids=branch_ids, computers=False), Sum(_DURATION))
    return {key: _hours(value) for key, value in rows.items()}


def pc_sessions(*, years, branch_ids=None):
    return _per_year(_used(years=years, branch_ids=branch_ids, computers=True), Count("id"))


def pc_hours(*, years, branch_ids=None):
    rows = _per_year(_used(years=years, branch_ids=branch_ids, computers=True), Sum(_DURATION))
    return {key: _hours(value) for key, value in rows.items()}


def declined(*, years, branch_ids=None):
    requests = Booking.objects.filter(status=Booking.Status.DECLINED).annotate(
        year=ExtractYear("starts_at", tzinfo=KYIV)
    )
    requests = requests.filter(year__in=list(years))
    if branch_ids is not None:
        requests = requests.filter(resource__branch_id__in=list(branch_ids))
    return _per_year(requests, Count("id"))


def use_by_month(*, years, branch_ids=None) -> list[dict]:
    """[{branch_id, year, month, kind: "zones"|"computers", bookings, people, hours}], one
    aggregate query, ordered by library, year, month and kind."""
    rows = (
        _used(years=years, branch_ids=branch_ids, computers=None)
        .annotate(
            month=ExtractMonth("starts_at", tzinfo=KYIV),
            is_pc=ExpressionWrapper(
                Q(resource__kind=Resource.Kind.COMPUTER), output_field=BooleanField()
            ),
        )
        .values("resource__branch_id", "year", "month", "is_pc")
        .annotate(bookings=Count("id"), people=Sum("people"), duration=Sum(_DURATION))
        .order_by("resource__branch_id", "year", "month", "is_pc")
    )
    return [
        {
            "branch_id": row["resource__branch_id"],
            "year": row["year"],
            "month": row["month"],
            "kind": "computers" if row["is_pc"] else "zones",
            "bookings": row["bookings"],
            "people": row["people"],
            "hours": _hours(row["duration"]),
        }
        for row in rows
    ]


COMPUTED: dict[str, Indicator] = {
    "spaces.zone_hours": Indicator(
        label=_("Годин бронювання залів і зон"),
        unit=_("год"),
        func=zone_hours,
        counts=_(
            "Години підтверджених бронювань залів, читальних зал і зон бібліотеки, що вже "
            "почалися, за роком початку."
        ),
    ),
    "spaces.zone_bookings": Indicator(
        label=_("Бронювань залів і зон"),
        unit=_("бронювань"),
        func=zone_bookings,
        counts=_(
            "Підтверджені бронювання залів, читальних зал і зон, що вже почалися (скасовані, "
            "відхилені й непідтверджені не враховано)."
        ),
    ),
    "spaces.zone_people": Indicator(
        label=_("Відвідувачів заброньованих залів і зон"),
        unit=_("осіб"),
        func=zone_people,
        counts=_(
            "Скільки людей, за бронюваннями, прийшло до залів, читальних зал і зон: читач — "
            "одна особа, група — стільки, скільки вказано в бронюванні."
        ),
    ),
    "spaces.pc_hours": Indicator(
        label=_("Годин роботи читачів за компʼютерами"),
        unit=_("год"),
        func=pc_hours,
        counts=_(
            "Години підтверджених бронювань компʼютерів для читачів, що вже почалися, за роком "
            "початку."
        ),
    ),
    "spaces.pc_sessions": Indicator(
        label=_("Сеансів за компʼютерами для читачів"),
        unit=_("сеансів"),
        func=pc_sessions,
        counts=_("Підтверджені бронювання компʼютерів для читачів, що вже почалися."),
    ),
    "spaces.declined": Indicator(
        label=_("Відхилені заявки на простори й компʼютери"),
        unit=_("заявок"),
        func=declined,
        counts=_(
            "Бронювання, які бібліотека не змогла прийняти й відхилила, за роком бажаного "
            "часу: незадоволені запити читачів."
        ),
    ),
}
