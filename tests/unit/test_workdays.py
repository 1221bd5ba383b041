"""Limits counted on the official PRC working-day calendar (ESC-2, ESC-4)."""

import logging
import re
import warnings
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liandong_runtime.workdays import (
    SHANGHAI,
    CalendarDataMissing,
    WorkingCalendar,
    load_calendar,
)
from liandong_runtime.workdays_data import library_year

pytestmark = pytest.mark.unit

with warnings.catch_warnings():
    warnings.simplefilter("ignore", CalendarDataMissing)
    CALENDAR = load_calendar(years=range(2024, 2029))

NEW_YORK = ZoneInfo("America/New_York")
instants = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2026, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([SHANGHAI, UTC, NEW_YORK]),
)
limits = st.integers(min_value=1, max_value=30)


def shanghai(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def working_days_after(start_day: date, end_day: date) -> int:
    days = (start_day + timedelta(days=k) for k in range(1, (end_day - start_day).days + 1))
    return sum(CALENDAR.is_working_day(day) for day in days)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cn-workdays.toml"
    path.write_text(text, encoding="utf-8")
    return path


# Hand-checked limits around the 2026 holidays


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_three_working_days_from_the_friday_before_spring_festival_count_the_make_up_saturday():
    # Sat 02-14 make-up day (1), 02-15..02-23 off, Tue 02-24 (2), Wed 02-25 (3)
    due = CALENDAR.add_working_days(shanghai(2026, 2, 13, 10, 0), 3)
    assert due == utc(2026, 2, 25, 16, 0)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_three_working_days_from_the_eve_of_spring_festival_end_after_the_holiday():
    # 除夕 Mon 02-16 is a day off; 02-17..02-23 off; Tue 24, Wed 25, Thu 26
    due = CALENDAR.add_working_days(shanghai(2026, 2, 16, 9, 0), 3)
    assert due == utc(2026, 2, 26, 16, 0)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_one_working_day_from_the_eve_of_national_day_ends_on_october_eighth():
    due = CALENDAR.add_working_days(shanghai(2026, 9, 30, 15, 0), 1)
    assert due == utc(2026, 10, 8, 16, 0)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_three_working_days_from_the_eve_of_national_day_end_on_the_make_up_saturday():
    # Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 make-up day (3)
    due = CALENDAR.add_working_days(shanghai(2026, 9, 30, 15, 0), 3)
    assert due == utc(2026, 10, 10, 16, 0)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_four_working_days_from_the_eve_of_national_day_skip_the_sunday_after_it():
    due = CALENDAR.add_working_days(shanghai(2026, 9, 30, 15, 0), 4)
    assert due == utc(2026, 10, 12, 16, 0)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_one_working_day_from_a_saturday_ends_on_the_make_up_sunday():
    due = CALENDAR.add_working_days(shanghai(2026, 9, 19, 12, 0), 1)
    assert due == utc(2026, 9, 20, 16, 0)


@pytest.mark.rule("ESC-4")
def test_a_start_at_23_59_counts_from_the_next_day():
    due = CALENDAR.add_working_days(shanghai(2026, 3, 5, 23, 59), 1)
    assert due == utc(2026, 3, 6, 16, 0)


@pytest.mark.rule("ESC-4")
def test_a_start_at_00_01_on_friday_does_not_count_friday():
    due = CALENDAR.add_working_days(shanghai(2026, 3, 6, 0, 1), 1)
    assert due == utc(2026, 3, 9, 16, 0)


@pytest.mark.rule("ESC-4")
def test_a_start_given_in_utc_counts_from_its_day_in_shanghai():
    # 2026-03-05 16:30 UTC is already Fri 03-06 00:30 in Shanghai
    assert CALENDAR.add_working_days(utc(2026, 3, 5, 16, 30), 1) == utc(2026, 3, 9, 16, 0)
    assert CALENDAR.add_working_days(utc(2026, 3, 5, 15, 59), 1) == utc(2026, 3, 6, 16, 0)


@pytest.mark.rule("ESC-4")
def test_a_limit_in_working_days_is_returned_in_utc():
    due = CALENDAR.add_working_days(shanghai(2026, 3, 4, 10, 0), 5)
    assert due.utcoffset() == timedelta(0)
    assert due == utc(2026, 3, 11, 16, 0)


@pytest.mark.rule("ESC-4")
def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        CALENDAR.add_working_days(datetime(2026, 3, 4, 10, 0), 3)
    with pytest.raises(ValueError, match="no time zone"):
        CALENDAR.same_day_deadline(datetime(2026, 3, 4, 10, 0))
    with pytest.raises(ValueError, match="no time zone"):
        CALENDAR.add_hours(datetime(2026, 3, 4, 10, 0), 24)


@pytest.mark.rule("ESC-4")
@pytest.mark.parametrize("n", [0, -1])
def test_a_limit_of_less_than_one_working_day_is_refused(n):
    with pytest.raises(ValueError, match="n >= 1"):
        CALENDAR.add_working_days(shanghai(2026, 3, 4, 10, 0), n)


# Limits in clock hours


@pytest.mark.rule("ESC-4")
def test_an_urgent_limit_runs_24_clock_hours_through_a_holiday():
    due = CALENDAR.add_hours(shanghai(2026, 9, 30, 18, 0), 24)
    assert due == utc(2026, 10, 1, 10, 0)
    assert due.utcoffset() == timedelta(0)


@pytest.mark.rule("ESC-4")
def test_clock_hours_are_elapsed_time_across_a_daylight_saving_change():
    # New York springs forward on 2026-03-08: 24 hours later is 13:00 EDT, 17:00 UTC
    assert CALENDAR.add_hours(datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK), 24) == utc(
        2026, 3, 8, 17, 0
    )


@pytest.mark.rule("ESC-4")
def test_a_negative_limit_in_hours_is_refused():
    with pytest.raises(ValueError, match="hours >= 0"):
        CALENDAR.add_hours(shanghai(2026, 3, 4, 10, 0), -1)


# "The same day" (SHR-4)


@pytest.mark.rule("ESC-4")
def test_information_formed_on_a_working_day_is_due_by_midnight_that_day():
    assert CALENDAR.same_day_deadline(shanghai(2026, 3, 4, 10, 0)) == utc(2026, 3, 4, 16, 0)


@pytest.mark.rule("ESC-4")
def test_information_formed_on_a_saturday_is_due_by_midnight_on_monday():
    assert CALENDAR.same_day_deadline(shanghai(2026, 3, 7, 11, 0)) == utc(2026, 3, 9, 16, 0)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_information_formed_on_a_holiday_is_due_by_midnight_of_the_next_working_day():
    assert CALENDAR.same_day_deadline(shanghai(2026, 10, 3, 11, 0)) == utc(2026, 10, 8, 16, 0)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-2")
def test_information_formed_on_a_make_up_saturday_is_due_by_midnight_that_day():
    assert CALENDAR.same_day_deadline(shanghai(2026, 10, 10, 11, 0)) == utc(2026, 10, 10, 16, 0)


@pytest.mark.rule("ESC-4")
def test_information_formed_late_in_utc_counts_on_its_day_in_shanghai():
    # Tue 2026-03-03 17:00 UTC is Wed 03-04 01:00 in Shanghai
    assert CALENDAR.same_day_deadline(utc(2026, 3, 3, 17, 0)) == utc(2026, 3, 4, 16, 0)


# Properties of the counting


@pytest.mark.rule("ESC-4")
@given(start=instants, n=limits)
def test_n_working_days_end_at_a_shanghai_midnight_after_a_working_day(start, n):
    due = CALENDAR.add_working_days(start, n)
    local = due.astimezone(SHANGHAI)
    assert due.utcoffset() == timedelta(0)
    assert local.time() == time(0)
    assert CALENDAR.is_working_day(local.date() - timedelta(days=1))
    assert due > start


@pytest.mark.rule("ESC-4")
@given(first=instants, second=instants, n=limits)
def test_a_later_start_never_ends_earlier(first, second, n):
    earlier, later = sorted([first, second])
    assert CALENDAR.add_working_days(earlier, n) <= CALENDAR.add_working_days(later, n)


@pytest.mark.rule("ESC-4")
@given(start=instants, n=limits)
def test_one_more_working_day_always_ends_later(start, n):
    assert CALENDAR.add_working_days(start, n) < CALENDAR.add_working_days(start, n + 1)


@pytest.mark.rule("ESC-4")
@given(start=instants, n=limits)
def test_exactly_n_working_days_lie_after_the_start_day_up_to_the_end_day(start, n):
    start_day = start.astimezone(SHANGHAI).date()
    end_day = CALENDAR.add_working_days(start, n).astimezone(SHANGHAI).date() - timedelta(days=1)
    assert working_days_after(start_day, end_day) == n


# The calendar: holidays, make-up working days, the data file


@pytest.mark.rule("ESC-2")
def test_make_up_working_days_are_working_days_and_holidays_are_not():
    calendar = WorkingCalendar({date(2026, 3, 4)}, {date(2026, 3, 7)}, {2026})
    assert not calendar.is_working_day(date(2026, 3, 4))
    assert calendar.is_working_day(date(2026, 3, 7))
    assert calendar.is_working_day(date(2026, 3, 5))
    assert not calendar.is_working_day(date(2026, 3, 8))


@pytest.mark.rule("ESC-2")
def test_a_calendar_refuses_a_day_that_is_both_holiday_and_make_up_day():
    with pytest.raises(ValueError, match="2026-03-07"):
        WorkingCalendar({date(2026, 3, 7)}, {date(2026, 3, 7)}, {2026})


@pytest.mark.rule("ESC-2")
def test_the_shipped_file_holds_the_2026_notice():
    spring_festival = [date(2026, 2, 15) + timedelta(days=k) for k in range(9)]
    assert not any(CALENDAR.is_working_day(day) for day in spring_festival)
    for make_up in ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20"]:
        assert CALENDAR.is_working_day(date.fromisoformat(make_up))


@pytest.mark.rule("ESC-2")
@pytest.mark.parametrize("year", [2025, 2026])
def test_the_shipped_file_and_the_library_agree_on_every_day_of_the_year(year):
    library = library_year(year)
    by_library = WorkingCalendar(library.holidays, library.workdays, {year})
    days = [date(year, 1, 1) + timedelta(days=k) for k in range(365)]
    assert [CALENDAR.is_working_day(d) for d in days] == [
        by_library.is_working_day(d) for d in days
    ]


@pytest.mark.rule("ESC-2")
def test_the_shipped_file_leaves_2027_missing_until_it_is_published():
    assert CALENDAR.official_years == {2025, 2026}
    assert CALENDAR.missing_years(date(2026, 11, 27)) == [2027]
    assert CALENDAR.missing_years(date(2025, 6, 1)) == []


MADE_UP_2026 = """
[years.2026]
source = "a test notice"
holidays = [2026-03-04]
workdays = [2026-03-07]
"""


@pytest.mark.rule("ESC-2")
def test_the_data_file_wins_over_the_library_for_a_year_it_lists(tmp_path):
    calendar = load_calendar(write(tmp_path, MADE_UP_2026), years=range(2026, 2027))
    assert not calendar.is_working_day(date(2026, 3, 4))
    assert calendar.is_working_day(date(2026, 3, 7))
    assert calendar.is_working_day(date(2026, 10, 1))  # the library's National Day
    assert calendar.official_years == {2026}


@pytest.mark.rule("ESC-2")
def test_a_year_the_file_leaves_out_comes_from_the_library_and_is_reported(tmp_path, caplog):
    path = write(tmp_path, MADE_UP_2026)
    with (
        caplog.at_level(logging.WARNING, logger="liandong.workdays"),
        pytest.warns(CalendarDataMissing, match="2027"),
    ):
        calendar = load_calendar(path, years=range(2026, 2028))
    assert not calendar.is_working_day(date(2027, 10, 1))
    assert [r.name for r in caplog.records if "2027" in r.getMessage()] == ["liandong.workdays"]
    assert calendar.missing_years(date(2026, 11, 27)) == [2027]


INVALID = [
    ("holidays = [2026-03-07]\nworkdays = [2026-03-07]", "2026-03-07 is listed both"),
    ("holidays = [2027-01-01]\nworkdays = []", "holidays entry 2027-01-01 lies outside 2026"),
    ("holidays = []\nworkdays = [2026-03-04]", "workdays entry 2026-03-04 is a Wednesday"),
    ('holidays = ["2026-03-04"]\nworkdays = []', "holidays entry '2026-03-04' is not a date"),
    ("holidays = [2026-03-04T08:00:00]\nworkdays = []", "is not a date"),
    ("holidays = [2026-03-04, 2026-03-04]\nworkdays = []", "holidays lists 2026-03-04 twice"),
    ("holidays = []\nworkday = [2026-03-07]", "has keys"),
    ("holidays = 2026-03-04\nworkdays = []", "holidays must be a list"),
]


@pytest.mark.rule("ESC-2")
@pytest.mark.parametrize(("body", "message"), INVALID)
def test_an_invalid_year_is_refused_naming_file_year_and_entry(tmp_path, body, message):
    path = write(tmp_path, f'[years.2026]\nsource = "notice"\n{body}\n')
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        load_calendar(path, years=range(2026, 2027))
    assert f"{path}: [years.2026]" in str(refused.value)


@pytest.mark.rule("ESC-2")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[years.2026\n", "not valid TOML"),
        ('[years.26]\nsource = "x"\nholidays = []\nworkdays = []\n', "[years.26] is not"),
        ('[calendar]\nsource = "x"\n', "expected [years.YYYY] tables"),
        ('[years.2026]\nsource = ""\nholidays = []\nworkdays = []\n', "source must name"),
    ],
)
def test_an_invalid_file_is_refused_naming_the_file(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        load_calendar(path, years=range(2026, 2027))
    assert str(path) in str(refused.value)
