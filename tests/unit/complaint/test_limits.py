"""Every default limit the complaint duties use, pinned: a changed default fails here.

From a complaint on Tuesday 2026-03-10 09:30 (Asia/Shanghai): the start day is not
counted, N working days end at 24:00 of the Nth working day after it (ESC-4).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from liandong_runtime.limits import DEFAULT_LIMITS, Limits
from liandong_runtime.workdays import load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)


def midnight(day: int, month: int = 3) -> datetime:
    """24:00 of the day before: 00:00 of `day`."""
    return datetime(2026, month, day, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("rule", "text", "due"), [
    pytest.param("CMP-2", "same_day", midnight(11), marks=pytest.mark.rule("CMP-2")),
    pytest.param("CMP-4", "3wd", midnight(14), marks=pytest.mark.rule("CMP-4")),
    pytest.param("CMP-5", "3wd", midnight(14), marks=pytest.mark.rule("CMP-5")),
    pytest.param("CMP-6", "1wd", midnight(12), marks=pytest.mark.rule("CMP-6")),
    pytest.param("CMP-7", "15wd", midnight(1, 4), marks=pytest.mark.rule("CMP-7")),
    pytest.param("DSP-1", "5wd", midnight(18), marks=pytest.mark.rule("DSP-1")),
])
def test_the_default_complaint_limits_are_pinned(rule: str, text: str, due: datetime) -> None:
    assert DEFAULT_LIMITS[rule] == text
    assert Limits().due(rule, START, load_calendar()) == due
