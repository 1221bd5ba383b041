"""Working hours between two instants: only the hours of working days count (Asia/Shanghai)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from liandong_runtime.workdays import WorkingCalendar

SH = ZoneInfo("Asia/Shanghai")
# 2026: National Day 1-7 October off; Saturday 10 October a make-up working day
CALENDAR = WorkingCalendar(holidays=[date(2026, 10, d) for d in range(1, 8)],
                           workdays=[date(2026, 10, 10)], official_years=[2026])


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SH)


def test_hours_within_one_working_day_are_clock_hours() -> None:
    assert CALENDAR.working_hours_between(at(23, 10), at(23, 14)) == 4  # a Monday


def test_a_weekend_adds_nothing() -> None:
    # Friday 18:00 to Monday 09:00: 6 hours of Friday, 9 of Monday
    assert CALENDAR.working_hours_between(at(20, 18), at(23, 9)) == 15


def test_a_holiday_adds_nothing() -> None:
    # Wednesday 30 September 12:00 to Thursday 8 October 12:00: 12 + 12 hours
    assert CALENDAR.working_hours_between(at(30, 12, 9), at(8, 12, 10)) == 24


def test_a_make_up_saturday_counts_in_full() -> None:
    assert CALENDAR.working_hours_between(at(9, 12, 10), at(11, 12, 10)) == 12 + 24


def test_days_are_cut_at_shanghai_midnight_whatever_the_input_zone() -> None:
    # Saturday 21 November 23:00 Shanghai is 15:00 UTC; Monday 01:00 Shanghai 17:00 UTC Sunday
    start, end = datetime(2026, 11, 21, 15, tzinfo=UTC), datetime(2026, 11, 22, 17, tzinfo=UTC)
    assert CALENDAR.working_hours_between(start, end) == 1


def test_an_end_before_the_start_is_zero_hours() -> None:
    assert CALENDAR.working_hours_between(at(23, 14), at(23, 10)) == 0


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        CALENDAR.working_hours_between(datetime(2026, 11, 23, 10), at(23, 14))
