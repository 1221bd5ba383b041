"""Events of the escalation service, version 1: deadlines and jurisdiction disputes.

Rules: ESC-1 … ESC-4, DSP-1, DSP-2.
"""

from datetime import date
from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from liandong_contracts.envelope import Event, Producer
from liandong_contracts.orgs import OrgRef


class EscalationEvent(Event):
    producer: ClassVar[Producer] = "escalation"


class DeadlineEvent(EscalationEvent):
    deadline_id: str = Field(min_length=1, max_length=128)
    rule: str = Field(pattern=r"^[A-Z]{3}-\d+(-[A-Z]+)?$", examples=["REF-4", "REF-6-ACK"],
                      description="The key of the limits table (LIMITS)")
    duty: str = Field(max_length=200, description="What had to be done")
    responsible: OrgRef
    started_at: AwareDatetime
    due_at: AwareDatetime
    recorded_at: AwareDatetime | None = Field(
        default=None, description="ESC-5: when the system recorded the declared start time")
    counted_from: Literal["started_at", "recorded_at"] = Field(
        default="started_at",
        description="ESC-5: the limit counts from the declared start, or from the recording "
                    "time when the declared start could not be counted from")


class DeadlineWarning(DeadlineEvent):
    """ESC-1: a duty is close to its limit (the warning before the breach)."""

    type: Literal["DeadlineWarning"] = "DeadlineWarning"
    schema_version: Literal[1] = 1


class DeadlineBreached(DeadlineEvent):
    """ESC-1: a limit passed with its duty undone."""

    type: Literal["DeadlineBreached"] = "DeadlineBreached"
    schema_version: Literal[1] = 1
    late_by_seconds: int = Field(ge=0)


class DistrictGovernmentNotified(DeadlineEvent):
    """ESC-1: the district government was told who, what, how late and which rule."""

    type: Literal["DistrictGovernmentNotified"] = "DistrictGovernmentNotified"
    schema_version: Literal[1] = 1
    late_by_seconds: int = Field(ge=0)
    message: str = Field(description="The notice as the district government reads it (zh-CN)")
    kind: Literal["breach", "refusal_reported"] = Field(
        default="breach",
        description="A missed limit (ESC-1), or a refusal the rules say is reported to the "
                    "district government (AST-1, AST-4, JNT-4, ...): not a breach")
    reason: str = Field(default="", max_length=2000, description="The refusal's stated reason")
    report_id: str | None = Field(
        default=None, max_length=128,
        description="kind refusal_reported: the report's own id (one notice per report)")


SubjectKind = Literal["case", "complaint", "matter", ""]


class DisputeEvent(EscalationEvent):
    dispute_id: str = Field(min_length=1, max_length=64)
    matter_code: str
    parties: tuple[OrgRef, OrgRef]
    subject_id: str = Field(default="", description="The case or complaint the dispute is about")
    subject_kind: SubjectKind = Field(
        default="", description="What `subject_id` names; empty for a dispute over a matter")


class DisputeRaised(DisputeEvent):
    """DSP-1: a jurisdiction dispute opens for negotiation between the two parties."""

    type: Literal["DisputeRaised"] = "DisputeRaised"
    schema_version: Literal[1] = 1
    origin: Literal[
        "transfer_refused", "complaint_forward_contested", "historical_matter", "direct",
        "transfer_refused_other",
    ]
    subject_id: str = Field(description="The case or complaint the dispute is about")
    reason: str = Field(max_length=2000)


class DisputeSettled(DisputeEvent):
    """DSP-1: both parties agreed on the owner."""

    type: Literal["DisputeSettled"] = "DisputeSettled"
    schema_version: Literal[1] = 1
    owner: OrgRef


class DisputeEscalated(DisputeEvent):
    """DSP-2: no agreement within the limit (or a party asked); the district government
    decides. A transfer refused on other grounds than jurisdiction or material (REF-9) goes
    to the district government at once: `refused_transfer_referred`."""

    type: Literal["DisputeEscalated"] = "DisputeEscalated"
    schema_version: Literal[1] = 1
    reason: Literal["negotiation_limit_passed", "party_requested", "refused_transfer_referred"]


class DisputeDecided(DisputeEvent):
    """DSP-2: the district government's decision binds both and sets the owner."""

    type: Literal["DisputeDecided"] = "DisputeDecided"
    schema_version: Literal[1] = 1
    owner: OrgRef
    decision_ref: str = Field(max_length=200)
    catalogue_correction: bool = Field(
        default=False, description="The catalogue was wrong and is corrected for this matter"
    )
    correction_places: tuple[str, ...] = Field(
        default=(), description="DSP-2: the townships the correction covers (empty: all)")
    correction_effective_from: date | None = Field(
        default=None, description="DSP-2: the date from which the correction applies; "
                                  "ownership before it is unchanged (JUR-1)")


EVENTS: tuple[type[EscalationEvent], ...] = (
    DeadlineWarning,
    DeadlineBreached,
    DistrictGovernmentNotified,
    DisputeRaised,
    DisputeSettled,
    DisputeEscalated,
    DisputeDecided,
)
