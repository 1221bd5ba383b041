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
    """DSP-1/DSP-2, from the escalation service's DisputeSettled or DisputeDecided."""

    acting: Acting
    dispute_id: str
    owner_id: str
    settled_by: str
    consumed: tuple[str, str]

    @property
    def case_id(self) -> str | None:
        """Disputes over a refused transfer are named `dsp-<case id>`."""
        case_id = self.dispute_id.removeprefix("dsp-")
        return case_id if case_id.startswith("case-") else None
