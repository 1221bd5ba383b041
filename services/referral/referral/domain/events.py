"""What happened to a case, in domain terms; adapters turn these into wire contracts."""

from dataclasses import dataclass
from datetime import date, datetime

from liandong_runtime.refdata.model import Organisation


@dataclass(frozen=True)
class Materials:
    """REF-7: transfer letter, case-source material, preliminary evidence (URIs)."""

    transfer_letter: str
    case_source: tuple[str, ...]
    preliminary_evidence: tuple[str, ...]


@dataclass(frozen=True)
class FindingRecorded:
    matter_code: str
    locality: Organisation
    owner: Organisation
    found_at: datetime
    urgent: bool
    ongoing: bool
    summary: str


@dataclass(frozen=True)
class OngoingViolationReported:
    owner: Organisation
    stop_ordered_at: datetime
    summary: str


@dataclass(frozen=True)
class CaseTransferred:
    matter_code: str
    receiver: Organisation
    materials: Materials
    urgent: bool
    historical: bool
    attempt: int = 1


@dataclass(frozen=True)
class CaseTransferAccepted:
    transferred_by: Organisation
    attempt: int = 1


@dataclass(frozen=True)
class CaseTransferRefused:
    transferred_by: Organisation
    matter_code: str
    grounds: str
    reason: str
    attempt: int = 1


@dataclass(frozen=True)
class OngoingViolationAcknowledged:
    finder: Organisation
    own_case_id: str | None
    reason: str


@dataclass(frozen=True)
class HistoricalDisputeRaised:
    matter_code: str
    department: Organisation
    township: Organisation
    reason: str


@dataclass(frozen=True)
class CaseRegistered:
    matter_code: str
    locality: Organisation
    owner: Organisation
    found_at: datetime
    summary: str
    complaint_id: str | None


@dataclass(frozen=True)
class CaseOwnershipSettled:
    dispute_id: str
    owner: Organisation
    settled_by: str


@dataclass(frozen=True)
class CaseClosed:
    outcome: str
    closed_on: date


@dataclass(frozen=True)
class CrimeSuspected:
    grounds: str
    attempt: int = 1


@dataclass(frozen=True)
class CaseTransferredToJudiciary:
    judicial_organ: Organisation
    materials: tuple[str, ...]
    attempt: int = 1


@dataclass(frozen=True)
class JudiciaryDecisionRecorded:
    judicial_organ: Organisation
    transferred_by: Organisation
    decision: str
    reason: str


CaseEvent = (
    FindingRecorded | OngoingViolationReported | CaseTransferred | CaseTransferAccepted
    | CaseTransferRefused | CaseClosed | CrimeSuspected | CaseTransferredToJudiciary
    | JudiciaryDecisionRecorded | CaseOwnershipSettled | OngoingViolationAcknowledged
    | HistoricalDisputeRaised | CaseRegistered
)
