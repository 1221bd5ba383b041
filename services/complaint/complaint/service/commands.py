"""What a body can ask the complaint service to do; imperative names, plain values."""

from dataclasses import dataclass
from datetime import datetime

from complaint.domain.cases import Case
from complaint.domain.events import Material
from complaint.domain.personal import Complainant
from liandong_contracts.orgs import OrgRef
from liandong_runtime.acting import Acting


@dataclass(frozen=True)
class ReceiveComplaint:
    acting: Acting
    channel: str
    summary: str
    complainant: Complainant
    received_at: datetime | None = None  # None: received when registered
    matter_code: str | None = None
    locality_id: str | None = None
    materials: tuple[Material, ...] = ()
    origin: str = "api"


@dataclass(frozen=True)
class VerifyComplaint:
    acting: Acting
    complaint_id: str
    outcome: str
    findings: str
    case_id: str | None = None
    matter_code: str | None = None


@dataclass(frozen=True)
class ForwardComplaint:
    acting: Acting
    complaint_id: str
    matter_code: str
    locality_id: str
    reason: str
    materials: tuple[Material, ...] = ()


@dataclass(frozen=True)
class ContestForward:
    acting: Acting
    complaint_id: str
    reason: str


@dataclass(frozen=True)
class AnswerComplainant:
    acting: Acting
    complaint_id: str
    result: str
    case_id: str | None = None


@dataclass(frozen=True)
class SendFeedback:
    acting: Acting
    complaint_id: str
    result: str
    case_id: str | None = None


@dataclass(frozen=True)
class NameCase:
    """CMP-4: the township names the case it opened after finding a penalty due."""

    acting: Acting
    complaint_id: str
    case_id: str


@dataclass(frozen=True)
class GiveGuidance:
    """CMP-6: the department that told the township guides the investigation."""

    acting: Acting
    complaint_id: str
    guidance: str


@dataclass(frozen=True)
class RecordCase:
    """JUR-3: a case the referral service recorded (registered or accepted), consumed once."""

    case: Case
    actor_id: str
    consumed: tuple[str, str]


@dataclass(frozen=True)
class ResolveDispute:
    """A dispute outcome of the escalation service, consumed once (inbox)."""

    dispute_id: str
    outcome: str
    owner: OrgRef
    actor_id: str
    consumed: tuple[str, str]
    subject_id: str = ""
    subject_kind: str = ""  # routed on: only "complaint" disputes are ours
