"""What a body can ask the assistance service to do; imperative names, plain values."""

from dataclasses import dataclass
from datetime import datetime

from assistance.domain.values import Document
from liandong_contracts.assistance_v1 import AssistanceKind
from liandong_runtime.acting import Acting


@dataclass(frozen=True)
class RequestAssistance:
    acting: Acting
    kind: AssistanceKind
    receiver_id: str
    summary: str
    documents: tuple[Document, ...]
    case_id: str | None = None
    urgent: bool = False
    evidence_at_risk: bool = False


@dataclass(frozen=True)
class ExtendAnswerTime:
    acting: Acting
    request_id: str
    new_due_at: datetime
    reason: str


@dataclass(frozen=True)
class AnswerRequest:
    acting: Acting
    request_id: str
    answer: str
    reason: str = ""
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True)
class DispatchForRequest:
    acting: Acting
    request_id: str
    staff_count: int
    dispatched_at: datetime | None = None
    leader: str | None = None


@dataclass(frozen=True)
class CallJointEnforcement:
    acting: Acting
    kind: str
    called_ids: tuple[str, ...]
    reason: str
    matter_code: str | None = None
    case_id: str | None = None


@dataclass(frozen=True)
class AnswerCall:
    acting: Acting
    call_id: str
    answer: str
    reason: str = ""


@dataclass(frozen=True)
class DispatchForCall:
    acting: Acting
    call_id: str
    staff_count: int
    dispatched_at: datetime | None = None
    leader: str | None = None


@dataclass(frozen=True)
class RecordMeeting:
    acting: Acting
    schedule: str
    held_at: datetime
    topic: str
    participant_ids: tuple[str, ...]
    minutes: Document
    call_id: str | None = None
    meeting_id: str | None = None


@dataclass(frozen=True)
class ScheduleMeeting:
    acting: Acting
    topic: str
    participant_ids: tuple[str, ...]
    scheduled_at: datetime


@dataclass(frozen=True)
class PlanMeetings:
    acting: Acting
    topic: str
    participant_ids: tuple[str, ...]
    every: str
    first_at: datetime


@dataclass(frozen=True)
class NameLiaison:
    acting: Acting
    liaison_name: str
    role: str


@dataclass(frozen=True)
class RecordSupervision:
    acting: Acting
    kind: str
    about_id: str
    text: str
    recommendation: str | None = None
    matter_code: str | None = None
    addressed_ids: tuple[str, ...] = ()
    due_at: datetime | None = None


@dataclass(frozen=True)
class AnswerSupervision:
    acting: Acting
    supervision_id: str
    text: str
    documents: tuple[Document, ...] = ()
