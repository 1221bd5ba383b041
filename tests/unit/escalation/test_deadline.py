"""Deadlines and limits, without I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from escalation.domain.deadline import Breached, Deadline, Warned
from liandong_runtime.limits import Limit, Limits
from liandong_runtime.workdays import load_calendar

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
CALENDAR = load_calendar()


def opened(due_in: timedelta = timedelta(hours=10)) -> Deadline:
    d = Deadline("transfer:case-1", "REF-4", "移送案件", {"id": "town-hexi"}, "case-1")
    d.open(T0, T0 + due_in, warn_fraction=0.8)
    return d


@pytest.mark.rule("ESC-1")
def test_a_passed_deadline_breaches_exactly_once_with_how_late() -> None:
    d = opened()
    d.tick(T0 + timedelta(hours=11))
    d.tick(T0 + timedelta(hours=12))
    [breach] = [e for e in d.events if isinstance(e, Breached)]
    assert breach.late_by_seconds == 3600 and d.state == "breached"
    assert d.next_action_at is None


@pytest.mark.rule("ESC-1")
def test_a_warning_comes_before_the_due_time_and_then_the_breach() -> None:
    d = opened()
    d.tick(T0 + timedelta(hours=8, minutes=1))
    assert [type(e) for e in d.events] == [Warned] and d.next_action_at == d.due_at
    d.tick(T0 + timedelta(hours=10))
    assert [type(e) for e in d.events] == [Warned, Breached]


@pytest.mark.rule("ESC-3")
def test_a_duty_done_in_time_stops_the_clock() -> None:
    d = opened()
    d.complete(T0 + timedelta(hours=1))
    d.tick(T0 + timedelta(days=3))
    assert d.state == "done" and d.events == []


@pytest.mark.rule("ESC-3")
def test_a_done_event_that_overtakes_the_start_event_still_wins() -> None:
    d = Deadline.closed_before_opened("transfer:case-1", T0)
    d.open(T0, T0 + timedelta(hours=1), 0.8)
    d.tick(T0 + timedelta(days=1))
    assert d.state == "done" and d.events == []


@pytest.mark.rule("ESC-3")
def test_an_extension_moves_the_due_time() -> None:
    d = opened()
    d.extend(T0 + timedelta(days=2))
    d.tick(T0 + timedelta(hours=11))
    assert d.state == "open"
    d.tick(T0 + timedelta(days=2))
    assert d.state == "breached"


@pytest.mark.rule("ESC-4")
def test_limits_count_working_days_hours_and_the_same_day() -> None:
    limits = Limits()
    assert limits.due("REF-4", T0, CALENDAR) == datetime(2026, 12, 2, 16, tzinfo=UTC)
    assert limits.due("REF-5", T0, CALENDAR) == T0 + timedelta(hours=24)
    assert limits.due("SHR-4", T0, CALENDAR) == datetime(2026, 11, 27, 16, tzinfo=UTC)


@pytest.mark.rule("ESC-2")
def test_three_working_days_skip_the_national_day_holiday() -> None:
    start = datetime(2026, 9, 30, 1, tzinfo=UTC)
    assert Limits().due("REF-4", start, CALENDAR) == datetime(2026, 10, 10, 16, tzinfo=UTC)


def test_limits_are_configurable_per_rule_and_checked() -> None:
    assert Limits({"REF-5": "3s"}).due("REF-5", T0, CALENDAR) == T0 + timedelta(seconds=3)
    with pytest.raises(ValueError, match="3wd"):
        Limit("three days")


@pytest.mark.rule("ESC-1")
@pytest.mark.rule("SHR-4")
def test_a_duty_done_after_its_due_time_is_a_breach_even_before_the_watcher_saw_it() -> None:
    d = opened()
    d.complete(T0 + timedelta(hours=12))
    [breach] = d.events
    assert isinstance(breach, Breached) and breach.late_by_seconds == 7200
    assert d.state == "breached" and d.done_at == T0 + timedelta(hours=12)


@pytest.mark.rule("ESC-3")
def test_an_extension_that_overtakes_its_start_event_is_applied_on_opening() -> None:
    d = Deadline.extended_before_opened("assistance:r1", T0 + timedelta(days=9))
    fresh = Deadline("assistance:r1", "AST-1", "答复", {"id": "dept-urban"}, "r1",
                     due_at=d.due_at, version=1)
    fresh.open(T0, T0 + timedelta(days=5), 0.8)
    fresh.tick(T0 + timedelta(days=6))
    assert fresh.state == "open" and fresh.due_at == T0 + timedelta(days=9)


@pytest.mark.rule("ESC-3")
def test_an_extension_never_moves_a_limit_backwards_or_revives_a_breach() -> None:
    d = opened()
    d.extend(T0 + timedelta(hours=5))
    assert d.due_at == T0 + timedelta(hours=10)
    d.tick(T0 + timedelta(hours=11))
    d.extend(T0 + timedelta(days=3))
    assert d.state == "breached" and d.due_at == T0 + timedelta(hours=10)


@pytest.mark.rule("ESC-1")
@pytest.mark.rule("ESC-3")
def test_a_duty_done_before_its_start_arrived_learns_its_times_and_a_late_one_is_a_breach() -> None:
    on_time = Deadline.closed_before_opened("transfer:case-1", T0 + timedelta(hours=1))
    on_time.open(T0, T0 + timedelta(hours=10), 0.8)
    assert on_time.state == "done" and on_time.started_at == T0 and on_time.events == []
    late = Deadline.closed_before_opened("transfer:case-2", T0 + timedelta(hours=12))
    late.open(T0, T0 + timedelta(hours=10), 0.8)
    [breach] = late.events
    assert isinstance(breach, Breached) and breach.late_by_seconds == 7200
    assert late.state == "breached" and late.next_action_at is None
