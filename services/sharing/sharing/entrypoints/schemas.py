"""HTTP request bodies and query parameters: the transport shape of each command."""

import re
from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, Field, HttpUrl, field_validator

from liandong_runtime.errors import RuleViolation
from liandong_runtime.http_inputs import LIMITS, Body
from liandong_runtime.times import in_utc
from sharing.domain.rules import CATEGORIES

CATEGORY = {"description": "SHR-2: one of the eight categories; another value is refused "
            "naming SHR-2", "json_schema_extra": {"enum": list(CATEGORIES)},
            "examples": ["township_penalty_decisions"]}


class InfoIn(Body):
    category: str = Field(max_length=64, **CATEGORY)  # type: ignore[arg-type]
    title: str = Field(min_length=1, max_length=200)
    matter_code: str | None = Field(default=None, examples=["M-URB-001"])
    formed_at: AwareDatetime = Field(description="SHR-4: shared by 24:00 of this day")
    audience: Literal["all"] | list[str] = Field(
        max_length=500, description='"all", or the ids of the organisations it is shared with')
    attachments: list[HttpUrl] = Field(default_factory=list, max_length=20)
    summary: str = Field(default="", max_length=4000)
    info_id: str | None = Field(default=None, pattern=r"^inf-[0-9a-f]{16}$",
                                description="The id returned when a delay was declared")


class DelayIn(Body):
    category: str = Field(max_length=64, **CATEGORY)  # type: ignore[arg-type]
    title: str = Field(min_length=1, max_length=200)
    matter_code: str | None = None
    formed_at: AwareDatetime
    reason: str = Field(min_length=1, max_length=2000)
    new_due_at: AwareDatetime = Field(description="After the ordinary due time (SHR-4)")


class SubscriptionIn(Body):
    """Each list given narrows; none given: everything shared with the organisation."""

    categories: list[str] = Field(default_factory=list, max_length=8)
    producers: list[str] = Field(default_factory=list, max_length=100)
    matter_codes: list[str] = Field(default_factory=list, max_length=200)


class SearchIn(Body):
    category: str | None = None
    producer: str | None = Field(default=None, description="The producing organisation's id")
    matter_code: str | None = None
    since: str | None = Field(default=None, description="formed_at from: a date or a time")
    until: str | None = Field(default=None, description="formed_at to: a date or a time")
    limit: int = Field(default=50, ge=1, le=200)
    before: int | None = Field(default=None, ge=1, description="next_before of the last page")

    @field_validator("since", "until")
    @classmethod
    def _moment(cls, text: str | None) -> str | None:
        if text is not None:
            try:
                moment(text)
            except RuleViolation as exc:
                raise ValueError(exc.message) from None
        return text


class FeedIn(Body):
    after: int = Field(default=0, ge=0, description="The cursor of the last answer")
    limit: int = Field(default=100, ge=1, le=200)


def moment(text: str) -> date | datetime:
    """`2026-03-10` (the whole day, Shanghai), or a time with its offset; within the years
    the system can count (ESC-5: no date crashes a query)."""
    if len(text) == 10:
        day = date.fromisoformat(text)
        if not LIMITS.earliest.date() <= day < LIMITS.latest.date():
            raise ValueError(f"a date between {LIMITS.earliest:%Y} and {LIMITS.latest:%Y}")
        return day
    value = datetime.fromisoformat(re.sub(r" (\d\d:\d\d)$", r"+\1", text))  # '+' sent unescaped
    if value.tzinfo is None:
        raise ValueError("give a date (YYYY-MM-DD) or a time with its offset")
    try:
        return in_utc(value, "since")
    except RuleViolation as exc:
        raise ValueError(exc.message) from None


class RequestIn(Body):
    """SHR-2 (3)/(4): what a department asks a township for."""

    township: str = Field(description="The township or street office asked",
                          examples=["town-hexi"])
    category: Literal["township_penalty_decisions", "enforcement_statistics"]
    title: str = Field(min_length=1, max_length=200, description="What is asked for")
    matter_code: str | None = Field(default=None, examples=["M-MKT-003"])


class RequestsIn(Body):
    open_only: bool = Field(default=True, description="Only requests not answered yet")
