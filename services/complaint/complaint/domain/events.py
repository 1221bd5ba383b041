"""What happened to a complaint, in domain terms; adapters turn these into wire contracts.

None of them carries the complainant's identity or contact data, only the random
`complainant_ref` (CMP-8).
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from liandong_runtime.refdata.model import Organisation


@dataclass(frozen=True)
class Material:
    """A written material held elsewhere, by URI."""

    title: str
    uri: str
    sha256: str | None = None


@dataclass(frozen=True)
class ComplaintReceived:
    channel: str
    received_by: Organisation
    received_at: datetime
    registered_at: datetime
    reference_no: str
    complainant_ref: UUID
    matter_code: str | None
    locality: Organisation | None
    summary: str
    materials: tuple[Material, ...]
    owner: Organisation | None = None  # the catalogue's owner at receipt, if known (CMP-6)


@dataclass(frozen=True)
class ComplaintVerified:
    outcome: str
    case_id: str | None
    matter_code: str | None
    findings: str
    received_at: datetime | None = None  # the verifier's receipt: CMP-5 counts from it


@dataclass(frozen=True)
class ComplaintCaseNamed:
    """CMP-4: the case the township opened, which exists (JUR-3)."""

    case_id: str
    matter_code: str | None
    via: str  # "complaint" | "case_registered"


@dataclass(frozen=True)
class GuidanceGiven:
    """CMP-6: the department that told the township guides its investigation (internal)."""

    department: Organisation
    text: str
    at: datetime


@dataclass(frozen=True)
class ComplaintForwarded:
    receiver: Organisation
    matter_code: str
    reason: str
    materials: tuple[Material, ...]
    township_told: bool  # CMP-6: complainant sent to the township, investigation asked
    received_at: datetime | None = None  # the sender's receipt: CMP-5/CMP-6 count from it


@dataclass(frozen=True)
class ComplaintForwardContested:
    sender: Organisation
    matter_code: str
    reason: str


@dataclass(frozen=True)
class ComplainantAnswered:
    result: str
    case_id: str | None
    took_over_from: Organisation | None = None  # ESC-3: whose paused duty fell to the answerer
    feedback_released: bool = False  # the dispute named the department owed feedback


@dataclass(frozen=True)
class ComplaintFeedbackSent:
    department: Organisation
    result: str
    case_id: str | None


@dataclass(frozen=True)
class DisputeResolved:
    """DSP-1/DSP-2: the escalation service named the owner; nothing new goes on the wire."""

    dispute_id: str
    outcome: str  # DisputeSettled | DisputeDecided
    owner: Organisation


ComplaintEvent = (
    ComplaintReceived | ComplaintVerified | ComplaintForwarded | ComplaintForwardContested
    | ComplainantAnswered | ComplaintFeedbackSent | DisputeResolved | ComplaintCaseNamed
    | GuidanceGiven
)
