"""ESC-4 counting as the engine applies it, and every default limit pinned (ESC-2, ESC-4).

Readings: the start day is not counted, whatever the hour; N working days end at 24:00
Asia/Shanghai of the Nth working day after the start day; a limit in hours ends that many
clock hours after the start moment, exactly (to the minute and the second: it is not rounded
to whole hours or days); "the same day" ends at 24:00 of the day, and information formed on a
non-working day is due at 24:00 of the next working day.
"""

from datetime import UTC, datetime, timedelta

import pytest

from liandong_runtime.limits import DEFAULT_LIMITS, Limit, Limits
from liandong_runtime.workdays import SHANGHAI, load_calendar

CALENDAR = load_calendar()
LIMITS = Limits()
FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# From Friday 27 Nov 2026, 10:00 Shanghai (no holiday until 2027).
PINNED = {
    "REF-4": ("3wd", sh(2026, 12, 3)), "REF-5": ("24h", sh(2026, 11, 28, 10)),
    "CRM-1": ("3wd", sh(2026, 12, 3)), "DSP-1": ("5wd", sh(2026, 12, 5)),
    "CMP-2": ("same_day", sh(2026, 11, 28)), "CMP-5": ("3wd", sh(2026, 12, 3)),
    "AST-1": ("5wd", sh(2026, 12, 5)), "CMP-7": ("15wd", sh(2026, 12, 19)),
    "AST-2": ("2h", sh(2026, 11, 27, 12)), "JNT-4": ("2h", sh(2026, 11, 27, 12)),
    "JNT-6": ("2h", sh(2026, 11, 27, 12)), "SHR-4": ("same_day", sh(2026, 11, 28)),
    "SHR-4-MAX": ("5wd", sh(2026, 12, 5)), "SHR-2": ("3wd", sh(2026, 12, 3)),
    "REF-6": ("2h", sh(2026, 11, 27, 12)), "REF-6-ACK": ("1wd", sh(2026, 12, 1)),
    "REF-9": ("3wd", sh(2026, 12, 3)), "REF-9-RESEND": ("3wd", sh(2026, 12, 3)),
    "CMP-4": ("3wd", sh(2026, 12, 3)), "CMP-6": ("1wd", sh(2026, 12, 1)),
    "JNT-1": ("same_day", sh(2026, 11, 28)), "JNT-5": ("5wd", sh(2026, 12, 5)),
}


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("ESC-1")
def test_every_default_limit_is_pinned() -> None:
    assert {rule: text for rule, (text, _) in PINNED.items()} == DEFAULT_LIMITS


@pytest.mark.rule("ESC-4")
@pytest.mark.parametrize("rule", sorted(PINNED))
def test_every_default_limit_ends_where_the_counting_rules_say(rule: str) -> None:
    assert LIMITS.due(rule, FRIDAY, CALENDAR) == PINNED[rule][1]


@pytest.mark.rule("ESC-4")
def test_the_start_day_is_not_counted_even_at_its_first_minute() -> None:
    tuesday_midnight = sh(2026, 12, 1, 0, 0)
    assert LIMITS.due("REF-6-ACK", tuesday_midnight, CALENDAR) == sh(2026, 12, 3)


@pytest.mark.rule("ESC-4")
def test_working_days_from_a_weekend_start_count_from_the_next_working_day() -> None:
    saturday = sh(2026, 11, 28, 9, 0)
    assert LIMITS.due("REF-4", saturday, CALENDAR) == sh(2026, 12, 3)  # Mon, Tue, Wed


@pytest.mark.rule("ESC-4")
def test_an_hour_limit_counts_clock_hours_to_the_minute_over_a_weekend_or_holiday() -> None:
    start = sh(2026, 9, 30, 17, 47, 30)  # the eve of National Day
    assert LIMITS.due("REF-5", start, CALENDAR) == sh(2026, 10, 1, 17, 47, 30)
    assert LIMITS.due("REF-6", start, CALENDAR) == start + timedelta(hours=2)


@pytest.mark.rule("ESC-4")
@pytest.mark.rule("SHR-4")
def test_the_same_day_ends_at_midnight_and_a_non_working_day_moves_it_to_the_next() -> None:
    assert LIMITS.due("SHR-4", sh(2026, 11, 27, 23, 59), CALENDAR) == sh(2026, 11, 28)
    assert LIMITS.due("SHR-4", sh(2026, 11, 28, 10), CALENDAR) == sh(2026, 12, 1)  # Sat -> Mon
    # formed on National Day: due at the end of Thursday 8 Oct, the first working day after
    assert LIMITS.due("SHR-4", sh(2026, 10, 3, 10), CALENDAR) == sh(2026, 10, 9)
    # formed on the make-up Saturday 10 Oct: a working day, due that night
    assert LIMITS.due("SHR-4", sh(2026, 10, 10, 10), CALENDAR) == sh(2026, 10, 11)


@pytest.mark.rule("ESC-4")
def test_due_times_are_utc_instants() -> None:
    due = LIMITS.due("REF-4", FRIDAY, CALENDAR)
    assert due.utcoffset() == timedelta(0) and due == datetime(2026, 12, 2, 16, 0, tzinfo=UTC)


@pytest.mark.rule("ESC-4")
@pytest.mark.parametrize("text", ["0wd", "2001wd", "999999999h"])
def test_a_limit_that_cannot_be_counted_is_refused_when_configured(text: str) -> None:
    with pytest.raises(ValueError, match="limit"):
        Limit(text)
    with pytest.raises(ValueError, match="limit"):
        Limits({"REF-4": text})
