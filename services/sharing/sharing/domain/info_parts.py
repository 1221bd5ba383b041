"""The values a piece of shared information is made of."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from liandong_contracts.sharing_v1 import InfoCategory

Audience = Literal["all"] | tuple[str, ...]


def instant(moment: datetime) -> datetime:
    """UTC, to the millisecond: what the database keeps, so equal stays equal after a reload."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class Heading:
    """What the information is and when it formed: the start of the SHR-4 clock."""

    category: InfoCategory
    title: str
    formed_at: datetime
    matter_code: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "formed_at", instant(self.formed_at))


@dataclass(frozen=True)
class Content:
    """What is shared, and with whom: `"all"` or the ids of the organisations."""

    audience: Audience
    summary: str
    attachments: tuple[str, ...] = ()

    def including(self, org_id: str) -> "Content":
        """The same, shared with `org_id` too (SHR-2: the requester sees the answer)."""
        if self.audience == "all" or org_id in self.audience:
            return self
        return Content((*self.audience, org_id), self.summary, self.attachments)


@dataclass(frozen=True)
class Delay:
    """SHR-4: the producer said, before the day's limit, that it cannot share on the day."""

    reason: str
    new_due_at: datetime
    declared_at: datetime
