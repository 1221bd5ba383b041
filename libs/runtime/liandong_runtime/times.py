"""Times a body declares, and times the system can hold (ESC-5).

A start time that a body declares (discovery, receipt, formation) starts a limit. It must be
a real calendar time that the system can count from (in UTC, between `EARLIEST` and
`LATEST`), and it may not lie in the future beyond `CLOCK_SKEW`: a time in the future would
push the limit out of sight. The moment the system recorded it is kept beside it by the
caller, so the district government sees both.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from liandong_runtime.errors import RuleViolation

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the district's calendar day (ESC-4)
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def in_utc(value: datetime, field: str, rule: str = "ESC-5") -> datetime:
    """The same instant in UTC, if it is one the system can hold and count from."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise RuleViolation(rule, field, "a time needs its UTC offset (RFC 3339)")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise RuleViolation(rule, field, f"a time between {EARLIEST:%Y} and {LATEST:%Y}, please")
    return utc


def declared_start(value: datetime, now: datetime, field: str) -> datetime:
    """ESC-5: a declared start time, in UTC; never in the future beyond the clock skew."""
    utc = in_utc(value, field)
    if utc > now + CLOCK_SKEW:
        raise RuleViolation("ESC-5", field,
                            f"{value.isoformat()} lies in the future: a start time is declared "
                            "once it has happened")
    return utc
