"""What a body can ask the referral service to do; imperative names, plain values."""

from dataclasses import dataclass
from datetime import date, datetime

from liandong_runtime.acting import Acting
from referral.domain.events import Materials


@dataclass(frozen=True)
class RecordFinding:
    acting: Acting
    matter_code: str
    locality_id: str
    found_at: datetime
    summary: str
    urgent: bool = False
    stop_ordered_at: datetime | None = None
    occurred_on: date | None = None
    filed_on: date | None = None
    closed_on: date | None = None


@dataclass(frozen=True)
class RegisterCase:
    """JUR-3: a body's own case, on a matter it owns on that date and place."""

    acting: Acting
    matter_code: str
    locality_id: str
    found_at: datetime
    summary: str
    complaint_id: str | None = None


@dataclass(frozen=True)
class AcknowledgeOngoing:
    """REF-6: the owner acknowledges a notice, naming its own case or saying why not."""

    acting: Acting
    case_id: str
    own_case_id: str | None
    reason: str = ""


@dataclass(frozen=True)
class RaiseHistoricalDispute:
    """REF-3: no agreement on a historical matter; a party raises a dispute (DSP-1)."""

    acting: Acting
    case_id: str
    reason: str


@dataclass(frozen=True)
class ReportOngoing:
    acting: Acting
    case_id: str
    stop_ordered_at: datetime
    summary: str


@dataclass(frozen=True)
class TransferCase:
    acting: Acting
    case_id: str
    materials: Materials


@dataclass(frozen=True)
class AcceptTransfer:
    acting: Acting
    case_id: str


@dataclass(frozen=True)
class RefuseTransfer:
    acting: Acting
    case_id: str
    grounds: str
    reason: str


@dataclass(frozen=True)
class SuspectCrime:
    acting: Acting
    case_id: str
    grounds: str


@dataclass(frozen=True)
class TransferToJudiciary:
    acting: Acting
    case_id: str
    judicial_organ_id: str
    materials: tuple[str, ...]


@dataclass(frozen=True)
class RecordJudiciaryDecision:
    acting: Acting
    case_id: str
    decision: str
    reason: str = ""


@dataclass(frozen=True)
class CloseCase:
    acting: Acting
    case_id: str
    outcome: str


@dataclass(frozen=True)
class SettleOwnership:
    """DSP-1/DSP-2, from the escalation service's DisputeSettled or DisputeDecided: the case
    is the dispute's subject (`subject_kind` "case"), never read out of the dispute's id."""

    acting: Acting
    dispute_id: str
    case_id: str
    owner_id: str
    settled_by: str
    consumed: tuple[str, str]
