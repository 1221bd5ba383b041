"""Events of the assistance service, version 1: enforcement assistance (执法协助).

Rules: AST-1 … AST-6, and the on-site dispatch of JNT-4. The joint-enforcement events
of the same producer are in `joint_v1`.
"""

from enum import StrEnum
from typing import ClassVar, Literal, Self

from pydantic import AwareDatetime, Field, model_validator

from liandong_contracts.common import Attachment
from liandong_contracts.envelope import Event, Producer
from liandong_contracts.orgs import OrgRef


class AssistanceKind(StrEnum):
    """What a township asks a department (or the police) for."""

    TECHNICAL_SUPPORT = "technical_support"  # 技术支撑 (AST-1)
    IDENTIFICATION = "identification"  # 认定 / 鉴定 (AST-1)
    ARCHIVE_ACCESS = "archive_access"  # 查阅、复制档案资料 (AST-4)
    ON_SITE_DISPATCH = "on_site_dispatch"  # 派执法人员现场处置 (AST-2)
    POLICE_ASSISTANCE = "police_assistance"  # 公安：阻挠执法、暴力抗法、固定证据、现场控制 (AST-6)
    TRAINING = "training"  # 业务实习、集中培训、考试考核 (AST-5)


class AssistanceEvent(Event):
    producer: ClassVar[Producer] = "assistance"


class RequestEvent(AssistanceEvent):
    request_id: str = Field(min_length=1, max_length=64)


class AssistanceRequested(RequestEvent):
    """AST-1/AST-2/AST-4/AST-5/AST-6: a township asks in writing; the actor asks."""

    type: Literal["AssistanceRequested"] = "AssistanceRequested"
    schema_version: Literal[1] = 1
    kind: AssistanceKind
    receiver: OrgRef = Field(description="The department or judicial organ asked")
    case_id: str | None = Field(default=None, max_length=64)
    urgent: bool = False
    evidence_at_risk: bool = Field(
        default=False, description="Evidence may be lost; staff are due on site at once (AST-2)"
    )
    summary: str = Field(min_length=1, max_length=2000)
    documents: tuple[Attachment, ...] = Field(default=(), description="The written request")


class AssistanceExtended(RequestEvent):
    """AST-3/ESC-3: the department said before the limit that it needs longer."""

    type: Literal["AssistanceExtended"] = "AssistanceExtended"
    schema_version: Literal[1] = 1
    new_due_at: AwareDatetime
    reason: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _due_after_notice(self) -> Self:
        if self.new_due_at <= self.occurred_at:
            raise ValueError("new_due_at must be after the extension is announced (AST-3)")
        return self


class AssistanceAnswered(RequestEvent):
    """AST-1/AST-4: the department answered in writing, with evidence, or refused."""

    type: Literal["AssistanceAnswered"] = "AssistanceAnswered"
    schema_version: Literal[1] = 1
    kind: AssistanceKind
    answer: Literal["granted", "answered", "refused"]
    reason: str = Field(
        default="", max_length=2000,
        description="Why, in writing: required for every refusal since 2026-12-02 (AST-1, "
        "AST-4); a refusal of an identification or of archive access is reported to the "
        "district government",
    )
    documents: tuple[Attachment, ...] = Field(
        default=(), description="The written opinion and its evidence (AST-1)"
    )

    @model_validator(mode="after")
    def _archive_refusal_has_reason(self) -> Self:
        refused_archive = self.answer == "refused" and self.kind is AssistanceKind.ARCHIVE_ACCESS
        if refused_archive and not self.reason.strip():
            raise ValueError("archive access may not be refused without a reason (AST-4)")
        return self


class OnSiteDispatched(AssistanceEvent):
    """AST-2/JNT-4: enforcement staff were sent on site, for a request or a joint call."""

    type: Literal["OnSiteDispatched"] = "OnSiteDispatched"
    schema_version: Literal[1] = 1
    request_id: str | None = Field(default=None, min_length=1, max_length=64)
    call_id: str | None = Field(default=None, min_length=1, max_length=64)
    dispatched_at: AwareDatetime = Field(
        description="When the staff were sent, as declared; never after `occurred_at`, the "
        "moment it was recorded (AST-2, ESC-5)"
    )
    staff_count: int = Field(ge=1)
    leader: str | None = Field(
        default=None, max_length=64,
        description="Who leads the staff sent (带队人员); required for a hazard notice (JNT-4)",
    )

    @model_validator(mode="after")
    def _answers_one_request_or_call(self) -> Self:
        if (self.request_id is None) == (self.call_id is None):
            raise ValueError("set exactly one of request_id (AST-2) and call_id (JNT-4)")
        return self


EVENTS: tuple[type[AssistanceEvent], ...] = (
    AssistanceRequested,
    AssistanceExtended,
    AssistanceAnswered,
    OnSiteDispatched,
)
