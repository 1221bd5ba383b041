"""Events of the complaint service, version 1: complaints and reports (投诉举报).

Rules: CMP-1 … CMP-8. The complainant appears only as a pseudonymous reference
(`complainant_ref`); name, phone, ID number, address and any other contact data stay in
the handling body's protected register and never travel on the bus (CMP-8).
"""

from enum import StrEnum
from typing import ClassVar, Literal, Self
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from liandong_contracts.common import Attachment
from liandong_contracts.envelope import Event, Producer
from liandong_contracts.orgs import OrgRef

NO_PERSONAL_DATA = "must not contain the complainant's name, phone, ID number, address or contact"


class ComplaintChannel(StrEnum):
    """How the complaint or report reached the first receiver."""

    PHONE = "phone"  # 电话
    VISIT = "visit"  # 来访
    LETTER = "letter"  # 来信
    ONLINE = "online"  # 网上投诉举报
    HOTLINE_12345 = "hotline_12345"  # 12345 政务服务便民热线


class ComplaintEvent(Event):
    producer: ClassVar[Producer] = "complaint"

    complaint_id: str = Field(min_length=1, max_length=64)


class ComplaintReceived(ComplaintEvent):
    """CMP-1/CMP-2/CMP-6: the first receiver took the complaint and registered it.

    Receipt and registration are one event: a complaint enters the system when it is
    registered, and `registered_at` against `received_at` shows whether CMP-2 was kept.
    """

    type: Literal["ComplaintReceived"] = "ComplaintReceived"
    schema_version: Literal[1] = 1
    channel: ComplaintChannel
    received_by: OrgRef = Field(
        description="The first receiver, responsible until it answers or forwards (CMP-1)"
    )
    received_at: AwareDatetime
    registered_at: AwareDatetime
    reference_no: str = Field(min_length=1, max_length=64, description="登记编号")
    complainant_ref: UUID = Field(
        description="Pseudonymous reference into the receiver's protected register; "
        "never the complainant's identity or contact data (CMP-8)"
    )
    matter_code: str | None = None
    locality: OrgRef | None = Field(
        default=None, description="The township where the matter complained of is, if known"
    )
    summary: str = Field(
        max_length=2000, description=f"The matter complained of (zh-CN); {NO_PERSONAL_DATA}"
    )
    materials: tuple[Attachment, ...] = Field(
        default=(), description="Written material the complainant handed in, if any"
    )
    owner: OrgRef | None = Field(
        default=None,
        description="The owner the catalogue names at receipt, when matter and locality are "
        "known: a department receiving a township's complaint tells it (CMP-6)",
    )

    @model_validator(mode="after")
    def _registered_after_receipt(self) -> Self:
        if self.registered_at < self.received_at:
            raise ValueError(
                "registered_at is before received_at: a complaint is registered "
                "when or after it is received (CMP-2)"
            )
        return self


class ComplaintVerified(ComplaintEvent):
    """CMP-3/CMP-4/CMP-5: the township's preliminary verification decided the path."""

    type: Literal["ComplaintVerified"] = "ComplaintVerified"
    schema_version: Literal[1] = 1
    outcome: Literal["no_violation", "penalty_due", "no_jurisdiction"]
    case_id: str | None = Field(
        default=None, max_length=64, description="The case opened when a penalty is due (CMP-4)"
    )
    matter_code: str | None = None
    findings: str = Field(max_length=2000, description=f"What was verified; {NO_PERSONAL_DATA}")
    received_at: AwareDatetime | None = Field(
        default=None,
        description="When the verifying body received the complaint (its own receipt or the "
        "forward): CMP-5 counts from it",
    )

    @model_validator(mode="after")
    def _case_only_when_penalty_due(self) -> Self:
        # CMP-4 (revised): with penalty_due the case may be opened after the verification,
        # within the CMP-4 limit; it is named then by ComplaintCaseNamed.
        if self.outcome != "penalty_due" and self.case_id:
            raise ValueError(f"outcome {self.outcome} opens no case, yet case_id is set")
        return self


class ComplaintForwarded(ComplaintEvent):
    """CMP-5/CMP-6: the complaint goes to its owner; the actor is the sender.

    CMP-5: a township without jurisdiction forwards written material to the owner.
    CMP-6: a department tells the complainant to go to the owning township, asks the
    township to investigate, and forwards any written material it received.
    """

    type: Literal["ComplaintForwarded"] = "ComplaintForwarded"
    schema_version: Literal[1] = 1
    receiver: OrgRef
    matter_code: str | None = None
    reason: str = Field(min_length=1, max_length=2000, description="Why the receiver owns it")
    materials: tuple[Attachment, ...] = Field(
        default=(), description="Written material; at least one when a township forwards (CMP-5)"
    )
    complainant_directed_to_receiver: bool = Field(
        default=False, description="The complainant was told to go to the receiver (CMP-6)"
    )
    investigation_requested: bool = Field(
        default=False, description="The receiver is asked to investigate (CMP-6)"
    )
    received_at: AwareDatetime | None = Field(
        default=None,
        description="When the sender received the complaint: CMP-5 and CMP-6 count from it",
    )

    @model_validator(mode="after")
    def _forwarded_to_another_body_with_material(self) -> Self:
        if self.receiver.id == self.actor.id:
            raise ValueError("a complaint cannot be forwarded to its sender")
        if self.actor.kind.is_township and not self.materials:
            raise ValueError("a township forwards a complaint with written material (CMP-5)")
        return self


class ComplaintForwardContested(ComplaintEvent):
    """DSP-1: the receiver of a forwarded complaint says it does not own the matter.

    The actor is the receiver; the complaint stays with it until the dispute is settled
    or decided (CMP-1), and the escalation service opens the dispute.
    """

    type: Literal["ComplaintForwardContested"] = "ComplaintForwardContested"
    schema_version: Literal[1] = 1
    sender: OrgRef = Field(description="The body that forwarded the complaint")
    matter_code: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _contested_by_another_body(self) -> Self:
        if self.sender.id == self.actor.id:
            raise ValueError("a body cannot contest its own forward")
        return self


class ComplaintCaseNamed(ComplaintEvent):
    """CMP-4: the township that found a penalty due names the case it opened (JUR-3).

    The case exists: it was registered by the township (`CaseRegistered`) or accepted by
    it on a transfer. `via` says whether the township named it or the case's own
    registration named the complaint.
    """

    type: Literal["ComplaintCaseNamed"] = "ComplaintCaseNamed"
    schema_version: Literal[1] = 1
    case_id: str = Field(min_length=1, max_length=64)
    matter_code: str | None = None
    via: Literal["complaint", "case_registered"] = "complaint"


class ComplainantAnswered(ComplaintEvent):
    """CMP-3/CMP-7: the complainant was told the result; the actor is the body that answered."""

    type: Literal["ComplainantAnswered"] = "ComplainantAnswered"
    schema_version: Literal[1] = 1
    result: str = Field(
        min_length=1, max_length=2000, description=f"The result as told; {NO_PERSONAL_DATA}"
    )
    case_id: str | None = Field(default=None, max_length=64)
    took_over_from: OrgRef | None = Field(
        default=None,
        description="ESC-3: the body whose duty, paused by a jurisdiction dispute, fell to "
        "the answering body when the dispute named it owner; that duty is done too",
    )
    feedback_released: bool = Field(
        default=False,
        description="ESC-3/CMP-7: the dispute named the department that told the township "
        "as owner: no feedback to it is owed any more",
    )


class ComplaintFeedbackSent(ComplaintEvent):
    """CMP-7: the township fed the result back to the department that told it."""

    type: Literal["ComplaintFeedbackSent"] = "ComplaintFeedbackSent"
    schema_version: Literal[1] = 1
    department: OrgRef = Field(description="The department that told the township (CMP-6)")
    result: str = Field(
        min_length=1, max_length=2000, description=f"The result; {NO_PERSONAL_DATA}"
    )
    case_id: str | None = Field(default=None, max_length=64)


EVENTS: tuple[type[ComplaintEvent], ...] = (
    ComplaintReceived,
    ComplaintVerified,
    ComplaintForwarded,
    ComplaintForwardContested,
    ComplainantAnswered,
    ComplaintFeedbackSent,
    ComplaintCaseNamed,
)
