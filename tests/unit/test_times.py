"""ESC-5: declared start times are real calendar times, never in the future."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from liandong_runtime.errors import RuleViolation
from liandong_runtime.times import CLOCK_SKEW, declared_start, in_utc

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.mark.rule("ESC-5")
def test_a_start_time_in_the_future_is_refused_naming_the_field() -> None:
    with pytest.raises(RuleViolation) as refused:
        declared_start(NOW + CLOCK_SKEW + timedelta(seconds=1), NOW, "found_at")
    assert (refused.value.rule, refused.value.field) == ("ESC-5", "found_at")


@pytest.mark.rule("ESC-5")
def test_a_few_minutes_of_clock_skew_are_allowed() -> None:
    assert declared_start(NOW + CLOCK_SKEW, NOW, "found_at") == NOW + CLOCK_SKEW


@pytest.mark.rule("ESC-5")
@pytest.mark.parametrize("edge", [
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12))),
    datetime(1, 1, 1, tzinfo=UTC),
])
def test_times_at_the_calendars_edge_are_refused_not_crashed(edge: datetime) -> None:
    with pytest.raises(RuleViolation) as refused:
        in_utc(edge, "received_at")
    assert refused.value.field == "received_at"


def test_a_declared_time_comes_back_in_utc() -> None:
    shanghai = datetime(2026, 12, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    assert declared_start(shanghai, NOW, "formed_at") == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
