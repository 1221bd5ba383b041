"""Every default limit the sharing duties use, pinned: a changed default fails here."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from liandong_runtime.limits import DEFAULT_LIMITS, Limits
from liandong_runtime.workdays import load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
TUESDAY = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)
SATURDAY = datetime(2026, 3, 14, 10, tzinfo=SHANGHAI)


def midnight(day: int) -> datetime:
    return datetime(2026, 3, day, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("rule", "text", "start", "due"), [
    pytest.param("SHR-4", "same_day", TUESDAY, midnight(11), marks=pytest.mark.rule("SHR-4")),
    pytest.param("SHR-4", "same_day", SATURDAY, midnight(17), marks=pytest.mark.rule("SHR-4")),
    pytest.param("SHR-4-MAX", "5wd", TUESDAY, midnight(18), marks=pytest.mark.rule("SHR-4")),
    pytest.param("SHR-2", "3wd", TUESDAY, midnight(14), marks=pytest.mark.rule("SHR-2")),
])
def test_the_default_sharing_limits_are_pinned(rule: str, text: str, start: datetime,
                                               due: datetime) -> None:
    assert DEFAULT_LIMITS[rule] == text
    assert Limits().due(rule, start, load_calendar()) == due
