"""The limits of RULES.md, and how a due time follows from a start (ESC-2, ESC-4).

Every service reads the same table (the `LIMITS` setting overrides it per rule), so a
service that refuses a late extension (AST-3, SHR-4) and the escalation service that
watches the limit agree on the due time.

A limit is written `3wd` (working days), `24h` (clock hours), `same_day` (SHR-4), or,
for drills and tests, `90s` / `5m`. Where the mechanism says "at once" or "promptly"
without a number, the default here is the documented configurable limit.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

DEFAULT_LIMITS: dict[str, str] = {
    "REF-4": "3wd",  # transfer within 3 working days of discovery
    "REF-5": "24h",  # urgent transfer within 24 hours
    "CRM-1": "3wd",  # suspected crime to the judicial organs, "promptly"
    "DSP-1": "5wd",  # negotiation between the two parties
    "CMP-2": "same_day",  # registration of a complaint
    "CMP-5": "3wd",  # forwarding without jurisdiction
    "AST-1": "5wd",  # written answer to an assistance request
    "CMP-7": "15wd",  # result to the complainant and feedback to the department (no number
    # in the mechanism; the 12345 hotline's limit for a complex matter)
    "AST-2": "2h",  # on-site dispatch when urgent, "at once"
    "JNT-4": "2h",  # staff sent after a hazard notice, "at once"
    "JNT-6": "2h",  # a called department reports for duty after a whistle, "quickly"
    "SHR-4": "same_day",  # information shared on the day it is formed
    "SHR-4-MAX": "5wd",  # an extension reaches at most this far beyond the ordinary due time
    "SHR-2": "3wd",  # a township answers a department's request for (3) or (4)
    "REF-6": "2h",  # the finder informs the owner of an ongoing violation, "promptly"
    "REF-6-ACK": "1wd",  # the owner acknowledges and opens its case or says why not
    "REF-9": "3wd",  # the receiver accepts or refuses a transfer
    "REF-9-RESEND": "3wd",  # the finder completes refused material and transfers again
    "CMP-4": "3wd",  # a township opens its case after verification, "promptly"
    "CMP-6": "1wd",  # a department tells the township to investigate, "promptly"
    "JNT-1": "same_day",  # minutes of a scheduled consultation meeting by the end of its day
    "JNT-5": "5wd",  # departments answer a township's supervision (督办)
}
_LIMIT = re.compile(r"^(?:(?P<n>\d+)(?P<unit>wd|h|m|s)|same_day)$")
MAX_WORKING_DAYS = 2000  # beyond this a limit is a typo, and counting it would stall a service
MAX_SECONDS = 3660 * 86400


class Calendar(Protocol):
    def add_working_days(self, start: datetime, n: int) -> datetime: ...

    def add_hours(self, start: datetime, hours: float) -> datetime: ...

    def same_day_deadline(self, formed_at: datetime) -> datetime: ...


@dataclass(frozen=True)
class Limit:
    text: str

    def __post_init__(self) -> None:
        match = _LIMIT.match(self.text)
        if not match:
            raise ValueError(f"limit {self.text!r}: write 3wd, 24h, 90s, 5m or same_day")
        if match["unit"] == "wd" and not 1 <= int(match["n"]) <= MAX_WORKING_DAYS:
            raise ValueError(f"limit {self.text!r}: between 1wd and {MAX_WORKING_DAYS}wd (ESC-4: "
                             "N working days end at 24:00 of the Nth working day after the start)")
        seconds = {"h": 3600, "m": 60, "s": 1}.get(match["unit"] or "", 0) * int(match["n"] or 0)
        if seconds > MAX_SECONDS:
            raise ValueError(f"limit {self.text!r}: at most {MAX_SECONDS // 3600}h")

    def due(self, start: datetime, calendar: Calendar) -> datetime:
        match = _LIMIT.match(self.text)
        if match is None:  # checked in __post_init__; kept for a limit built otherwise
            raise ValueError(f"limit {self.text!r}: write 3wd, 24h, 90s, 5m or same_day")
        if self.text == "same_day":
            return calendar.same_day_deadline(start)
        n, unit = int(match["n"]), match["unit"]
        if unit == "wd":
            return calendar.add_working_days(start, n)
        seconds = {"h": 3600, "m": 60, "s": 1}[unit] * n
        return calendar.add_hours(start, seconds / 3600)


class Limits:
    """The defaults, overridden per rule by configuration."""

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        table = {**DEFAULT_LIMITS, **(overrides or {})}
        self.table = {rule: Limit(text) for rule, text in table.items()}

    def due(self, rule: str, start: datetime, calendar: Calendar) -> datetime:
        return self.table[rule].due(start, calendar)


def warn_before(started_at: datetime, due_at: datetime, fraction: float) -> datetime:
    """The warning falls when `fraction` of the time allowed has passed."""
    return started_at + timedelta(seconds=(due_at - started_at).total_seconds() * fraction)
