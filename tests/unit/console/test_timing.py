"""A duty's remaining time in working days and hours: amber at the warning point, red late."""

from datetime import UTC, datetime, timedelta

import pytest

from console.timing import remaining, span
from liandong_runtime.workdays import WorkingCalendar

CALENDAR = WorkingCalendar(holidays=[], workdays=[], official_years=[2026])
MONDAY = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def duty(start: datetime, due: datetime, **more: object) -> dict[str, object]:
    return {"started_at": start.isoformat(), "due_at": due.isoformat(), "state": "open", **more}


def test_time_left_counts_working_days_and_hours() -> None:
    left = remaining(duty(MONDAY, MONDAY + timedelta(days=3)), CALENDAR, 0.8, MONDAY)
    assert (left.text, left.level) == ("剩余 3 个工作日 0 小时", "ok")
    assert span(5.5) == "5 小时" and span(0.25) == "15 分钟"


@pytest.mark.rule("ESC-2")
def test_a_weekend_does_not_count() -> None:
    friday = MONDAY + timedelta(days=4)
    left = remaining(duty(friday, friday + timedelta(days=3)), CALENDAR, 0.8, friday)
    assert left.text == "剩余 1 个工作日 0 小时"  # Saturday and Sunday are not working days


def test_amber_from_the_warning_point_red_when_overdue_grey_when_paused() -> None:
    d = duty(MONDAY, MONDAY + timedelta(hours=10))
    assert remaining(d, CALENDAR, 0.8, MONDAY + timedelta(hours=7)).level == "ok"
    assert remaining(d, CALENDAR, 0.8, MONDAY + timedelta(hours=8)).level == "warn"
    assert remaining({**d, "warned": True}, CALENDAR, 0.8, MONDAY).level == "warn"
    late = remaining(d, CALENDAR, 0.8, MONDAY + timedelta(hours=12))
    assert (late.level, late.text) == ("overdue", "已逾期 2 小时")
    assert remaining({**d, "state": "breached"}, CALENDAR, 0.8, MONDAY).level == "overdue"
    assert remaining({**d, "state": "paused"}, CALENDAR, 0.8, MONDAY).level == "paused"
