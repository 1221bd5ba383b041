"""What happened to a piece of shared information, in domain terms."""

from dataclasses import dataclass
from datetime import datetime

from liandong_runtime.refdata.model import Organisation
from sharing.domain.info_parts import Content, Heading


@dataclass(frozen=True)
class InfoPublished:
    heading: Heading
    content: Content
    published_at: datetime
    person: str | None = None
    caused_by: str | None = None
    requested_by: Organisation | None = None  # SHR-2: the department whose request it answers
    case_id: str | None = None  # SHR-3: the closed case whose penalty decision it is


@dataclass(frozen=True)
class InfoRequested:
    """SHR-2 (3)/(4): a department asked a township; the answer is watched."""

    heading: Heading
    requester: Organisation
    requested_at: datetime
    person: str | None = None


@dataclass(frozen=True)
class InfoSharingDelayed:
    heading: Heading
    reason: str
    new_due_at: datetime
    declared_at: datetime
    person: str | None = None


InfoEvent = InfoPublished | InfoSharingDelayed | InfoRequested
