"""What happened, in domain terms; adapters turn these into wire contracts.

Every event carries `at`, the moment it happened, which becomes the contract's
`occurred_at`: the escalation service counts the limits from it.
"""

from dataclasses import dataclass
from datetime import datetime

from assistance.domain.values import Ask, Document
from liandong_contracts.assistance_v1 import AssistanceKind
from liandong_runtime.refdata.model import Organisation


@dataclass(frozen=True)
class AssistanceRequested:
    at: datetime
    receiver: Organisation
    ask: Ask


@dataclass(frozen=True)
class AssistanceExtended:
    at: datetime
    new_due_at: datetime
    reason: str


@dataclass(frozen=True)
class AssistanceAnswered:
    at: datetime
    kind: AssistanceKind
    answer: str
    reason: str
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class StaffDispatched:
    """Staff sent on site, for a request (AST-2) or a call (JNT-4)."""

    at: datetime
    dispatched_at: datetime
    staff_count: int
    leader: str | None = None


@dataclass(frozen=True)
class JointEnforcementCalled:
    at: datetime
    kind: str
    called: tuple[Organisation, ...]
    matter_code: str | None
    case_id: str | None
    reason: str


@dataclass(frozen=True)
class JointEnforcementAnswered:
    at: datetime
    answer: str
    reason: str
    call_kind: str


@dataclass(frozen=True)
class MeetingHeld:
    at: datetime
    schedule: str
    held_at: datetime
    topic: str
    participants: tuple[Organisation, ...]
    minutes: Document
    call_id: str | None


@dataclass(frozen=True)
class MeetingScheduled:
    at: datetime
    scheduled_at: datetime
    topic: str
    participants: tuple[Organisation, ...]


@dataclass(frozen=True)
class LiaisonNamed:
    at: datetime
    liaison_name: str
    role: str


@dataclass(frozen=True)
class SupervisionRecorded:
    at: datetime
    kind: str
    about: Organisation
    recommendation: str | None
    matter_code: str | None
    text: str
    addressed: tuple[Organisation, ...] = ()
    due_at: datetime | None = None


@dataclass(frozen=True)
class SupervisionAnswered:
    at: datetime
    text: str
    documents: tuple[Document, ...]


RequestEvent = AssistanceRequested | AssistanceExtended | AssistanceAnswered | StaffDispatched
CallEvent = JointEnforcementCalled | JointEnforcementAnswered | StaffDispatched
RecordEvent = (MeetingHeld | MeetingScheduled | LiaisonNamed | SupervisionRecorded
               | SupervisionAnswered)
DomainEvent = RequestEvent | CallEvent | RecordEvent
