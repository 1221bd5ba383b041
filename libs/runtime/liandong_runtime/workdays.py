"""Working days on the official PRC calendar and the limits counted on them (ESC-2, ESC-4).

Sources. python-holidays (`holidays.China`) computes every year's statutory holidays by
rule and knows the make-up working days (调休, `weekend_workdays`) of the years whose
State Council notice it has caught up with. The operators' TOML data file
(`data/calendar/cn-workdays.toml` by default; services pass the path from settings)
lists years as published, and for any year it lists it wins outright: the library is
not consulted for that year at all.

Official years. A year counts as official only when the data file lists it. The
library's make-up days are not taken as a sign that it has a year's notice: it computes
holidays by rule for any year, a year may have no make-up day at all, and one file
that operators audit is easier to trust than a library version. A year without
official data falls back to the library's estimate and is reported, never raised:
`load_calendar` logs a WARNING on logger `liandong.workdays` and issues a
`CalendarDataMissing` warning for each such year it loads, and
`WorkingCalendar.missing_years` answers the same question for today and next year.

Counting (ESC-4). The start day, its date in Asia/Shanghai, is not counted; N working
days end at 24:00 Asia/Shanghai of the Nth working day after it, returned as the aware
UTC instant of 00:00 Shanghai on the following day. Limits in hours are clock hours.
Days outside the loaded years count Monday to Friday only.
"""

import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from liandong_runtime.times import SHANGHAI
from liandong_runtime.workdays_data import YearTable, library_year, read_data_file

DEFAULT_DATA_FILE = Path(__file__).resolve().parents[3] / "data" / "calendar" / "cn-workdays.toml"
ONE_DAY = timedelta(days=1)

log = logging.getLogger("liandong.workdays")


class CalendarDataMissing(UserWarning):
    """A year the system counts limits in has no official calendar data (ESC-2)."""


@dataclass(frozen=True)
class WorkingCalendar:
    """The official calendar: days off, make-up working days (调休) and the years known."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    official_years: frozenset[int]

    def __init__(
        self, holidays: Iterable[date], workdays: Iterable[date], official_years: Iterable[int]
    ) -> None:
        object.__setattr__(self, "holidays", frozenset(holidays))
        object.__setattr__(self, "workdays", frozenset(workdays))
        object.__setattr__(self, "official_years", frozenset(official_years))
        if both := sorted(self.holidays & self.workdays):
            raise ValueError(f"{both[0]} cannot be both a holiday and a make-up working day")

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() < 5

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """24:00 Shanghai of the Nth working day after the start day (ESC-4)."""
        if n < 1:
            raise ValueError(f"a limit in working days needs n >= 1, not {n}")
        day = _shanghai_date(start)
        for _ in range(n):
            day = self._next_working_day(day)
        return _end_of(day)

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """That many clock hours after the start, whatever the calendar says (ESC-4)."""
        if hours < 0:
            raise ValueError(f"a limit in hours needs hours >= 0, not {hours}")
        _shanghai_date(start)
        return start.astimezone(UTC) + timedelta(hours=hours)

    def same_day_deadline(self, formed_at: datetime) -> datetime:
        """24:00 Shanghai of the day formed, or of the next working day (SHR-4, ESC-4)."""
        day = _shanghai_date(formed_at)
        if not self.is_working_day(day):
            day = self._next_working_day(day)
        return _end_of(day)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Clock hours from start to end that fall on working days in Asia/Shanghai: the
        measure of the time-to-transfer and time-to-answer histograms. 0 if end <= start."""
        day, last = _shanghai_date(start), _shanghai_date(end)
        seconds = 0.0
        while day <= last:
            if self.is_working_day(day):
                midnight = datetime.combine(day, time(), SHANGHAI)
                overlap = min(end, midnight + ONE_DAY) - max(start, midnight)
                seconds += max(0.0, overlap.total_seconds())
            day += ONE_DAY
        return seconds / 3600

    def missing_years(self, today: date) -> list[int]:
        """This year and next, where the official calendar is not known."""
        return [y for y in (today.year, today.year + 1) if y not in self.official_years]

    def _next_working_day(self, day: date) -> date:
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day


def load_calendar(data_file: Path | None = None, years: range | None = None) -> WorkingCalendar:
    """The data file's years as written, other years from python-holidays (ESC-2)."""
    path = DEFAULT_DATA_FILE if data_file is None else data_file
    if years is None:
        this_year = datetime.now(SHANGHAI).year
        years = range(this_year - 1, this_year + 3)
    official = read_data_file(path)
    tables = dict(official)
    next_year = datetime.now(SHANGHAI).year + 1
    for year in years:
        if year not in official:
            if year <= next_year:
                _report_missing(year, path)
            tables[year] = library_year(year)
    return _combine(list(tables.values()), official)


def _combine(tables: list[YearTable], official: Iterable[int]) -> WorkingCalendar:
    days_off = (day for table in tables for day in table.holidays)
    workdays = (day for table in tables for day in table.workdays)
    return WorkingCalendar(days_off, workdays, official)


def _report_missing(year: int, path: Path) -> None:
    message = (
        f"no official working-day calendar for {year} in {path}: counting on the "
        f"python-holidays estimate, without make-up working days; add [years.{year}] "
        "from the State Council notice"
    )
    log.warning(message)
    warnings.warn(message, CalendarDataMissing, stacklevel=3)


def _shanghai_date(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; limits need an aware time")
    return moment.astimezone(SHANGHAI).date()


def _end_of(day: date) -> datetime:
    return datetime.combine(day + ONE_DAY, time(), SHANGHAI).astimezone(UTC)
