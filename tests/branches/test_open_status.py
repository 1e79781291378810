"""Open now / opens at: what a reader sees on a library's card, computed from fixed instants.

Every check runs twice: on a library loaded on its own (closures asked from the database) and
on one loaded through `Branch.objects.with_schedule()` (hours and closures prefetched), the way
the list page, the home page and the API load them.
"""

from datetime import UTC, date, datetime, time

import pytest

from branches.models import Branch, Closure
from branches.presentation import status_text
from core.tz import KYIV
from tests.factories import ClosureFactory, set_hours

MONDAY = date(2026, 6, 1)
WEDNESDAY = date(2026, 6, 3)
FRIDAY = date(2026, 6, 5)
SATURDAY = date(2026, 6, 6)


def kyiv(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=KYIV)


@pytest.fixture(params=["loaded alone", "loaded with_schedule"])
def status_of(request):
    """status_of(branch, moment) → OpenStatus, through either way of loading the branch."""

    def status(branch, moment):
        if request.param == "loaded alone":
            fresh = Branch.objects.get(pk=branch.pk)
        else:
            fresh = Branch.objects.with_schedule(around=moment).get(pk=branch.pk)
        return fresh.status_at(moment)

    return status


@pytest.fixture
def weekdays_10_to_18(branch_a):
    set_hours(branch_a, weekdays=range(5), opens=time(10), closes=time(18))
    return branch_a


@pytest.fixture
def with_lunch_break(branch_a):
    set_hours(branch_a, weekdays=range(5), breaks=(time(13), time(14)))
    return branch_a


# --- an ordinary day ---------------------------------------------------------------------------


def test_branch_is_open_at_noon_on_a_working_day(weekdays_10_to_18, status_of):
    status = status_of(weekdays_10_to_18, kyiv(MONDAY, 12))

    assert status.is_open
    assert status.closes_at == kyiv(MONDAY, 18)
    assert status.opens_at is None
    assert status.closure is None


def test_branch_is_closed_from_the_minute_it_closes(weekdays_10_to_18, status_of):
    assert status_of(weekdays_10_to_18, kyiv(MONDAY, 17, 59)).is_open
    assert not status_of(weekdays_10_to_18, kyiv(MONDAY, 18)).is_open


def test_branch_before_opening_is_closed_and_opens_at_ten_today(weekdays_10_to_18, status_of):
    status = status_of(weekdays_10_to_18, kyiv(MONDAY, 9, 15))

    assert not status.is_open
    assert not status.on_break
    assert status.opens_at == kyiv(MONDAY, 10)


def test_branch_after_closing_opens_at_ten_next_morning(weekdays_10_to_18, status_of):
    status = status_of(weekdays_10_to_18, kyiv(MONDAY, 19))

    assert not status.is_open
    assert not status.on_break
    assert status.opens_at == kyiv(date(2026, 6, 2), 10)


def test_branch_without_any_hours_is_closed_and_promises_nothing(branch_a, status_of):
    status = status_of(branch_a, kyiv(MONDAY, 12))

    assert not status.is_open
    assert status.opens_at is None


# --- lunch break -------------------------------------------------------------------------------


def test_branch_with_lunch_break_is_closed_at_13_30(with_lunch_break, status_of):
    status = status_of(with_lunch_break, kyiv(MONDAY, 13, 30))

    assert not status.is_open
    assert status.on_break
    assert status.opens_at == kyiv(MONDAY, 14)


def test_branch_with_lunch_break_closes_for_lunch_at_13_00(with_lunch_break, status_of):
    status = status_of(with_lunch_break, kyiv(MONDAY, 11))

    assert status.is_open
    assert status.closes_at == kyiv(MONDAY, 13)


def test_branch_with_lunch_break_is_open_after_lunch_until_18_00(with_lunch_break, status_of):
    status = status_of(with_lunch_break, kyiv(MONDAY, 14, 30))

    assert status.is_open
    assert status.closes_at == kyiv(MONDAY, 18)


def test_evening_after_a_day_with_lunch_break_is_not_a_break(with_lunch_break, status_of):
    status = status_of(with_lunch_break, kyiv(MONDAY, 19))

    assert not status.on_break
    assert status.opens_at == kyiv(date(2026, 6, 2), 10)


# --- hours past midnight -----------------------------------------------------------------------


@pytest.fixture
def friday_night_opening(branch_a):
    # Friday 20:00 until 02:00 on Saturday: `closes` at or before `opens` means after midnight.
    set_hours(branch_a, weekdays=[4], opens=time(20), closes=time(2))
    return branch_a


def test_friday_night_library_is_open_at_one_on_saturday(friday_night_opening, status_of):
    status = status_of(friday_night_opening, kyiv(SATURDAY, 1))

    assert status.is_open
    assert status.closes_at == kyiv(SATURDAY, 2)


def test_friday_night_library_is_open_late_on_friday(friday_night_opening, status_of):
    status = status_of(friday_night_opening, kyiv(FRIDAY, 23))

    assert status.is_open
    assert status.closes_at == kyiv(SATURDAY, 2)


def test_friday_night_library_is_closed_after_two_on_saturday(friday_night_opening, status_of):
    status = status_of(friday_night_opening, kyiv(SATURDAY, 2, 30))

    assert not status.is_open
    assert status.opens_at == kyiv(date(2026, 6, 12), 20)


def test_evening_hours_running_into_the_next_days_hours_close_at_the_later_end(branch_a, status_of):
    # Monday 20:00–24:00 and Tuesday 00:00–02:00 are one stretch for a reader.
    set_hours(branch_a, weekdays=[0], opens=time(20), closes=time(0))
    set_hours(branch_a, weekdays=[1], opens=time(0), closes=time(2))

    status = status_of(branch_a, kyiv(MONDAY, 23))

    assert status.is_open
    assert status.closes_at == kyiv(date(2026, 6, 2), 2)


# --- closures ----------------------------------------------------------------------------------


def test_sanitary_day_closes_an_otherwise_open_day(weekdays_10_to_18, status_of):
    sanitary = ClosureFactory(
        branch=weekdays_10_to_18,
        kind=Closure.Kind.SANITARY,
        start_date=WEDNESDAY,
        end_date=WEDNESDAY,
    )

    status = status_of(weekdays_10_to_18, kyiv(WEDNESDAY, 12))

    assert not status.is_open
    assert status.closure == sanitary
    assert status.opens_at == kyiv(date(2026, 6, 4), 10)


def test_sanitary_day_of_another_library_changes_nothing_here(
    weekdays_10_to_18, branch_b, status_of
):
    ClosureFactory(branch=branch_b, start_date=WEDNESDAY, end_date=WEDNESDAY)

    assert status_of(weekdays_10_to_18, kyiv(WEDNESDAY, 12)).is_open


def test_network_wide_holiday_closes_every_library(branch_a, branch_b, status_of):
    set_hours(branch_a)
    set_hours(branch_b, opens=time(9), closes=time(20))
    holiday = ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=WEDNESDAY,
        end_date=WEDNESDAY,
        reason="День Конституції",
    )

    for branch in (branch_a, branch_b):
        status = status_of(branch, kyiv(WEDNESDAY, 12))
        assert not status.is_open, branch.slug
        assert status.closure == holiday
        assert status.closure.label == "День Конституції"


def test_network_wide_holiday_leaves_no_library_open_at(branch_a, branch_b):
    set_hours(branch_a)
    set_hours(branch_b)
    ClosureFactory(branch=None, kind=Closure.Kind.HOLIDAY, start_date=WEDNESDAY, end_date=WEDNESDAY)

    assert set(Branch.objects.open_at(kyiv(MONDAY, 12))) == {branch_a, branch_b}
    assert list(Branch.objects.open_at(kyiv(WEDNESDAY, 12))) == []


def test_next_opening_skips_the_weekend(weekdays_10_to_18, status_of):
    status = status_of(weekdays_10_to_18, kyiv(FRIDAY, 18, 30))

    assert status.opens_at == kyiv(date(2026, 6, 8), 10)


def test_next_opening_skips_the_weekend_and_a_closed_monday(weekdays_10_to_18, status_of):
    ClosureFactory(
        branch=weekdays_10_to_18,
        kind=Closure.Kind.SANITARY,
        start_date=date(2026, 6, 8),
        end_date=date(2026, 6, 8),
    )

    status = status_of(weekdays_10_to_18, kyiv(SATURDAY, 12))

    assert status.opens_at == kyiv(date(2026, 6, 9), 10)


def test_next_opening_skips_a_network_wide_holiday(weekdays_10_to_18, status_of):
    ClosureFactory(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=date(2026, 6, 2),
        end_date=date(2026, 6, 2),
    )

    status = status_of(weekdays_10_to_18, kyiv(MONDAY, 19))

    assert status.opens_at == kyiv(WEDNESDAY, 10)


def test_library_closed_for_long_repairs_names_no_opening_day(weekdays_10_to_18, status_of):
    repairs = ClosureFactory(
        branch=weekdays_10_to_18,
        kind=Closure.Kind.REPAIRS,
        start_date=date(2026, 5, 1),
        end_date=date(2026, 9, 1),
    )

    status = status_of(weekdays_10_to_18, kyiv(MONDAY, 12))

    assert not status.is_open
    assert status.opens_at is None
    assert status.closure == repairs


# --- daylight saving time ----------------------------------------------------------------------


@pytest.fixture
def open_every_day_10_to_18(branch_a):
    set_hours(branch_a, weekdays=range(7), opens=time(10), closes=time(18))
    return branch_a


def test_on_spring_forward_sunday_library_opens_at_ten_summer_time(
    open_every_day_10_to_18, status_of
):
    # 29 March 2026: Kyiv moves from UTC+2 to UTC+3 at 03:00; 10:30 local is 07:30 UTC.
    day = date(2026, 3, 29)
    assert kyiv(day, 10, 30) == datetime(2026, 3, 29, 7, 30, tzinfo=UTC)

    assert not status_of(open_every_day_10_to_18, datetime(2026, 3, 29, 6, 59, tzinfo=UTC)).is_open
    status = status_of(open_every_day_10_to_18, datetime(2026, 3, 29, 7, 30, tzinfo=UTC))
    assert status.is_open
    assert status.closes_at == datetime(2026, 3, 29, 15, 0, tzinfo=UTC)
    assert status.closes_at.astimezone(KYIV).strftime("%H:%M") == "18:00"


def test_on_spring_forward_sunday_library_is_closed_at_half_past_six(
    open_every_day_10_to_18, status_of
):
    # 18:30 local summer time is 15:30 UTC; an hour earlier (winter offset) it was open.
    assert status_of(open_every_day_10_to_18, datetime(2026, 3, 29, 14, 30, tzinfo=UTC)).is_open
    assert not status_of(open_every_day_10_to_18, datetime(2026, 3, 29, 15, 30, tzinfo=UTC)).is_open


def test_on_fall_back_sunday_library_opens_at_ten_winter_time(open_every_day_10_to_18, status_of):
    # 25 October 2026: Kyiv moves from UTC+3 back to UTC+2 at 04:00; 10:30 local is 08:30 UTC.
    day = date(2026, 10, 25)
    assert kyiv(day, 10, 30) == datetime(2026, 10, 25, 8, 30, tzinfo=UTC)

    assert not status_of(open_every_day_10_to_18, datetime(2026, 10, 25, 7, 30, tzinfo=UTC)).is_open
    status = status_of(open_every_day_10_to_18, datetime(2026, 10, 25, 8, 30, tzinfo=UTC))
    assert status.is_open
    assert status.closes_at == datetime(2026, 10, 25, 16, 0, tzinfo=UTC)
    assert status.closes_at.astimezone(KYIV).strftime("%H:%M") == "18:00"


def test_on_fall_back_sunday_library_is_closed_at_half_past_six(open_every_day_10_to_18, status_of):
    # 17:30 local is 15:30 UTC (still open); 18:30 local is 16:30 UTC (closed).
    assert status_of(open_every_day_10_to_18, datetime(2026, 10, 25, 15, 30, tzinfo=UTC)).is_open
    assert not status_of(
        open_every_day_10_to_18, datetime(2026, 10, 25, 16, 30, tzinfo=UTC)
    ).is_open


def test_closing_time_on_dst_days_reads_18_00_on_the_card(open_every_day_10_to_18, status_of):
    for moment in (kyiv(date(2026, 3, 29), 12), kyiv(date(2026, 10, 25), 12)):
        status = status_of(open_every_day_10_to_18, moment)
        assert status_text(status, now=moment) == "Відчинено · зачиняється о 18:00"


def test_saturday_evening_before_spring_forward_opens_at_ten_summer_time(
    open_every_day_10_to_18, status_of
):
    status = status_of(open_every_day_10_to_18, kyiv(date(2026, 3, 28), 20))

    assert status.opens_at == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


# --- the words on the card ---------------------------------------------------------------------


def test_open_library_says_when_it_closes(weekdays_10_to_18, status_of):
    now = kyiv(MONDAY, 12)

    assert status_text(status_of(weekdays_10_to_18, now), now=now) == (
        "Відчинено · зачиняється о 18:00"
    )


def test_closed_library_in_the_evening_says_it_opens_tomorrow(weekdays_10_to_18, status_of):
    now = kyiv(MONDAY, 19)

    assert status_text(status_of(weekdays_10_to_18, now), now=now) == (
        "Зачинено · відчиниться завтра о 10:00"
    )


def test_closed_library_in_the_morning_says_it_opens_today(weekdays_10_to_18, status_of):
    now = kyiv(MONDAY, 8)

    assert status_text(status_of(weekdays_10_to_18, now), now=now) == (
        "Зачинено · відчиниться о 10:00"
    )


def test_lunch_break_says_when_it_reopens(with_lunch_break, status_of):
    now = kyiv(MONDAY, 13, 30)

    assert status_text(status_of(with_lunch_break, now), now=now) == (
        "Перерва · відчиниться о 14:00"
    )


def test_friday_night_library_says_it_closes_tomorrow_at_two(friday_night_opening, status_of):
    now = kyiv(FRIDAY, 21)

    assert status_text(status_of(friday_night_opening, now), now=now) == (
        "Відчинено · зачиняється завтра о 02:00"
    )


def test_closed_on_friday_evening_names_the_weekday_and_date_of_monday(
    weekdays_10_to_18, status_of
):
    now = kyiv(FRIDAY, 19)

    assert status_text(status_of(weekdays_10_to_18, now), now=now) == (
        "Зачинено · відчиниться у понеділок, 8 червня, о 10:00"
    )


def test_sanitary_day_names_itself_on_the_card(weekdays_10_to_18, status_of):
    ClosureFactory(
        branch=weekdays_10_to_18,
        kind=Closure.Kind.SANITARY,
        start_date=WEDNESDAY,
        end_date=WEDNESDAY,
    )
    now = kyiv(WEDNESDAY, 12)

    assert status_text(status_of(weekdays_10_to_18, now), now=now) == (
        "Зачинено: Санітарний день · відчиниться завтра о 10:00"
    )


def test_closure_reason_written_by_the_library_replaces_the_kind(weekdays_10_to_18, status_of):
    ClosureFactory(
        branch=weekdays_10_to_18,
        kind=Closure.Kind.SUDDEN,
        start_date=WEDNESDAY,
        end_date=WEDNESDAY,
        reason="аварія водогону",
    )
    now = kyiv(WEDNESDAY, 12)

    assert status_text(status_of(weekdays_10_to_18, now), now=now) == (
        "Зачинено: аварія водогону · відчиниться завтра о 10:00"
    )


def test_long_repairs_say_only_that_the_library_is_closed(weekdays_10_to_18, status_of):
    ClosureFactory(
        branch=weekdays_10_to_18,
        kind=Closure.Kind.REPAIRS,
        start_date=date(2026, 5, 1),
        end_date=date(2026, 9, 1),
    )
    now = kyiv(MONDAY, 12)

    assert status_text(status_of(weekdays_10_to_18, now), now=now) == "Зачинено: Ремонт"
