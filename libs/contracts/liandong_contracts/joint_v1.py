"""Events of the assistance service, version 1: joint enforcement (联合执法协商, 吹哨报到).

Rules: JNT-1 … JNT-6. The producer is `assistance`, as for `assistance_v1`; staff are
dispatched with `assistance_v1.OnSiteDispatched`.
"""

from typing import Literal, Self

from pydantic import AwareDatetime, Field, model_validator

from liandong_contracts.assistance_v1 import AssistanceEvent
from liandong_contracts.common import Attachment
from liandong_contracts.orgs import OrgKind, OrgRef


class CallEvent(AssistanceEvent):
    call_id: str = Field(min_length=1, max_length=64)


class JointEnforcementCalled(CallEvent):
    """JNT-3/JNT-4/JNT-6: a township blows the whistle, or a body calls others in at once.

    `whistle`: 吹哨, the named departments report for duty (JNT-6); `major_clue`: a major
    case clue calls a special meeting and joint action (JNT-3); `hazard_notice`: a
    violation owned by another body, such as a major public-order or safety hazard, is
    notified at once (JNT-4); `consultation`: a consultation on a concrete case.
    """

    type: Literal["JointEnforcementCalled"] = "JointEnforcementCalled"
    schema_version: Literal[1] = 1
    kind: Literal["whistle", "major_clue", "hazard_notice", "consultation"]
    called: tuple[OrgRef, ...] = Field(min_length=1, description="The bodies called")
    matter_code: str | None = None
    case_id: str | None = Field(default=None, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)


class JointEnforcementAnswered(CallEvent):
    """JNT-4/JNT-6: a called body reported for duty, or refused with a reason.

    The actor is the body that answered; a body that neither reports nor gives a reason
    sends no answer, and its silence is escalated (JNT-4, ESC-1).
    """

    type: Literal["JointEnforcementAnswered"] = "JointEnforcementAnswered"
    schema_version: Literal[1] = 1
    answer: Literal["reported", "refused"]
    reason: str = Field(default="", max_length=2000, description="Required for a refusal")
    call_kind: Literal["whistle", "major_clue", "hazard_notice", "consultation"] | None = Field(
        default=None,
        description="The kind of the call answered. For a hazard notice (JNT-4) a report is "
        "not action and ends nothing; only staff sent or a reason does. None on events "
        "recorded before 2026-12-02",
    )

    @model_validator(mode="after")
    def _refusal_has_reason(self) -> Self:
        if self.answer == "refused" and not self.reason.strip():
            raise ValueError("a called body may not refuse without a reason (JNT-4)")
        return self


class ConsultationMeetingHeld(AssistanceEvent):
    """JNT-1/JNT-3: a consultation meeting was held, on schedule or ad hoc."""

    type: Literal["ConsultationMeetingHeld"] = "ConsultationMeetingHeld"
    schema_version: Literal[1] = 1
    meeting_id: str = Field(min_length=1, max_length=64)
    schedule: Literal["scheduled", "ad_hoc"]
    held_at: AwareDatetime
    topic: str = Field(min_length=1, max_length=500)
    participants: tuple[OrgRef, ...] = Field(min_length=2)
    minutes: Attachment
    call_id: str | None = Field(
        default=None, max_length=64, description="The call that asked for it (JNT-3)"
    )


class LiaisonPersonNamed(AssistanceEvent):
    """JNT-2: a township or a department names its joint-enforcement liaison; the actor is
    the body that names.

    A liaison is a public official role, so the name may travel; no phone or other
    contact data does: liaisons are reached through the platform.
    """

    type: Literal["LiaisonPersonNamed"] = "LiaisonPersonNamed"
    schema_version: Literal[1] = 1
    liaison_name: str = Field(min_length=1, max_length=64)
    role: str = Field(min_length=1, max_length=100, description="职务, e.g. 执法科科长")


class SupervisionRecorded(AssistanceEvent):
    """JNT-5: a township supervises (督办) a multi-department matter, or recommends on
    the appointment, removal, reward or discipline of a dispatched unit's head."""

    type: Literal["SupervisionRecorded"] = "SupervisionRecorded"
    schema_version: Literal[1] = 1
    kind: Literal["supervision", "recommendation"]
    about: OrgRef
    recommendation: Literal["appointment", "removal", "reward", "discipline"] | None = None
    matter_code: str | None = None
    text: str = Field(min_length=1, max_length=4000, description="What is asked, or recommended")
    supervision_id: str | None = Field(default=None, min_length=1, max_length=64)
    addressed: tuple[OrgRef, ...] = Field(
        default=(), description="The departments a supervision asks to act (JNT-5); each "
        "owes its answer by `due_at`",
    )
    due_at: AwareDatetime | None = Field(
        default=None, description="By when the departments addressed answer (JNT-5)"
    )

    @model_validator(mode="after")
    def _recommendation_on_a_dispatched_unit(self) -> Self:
        if self.kind == "supervision":
            if self.recommendation is not None:
                raise ValueError("a supervision carries no recommendation")
            return self
        if self.recommendation is None:
            raise ValueError(
                "a recommendation says on what: appointment, removal, reward or discipline (JNT-5)"
            )
        if self.about.kind is not OrgKind.DISPATCHED_UNIT:
            raise ValueError("a recommendation is about the head of a dispatched unit (JNT-5)")
        return self


class ConsultationMeetingScheduled(AssistanceEvent):
    """JNT-1: a consultation meeting is scheduled; its minutes are due by the end of its
    day (`JNT-1`, same_day), or the district government hears of it. The actor convenes."""

    type: Literal["ConsultationMeetingScheduled"] = "ConsultationMeetingScheduled"
    schema_version: Literal[1] = 1
    meeting_id: str = Field(min_length=1, max_length=64)
    scheduled_at: AwareDatetime
    topic: str = Field(min_length=1, max_length=500)
    participants: tuple[OrgRef, ...] = Field(min_length=2)


class SupervisionAnswered(AssistanceEvent):
    """JNT-5: a department addressed by a township's supervision (督办) answers it; the
    actor is the department."""

    type: Literal["SupervisionAnswered"] = "SupervisionAnswered"
    schema_version: Literal[1] = 1
    supervision_id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=4000, description="What was done, in writing")
    documents: tuple[Attachment, ...] = ()


EVENTS: tuple[type[AssistanceEvent], ...] = (
    JointEnforcementCalled,
    JointEnforcementAnswered,
    ConsultationMeetingHeld,
    LiaisonPersonNamed,
    SupervisionRecorded,
    ConsultationMeetingScheduled,
    SupervisionAnswered,
)
