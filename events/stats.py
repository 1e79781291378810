"""Numbers the strategy dashboards read (contract: docs/stats.md).

Years are calendar years in Europe/Kyiv. Only events with status «Проведено» (held) count:
a published event that nobody marked held is not yet a fact.

Club and school meetings are not stored one row per meeting: they follow the club's recurring
schedule (dateutil rrule) minus its skipped dates. A meeting counts as *held* when its date is
in the year, within the club's active period, not skipped, and not in the future (today's
meeting counts once it has started). These two indicators (`events.club_meetings`,
`events.school_lessons`) therefore load the clubs — tens of rows per network, with their
skipped dates in one more query — and expand their schedules in Python; every other
indicator is one aggregate query.
"""

from collections import defaultdict
from datetime import date, datetime, time
from functools import partial

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.stats import Indicator
from events.models import (
    Attendance,
    Audience,
    Club,
    ClubAttendance,
    ClubException,
    ClubMembership,
    Event,
    Partner,
    Registration,
    attach_closures,
)


def _held_events(years, branch_ids, only=None):
    """Held events in `years`; `only` narrows them to one of the plan's kinds (THEMES)."""
    queryset = Event.objects.filter(status=Event.Status.HELD, starts_at__year__in=list(years))
    if branch_ids is not None:
        queryset = queryset.filter(branch_id__in=list(branch_ids))
    if only is not None:
        queryset = queryset.filter(THEMES[only])
    return queryset


# What the plan's directions call patriotic and family-reading events: the event's kind, or
# for family reading also an event meant for families (a family quest, a family-day reading).
THEMES = {
    "patriotic": Q(kind=Event.Kind.PATRIOTIC),
    "family": Q(kind=Event.Kind.FAMILY_READING) | Q(audiences__contains=[Audience.FAMILIES]),
}


def _by_branch_year(rows):
    return {(row["branch_id"], row["year"]): row["value"] for row in rows if row["value"]}


def held(*, years, branch_ids=None, only=None):
    rows = (
        _held_events(years, branch_ids, only)
        .annotate(year=ExtractYear("starts_at"))
        .values("branch_id", "year")
        .annotate(value=Count("pk"))
        .order_by()
    )
    return _by_branch_year(rows)


def attendance(*, years, branch_ids=None, only=None):
    """Head counts staff recorded after the event; for a held event with none, the seats of
    the registrations checked in at the door (a lower bound: walk-ins are not on the list).
    One query: each event's own figure, summed by library and year."""
    head_count = (
        Attendance.objects.filter(event=OuterRef("pk"))
        .values("event")
        .annotate(total=Sum("count"))
        .values("total")
    )
    at_door = (
        Registration.objects.filter(
            event=OuterRef("pk"),
            status=Registration.Status.CONFIRMED,
            checked_in_at__isnull=False,
        )
        .values("event")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    rows = (
        _held_events(years, branch_ids, only)
        .annotate(year=ExtractYear("starts_at"))
        .values("branch_id", "year")
        .annotate(
            value=Sum(
                Coalesce(Subquery(head_count), Subquery(at_door), output_field=IntegerField())
            )
        )
        .order_by()
    )
    return _by_branch_year(rows)


def registrations(*, years, branch_ids=None):
    rows = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED, event__in=_held_events(years, branch_ids)
        )
        .annotate(year=ExtractYear("event__starts_at"))
        .values("event__branch_id", "year")
        .annotate(value=Sum("seats"))
        .order_by()
    )
    return {(row["event__branch_id"], row["year"]): row["value"] for row in rows if row["value"]}


def families(*, years, branch_ids=None):
    """Families at held family-reading events: one confirmed registration is one family (a
    parent signs up the household, its seats are its members)."""
    rows = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            event__in=_held_events(years, branch_ids, "family"),
        )
        .annotate(year=ExtractYear("event__starts_at"))
        .values("event__branch_id", "year")
        .annotate(value=Count("pk"))
        .order_by()
    )
    return {(row["event__branch_id"], row["year"]): row["value"] for row in rows if row["value"]}


def _per_year_sql(sql, years, branch_ids):
    """Run `sql` that groups by (branch_id, year) over `unnest(%(years)s)`."""
    branch_filter = "" if branch_ids is None else "AND c.branch_id = ANY(%(branches)s)"
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(branch_filter=branch_filter),
            {"years": list(years), "branches": list(branch_ids or [])},
        )
        return {(branch_id, year): value for branch_id, year, value in cursor.fetchall() if value}


def clubs(*, years, branch_ids=None):
    """Clubs and schools whose active period overlaps the year."""
    return _per_year_sql(
        f"""
        SELECT c.branch_id, y.year, COUNT(*)
        FROM {Club._meta.db_table} c
        CROSS JOIN unnest(%(years)s::int[]) AS y(year)
        WHERE c.starts_on <= make_date(y.year, 12, 31)
          AND (c.ends_on IS NULL OR c.ends_on >= make_date(y.year, 1, 1))
          {{branch_filter}}
        GROUP BY c.branch_id, y.year
        """,
        years,
        branch_ids,
    )


def school_learners(*, years, branch_ids=None):
    """Members of schools who joined by the end of the year and had not left by then."""
    return _per_year_sql(
        f"""
        SELECT c.branch_id, y.year, COUNT(*)
        FROM {ClubMembership._meta.db_table} m
        JOIN {Club._meta.db_table} c ON c.id = m.club_id
        CROSS JOIN unnest(%(years)s::int[]) AS y(year)
        WHERE c.kind = 'school'
          AND m.joined_on <= make_date(y.year, 12, 31)
          AND (m.left_on IS NULL OR m.left_on > make_date(y.year, 12, 31))
          {{branch_filter}}
        GROUP BY c.branch_id, y.year
        """,
        years,
        branch_ids,
    )


def _meetings_held(years, branch_ids, kind=None):
    today_start = timezone.now()
    tz = timezone.get_current_timezone()
    queryset = Club.objects.prefetch_related(
        Prefetch("exceptions", queryset=ClubException.objects.only("club_id", "date"))
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if branch_ids is not None:
        queryset = queryset.filter(branch_id__in=list(branch_ids))
    result = defaultdict(int)
    for club in attach_closures(queryset, since=date(min(years), 1, 1) if years else None):
        for year in years:
            start = timezone.make_aware(datetime.combine(date(year, 1, 1), time()), tz)
            end = min(timezone.make_aware(datetime(year + 1, 1, 1), tz), today_start)
            if start >= end:
                continue
            count = len(club.meetings_between(start, end))
            if count:
                result[(club.branch_id, year)] += count
    return dict(result)


def club_meetings(*, years, branch_ids=None):
    return _meetings_held(years, branch_ids)


def school_lessons(*, years, branch_ids=None):
    return _meetings_held(years, branch_ids, kind=Club.Kind.SCHOOL)


def club_attendance(*, years, branch_ids=None, kind=None):
    """People at club and school meetings as staff recorded them after each meeting (not the
    meetings the schedule promises), by the club's library and year."""
    rows = ClubAttendance.objects.filter(date__year__in=list(years))
    if kind is not None:
        rows = rows.filter(club__kind=kind)
    if branch_ids is not None:
        rows = rows.filter(club__branch_id__in=list(branch_ids))
    rows = (
        rows.annotate(year=ExtractYear("date"))
        .values("club__branch_id", "year")
        .annotate(value=Sum("count"))
        .order_by()
    )
    return {(row["club__branch_id"], row["year"]): row["value"] for row in rows if row["value"]}


def partners(*, years, branch_ids=None):
    """Distinct partner organisations of held events; a partner of two libraries is one
    partner of the network, hence the (None, year) rows."""
    branch_filter = "" if branch_ids is None else "AND e.branch_id = ANY(%(branches)s)"
    through = Event.partners.through._meta.db_table
    sql = f"""
        SELECT branch_id, year, COUNT(DISTINCT partner_id), GROUPING(branch_id)
        FROM (
            SELECT e.branch_id, p.partner_id,
                   EXTRACT(YEAR FROM e.starts_at AT TIME ZONE %(tz)s)::int AS year
            FROM {Event._meta.db_table} e
            JOIN {through} p ON p.event_id = e.id
            WHERE e.status = 'held' {branch_filter}
        ) AS held
        WHERE year = ANY(%(years)s)
        GROUP BY GROUPING SETS ((branch_id, year), (year))
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "years": list(years),
                "branches": list(branch_ids or []),
                "tz": timezone.get_current_timezone_name(),
            },
        )
        return {
            (None if grouped else branch_id, year): value
            for branch_id, year, value, grouped in cursor.fetchall()
        }


def partners_with_agreement(*, years, branch_ids=None):
    """Partners with a written agreement in force at some time in the year, for each library
    that works with them (Partner.branches); a partner of two libraries is one partner of the
    network, hence the (None, year) rows. One query."""
    links = Partner.branches.through._meta.db_table
    join = "JOIN" if branch_ids is not None else "LEFT JOIN"
    branch_filter = "" if branch_ids is None else "WHERE b.branch_id = ANY(%(branches)s)"
    sql = f"""
        SELECT b.branch_id, y.year, COUNT(DISTINCT p.id), GROUPING(b.branch_id)
        FROM {Partner._meta.db_table} p
        JOIN unnest(%(years)s::int[]) AS y(year)
          ON p.agreement_date <= make_date(y.year, 12, 31)
         AND (p.agreement_valid_until IS NULL OR p.agreement_valid_until >= make_date(y.year, 1, 1))
        {join} {links} b ON b.partner_id = p.id
        {branch_filter}
        GROUP BY GROUPING SETS ((b.branch_id, y.year), (y.year))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"years": list(years), "branches": list(branch_ids or [])})
        result = {}
        for branch_id, year, value, grouped in cursor.fetchall():
            if grouped:
                result[(None, year)] = value
            elif branch_id is not None:  # a partner no library is linked to: network only
                result[(branch_id, year)] = value
        return result


def joint_events(*, years, branch_ids=None):
    """Held events with at least one partner, by the organising library and year."""
    with_partner = Event.partners.through.objects.filter(event=OuterRef("pk"))
    rows = (
        _held_events(years, branch_ids)
        .filter(Exists(with_partner))
        .annotate(year=ExtractYear("starts_at"))
        .values("branch_id", "year")
        .annotate(value=Count("pk"))
        .order_by()
    )
    return _by_branch_year(rows)


COMPUTED = {
    "events.held": Indicator(
        label=_("Проведено заходів"),
        unit=_("заходів"),
        func=held,
        counts=_("Заходи зі станом «Проведено», за датою початку."),
    ),
    "events.attendance": Indicator(
        label=_("Відвідувачів заходів"),
        unit=_("осіб"),
        func=attendance,
        counts=_(
            "Присутні, яких працівники записали після заходу; без запису — зареєстровані, "
            "відмічені при вході."
        ),
    ),
    "events.registrations": Indicator(
        label=_("Зареєстрованих місць на проведених заходах"),
        unit=_("місць"),
        func=registrations,
        counts=_("Місця в підтверджених реєстраціях на проведені заходи."),
    ),
    "events.clubs": Indicator(
        label=_("Діючих клубів і шкіл"),
        unit=_("клубів"),
        func=clubs,
        counts=_("Клуби й школи, що діяли хоча б частину року."),
    ),
    "events.club_meetings": Indicator(
        label=_("Проведено занять клубів і шкіл"),
        unit=_("занять"),
        func=club_meetings,
        counts=_("Заняття клубів і шкіл за їхнім розкладом, без скасованих дат, що вже відбулися."),
    ),
    "events.school_lessons": Indicator(
        label=_("Проведено занять шкіл"),
        unit=_("занять"),
        func=school_lessons,
        counts=_("Заняття шкіл за розкладом, без скасованих дат, що вже відбулися."),
    ),
    "events.school_learners": Indicator(
        label=_("Слухачів шкіл"),
        unit=_("осіб"),
        func=school_learners,
        counts=_("Учасники шкіл, записані протягом року."),
    ),
    "events.patriotic_held": Indicator(
        label=_("Проведено заходів патріотичного виховання"),
        unit=_("заходів"),
        func=partial(held, only="patriotic"),
        counts=_("Проведені заходи виду «Патріотичне виховання»."),
    ),
    "events.patriotic_attendance": Indicator(
        label=_("Учасників заходів патріотичного виховання"),
        unit=_("осіб"),
        func=partial(attendance, only="patriotic"),
        counts=_(
            "Присутні на проведених заходах патріотичного виховання (записана відвідуваність, "
            "інакше відмічені при вході)."
        ),
    ),
    "events.family_held": Indicator(
        label=_("Проведено заходів сімейного читання"),
        unit=_("заходів"),
        func=partial(held, only="family"),
        counts=_("Проведені заходи виду «Сімейне читання» і заходи для родин."),
    ),
    "events.family_attendance": Indicator(
        label=_("Учасників заходів сімейного читання"),
        unit=_("осіб"),
        func=partial(attendance, only="family"),
        counts=_(
            "Присутні на проведених заходах сімейного читання (записана відвідуваність, інакше "
            "відмічені при вході)."
        ),
    ),
    "events.families": Indicator(
        label=_("Родин на заходах сімейного читання"),
        unit=_("родин"),
        func=families,
        counts=_(
            "Підтверджені реєстрації на проведені заходи сімейного читання: одна реєстрація — "
            "одна родина."
        ),
    ),
    "events.club_attendance": Indicator(
        label=_("Відвідувань занять клубів і шкіл"),
        unit=_("відвідувань"),
        func=club_attendance,
        counts=_("Присутні на заняттях клубів і шкіл, яких працівники записали після заняття."),
    ),
    "events.school_attendance": Indicator(
        label=_("Відвідувань занять шкіл"),
        unit=_("відвідувань"),
        func=partial(club_attendance, kind=Club.Kind.SCHOOL),
        counts=_("Присутні на заняттях шкіл, яких працівники записали після заняття."),
    ),
    "events.partners": Indicator(
        label=_("Партнерів проведених заходів"),
        unit=_("організацій"),
        func=partners,
        additive=False,
        counts=_(
            "Різні організації-партнери проведених заходів; партнер кількох бібліотек у мережі "
            "один."
        ),
    ),
    "events.partners_with_agreement": Indicator(
        label=_("Партнерів з чинною угодою про співпрацю"),
        unit=_("організацій"),
        func=partners_with_agreement,
        additive=False,
        counts=_(
            "Партнери з реєстру, угода з якими діяла хоча б частину року, — у кожної бібліотеки, "
            "що з ними співпрацює; у мережі кожен партнер один."
        ),
    ),
    "events.joint_events": Indicator(
        label=_("Проведено спільних з партнерами заходів"),
        unit=_("заходів"),
        func=joint_events,
        counts=_("Заходи зі станом «Проведено», у яких вказано хоча б одного партнера."),
    ),
}


# --- Breakdowns -------------------------------------------------------------------------------

DIMENSIONS = ("kind", "audience", "topic", "month")


def attendance_by(dimension, *, years, branch_ids=None):
    """Attendance of held events broken down by `dimension`, one aggregate query.

    Returns `[{"year", "key", "label", "value"}]`: `key` is the kind or audience code, the
    topic slug or the month number (1–12); `label` is its human name. An event with two
    topics counts its attendance under each of them.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, not {dimension!r}")
    rows = Attendance.objects.filter(event__in=_held_events(years, branch_ids)).annotate(
        year=ExtractYear("event__starts_at")
    )
    if dimension == "kind":
        rows = rows.values("year", key=F("event__kind"))
        labels = dict(Event.Kind.choices)
    elif dimension == "audience":
        rows = rows.values("year", key=F("audience"))
        labels = dict(Audience.choices)
    elif dimension == "month":
        rows = rows.annotate(key=ExtractMonth("event__starts_at")).values("year", "key")
        labels = {}
    else:
        rows = rows.filter(event__topics__isnull=False).values(
            "year", key=F("event__topics__slug"), topic_name=F("event__topics__name")
        )
        labels = None
    rows = rows.annotate(value=Sum("count")).order_by("year", "key")
    result = []
    for row in rows:
        label = row["topic_name"] if labels is None else str(labels.get(row["key"], row["key"]))
        result.append(
            {"year": row["year"], "key": row["key"], "label": label, "value": row["value"]}
        )
    return result
