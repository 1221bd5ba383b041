"""The sample district and the official calendar, loaded once, for sharing's unit tests."""

import warnings
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from liandong_runtime.limits import Limits
from liandong_runtime.workdays import CalendarDataMissing, WorkingCalendar, load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> datetime:
    """A time in Asia/Shanghai."""
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalendarDataMissing)
        return load_calendar(years=range(2025, 2028))


@pytest.fixture(scope="session")
def due(calendar: WorkingCalendar) -> Callable[[datetime], datetime]:
    """SHR-4 from the limits table every service shares."""
    limits = Limits()
    return lambda formed_at: limits.due("SHR-4", formed_at, calendar)



@pytest.fixture(scope="session")
def limit(calendar: WorkingCalendar) -> Callable[[str, datetime], datetime]:
    """Any rule's due time from the limits table every service shares."""
    limits = Limits()
    return lambda rule, start: limits.due(rule, start, calendar)
