"""Events of the referral service, version 1: case transfer and the judicial path.

Rules: REF-1 … REF-9, JUR-2, JUR-3, CRM-1 … CRM-3.
"""

from datetime import date
from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from liandong_contracts.common import Attachment, TransferMaterials
from liandong_contracts.envelope import Event, Producer
from liandong_contracts.orgs import OrgRef


class ReferralEvent(Event):
    producer: ClassVar[Producer] = "referral"

    case_id: str = Field(min_length=1, max_length=64)


class FindingRecorded(ReferralEvent):
    """A violation found on a matter the finder does not own; starts the REF-4/REF-5 clock."""

    type: Literal["FindingRecorded"] = "FindingRecorded"
    schema_version: Literal[1] = 1
    matter_code: str
    locality: OrgRef = Field(description="The township where the violation was found")
    owner: OrgRef = Field(description="The owner of the matter on the day of discovery")
    found_at: AwareDatetime
    urgent: bool = False
    ongoing: bool = False
    summary: str = Field(max_length=2000)


class OngoingViolationReported(ReferralEvent):
    """REF-6: the finder ordered the party to stop and informs the owner at once."""

    type: Literal["OngoingViolationReported"] = "OngoingViolationReported"
    schema_version: Literal[1] = 1
    owner: OrgRef
    stop_ordered_at: AwareDatetime
    summary: str = Field(max_length=2000)


class CaseTransferred(ReferralEvent):
    """REF-4/REF-5/REF-7: the case with its written material goes to the owner."""

    type: Literal["CaseTransferred"] = "CaseTransferred"
    schema_version: Literal[1] = 1
    matter_code: str
    receiver: OrgRef
    materials: TransferMaterials
    urgent: bool = False
    historical: bool = Field(
        default=False, description="A pre-hand-over matter moved only by agreement (REF-3)"
    )
    attempt: int = Field(default=1, ge=1, description="REF-9: the how-many-th transfer of "
                         "this case (a refusal for materials brings it back to the finder)")


class CaseTransferAccepted(ReferralEvent):
    """REF-9: the receiver takes the case."""

    type: Literal["CaseTransferAccepted"] = "CaseTransferAccepted"
    schema_version: Literal[1] = 1
    transferred_by: OrgRef
    attempt: int = Field(default=1, ge=1, description="REF-9: the how-many-th transfer of "
                         "this case (a refusal for materials brings it back to the finder)")


class CaseTransferRefused(ReferralEvent):
    """REF-9: the receiver refuses with a reason. No refusal is a dead end: on jurisdiction
    grounds a dispute opens (DSP-1); for incomplete material the case returns to the finder,
    who completes it and transfers again; any other refusal goes to the district
    government's desk as a dispute. A refused historical transfer (REF-3) stays with the
    department, and either party may raise a dispute (HistoricalDisputeRaised).
    """

    type: Literal["CaseTransferRefused"] = "CaseTransferRefused"
    schema_version: Literal[1] = 1
    transferred_by: OrgRef
    grounds: Literal["jurisdiction", "materials", "historical_no_agreement", "other"]
    reason: str = Field(min_length=1, max_length=2000)
    matter_code: str
    attempt: int = Field(default=1, ge=1, description="REF-9: the how-many-th transfer of "
                         "this case (a refusal for materials brings it back to the finder)")


class OngoingViolationAcknowledged(ReferralEvent):
    """REF-6: the owner acknowledged an ongoing-violation notice, and opened its own case
    (JUR-3, `own_case_id`) or said why not (`reason`)."""

    type: Literal["OngoingViolationAcknowledged"] = "OngoingViolationAcknowledged"
    schema_version: Literal[1] = 1
    finder: OrgRef = Field(description="The body that informed the owner")
    own_case_id: str | None = Field(default=None, max_length=64)
    reason: str = Field(default="", max_length=2000)


class HistoricalDisputeRaised(ReferralEvent):
    """REF-3: no agreement on moving a pre-hand-over matter to the township; the case stayed
    with the department, and one of the two parties raises a jurisdiction dispute (DSP-1)."""

    type: Literal["HistoricalDisputeRaised"] = "HistoricalDisputeRaised"
    schema_version: Literal[1] = 1
    matter_code: str
    department: OrgRef
    township: OrgRef
    reason: str = Field(min_length=1, max_length=2000)


class CaseRegistered(ReferralEvent):
    """JUR-3: a body registered (立案) a case it handles itself, on a matter it owns.

    `complaint_id` names the complaint the case follows up (CMP-4), if any.
    """

    type: Literal["CaseRegistered"] = "CaseRegistered"
    schema_version: Literal[1] = 1
    matter_code: str
    locality: OrgRef = Field(description="The township where the violation is")
    owner: OrgRef = Field(description="The body that registered and handles the case")
    found_at: AwareDatetime = Field(description="When the violation was found (declared)")
    summary: str = Field(max_length=2000)
    complaint_id: str | None = Field(default=None, max_length=64)


class CaseClosed(ReferralEvent):
    """The owner closed the case (never by penalty alone while a crime is pending, CRM-2)."""

    type: Literal["CaseClosed"] = "CaseClosed"
    schema_version: Literal[1] = 1
    outcome: Literal["administrative_penalty", "no_violation", "judicial_accepted", "other"]
    closed_on: date


class CrimeSuspected(ReferralEvent):
    """CRM-1: a crime is suspected; the transfer to the judicial organs is due."""

    type: Literal["CrimeSuspected"] = "CrimeSuspected"
    schema_version: Literal[1] = 1
    grounds: str = Field(min_length=1, max_length=2000)
    attempt: int = Field(default=1, ge=1, description="CRM-1: the how-many-th suspicion of "
                         "this case (a declined case may be suspected again)")


class CaseTransferredToJudiciary(ReferralEvent):
    """CRM-1: the case goes to a judicial organ."""

    type: Literal["CaseTransferredToJudiciary"] = "CaseTransferredToJudiciary"
    schema_version: Literal[1] = 1
    judicial_organ: OrgRef
    materials: tuple[Attachment, ...] = Field(min_length=1)
    attempt: int = Field(default=1, ge=1, description="CRM-1: the how-many-th suspicion of "
                         "this case (a declined case may be suspected again)")


class JudiciaryDecisionRecorded(ReferralEvent):
    """CRM-3: the judicial organ accepted, or declined and returned, the case."""

    type: Literal["JudiciaryDecisionRecorded"] = "JudiciaryDecisionRecorded"
    schema_version: Literal[1] = 1
    judicial_organ: OrgRef
    transferred_by: OrgRef
    decision: Literal["accepted", "declined"]
    reason: str = Field(default="", max_length=2000)


class CaseOwnershipSettled(ReferralEvent):
    """DSP-1/DSP-2: a refused transfer's dispute ended; the case is now its owner's.

    The actor is the one whose act ended the dispute: the party that completed the
    agreement, or the district government that decided; `causation_id` is that event.
    """

    type: Literal["CaseOwnershipSettled"] = "CaseOwnershipSettled"
    schema_version: Literal[1] = 1
    dispute_id: str = Field(min_length=1, max_length=64)
    owner: OrgRef
    settled_by: Literal["agreement", "district_government"]


EVENTS: tuple[type[ReferralEvent], ...] = (
    FindingRecorded,
    OngoingViolationReported,
    CaseTransferred,
    CaseTransferAccepted,
    CaseTransferRefused,
    OngoingViolationAcknowledged,
    HistoricalDisputeRaised,
    CaseRegistered,
    CaseClosed,
    CrimeSuspected,
    CaseTransferredToJudiciary,
    JudiciaryDecisionRecorded,
    CaseOwnershipSettled,
)
