"""What happened to a piece of shared information, in domain terms."""

from dataclasses import dataclass
from datetime import datetime

from sharing.domain.info_parts import Content, Heading


@dataclass(frozen=True)
class InfoPublished:
    heading: Heading
    content: Content
    published_at: datetime
    person: str | None = None
    caused_by: str | None = None


@dataclass(frozen=True)
class InfoSharingDelayed:
    heading: Heading
    reason: str
    new_due_at: datetime
    declared_at: datetime
    person: str | None = None


InfoEvent = InfoPublished | InfoSharingDelayed
