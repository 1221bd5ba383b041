"""Events of the sharing service, version 1: enforcement information sharing (信息共享).

Rules: SHR-1 … SHR-4. Shared information never carries a complainant's identity or
contact data (CMP-8), not even in the complaint-handling category.
"""

from enum import StrEnum
from typing import Annotated, ClassVar, Literal, Self

from pydantic import AwareDatetime, Field, model_validator

from liandong_contracts.common import Attachment
from liandong_contracts.envelope import Event, Producer
from liandong_contracts.orgs import ORG_ID_PATTERN, OrgKind, OrgRef


class InfoCategory(StrEnum):
    """The eight categories of shared information (SHR-2)."""

    LAW_CHANGES = "law_changes"
    """1. 涉及乡镇（街道）行政处罚事项设定依据的法律、法规、规章调整情况"""
    DEPARTMENT_ENFORCEMENT = "department_enforcement"
    """2. 相关行政主管部门实施的与下放乡镇（街道）有关的行政执法事项和监督管理信息"""
    TOWNSHIP_PENALTY_DECISIONS = "township_penalty_decisions"
    """3. 乡镇（街道）作出与区级职能部门执法密切相关的行政处罚决定及执行情况"""
    ENFORCEMENT_STATISTICS = "enforcement_statistics"
    """4. 与乡镇（街道）综合执法相关的统计分析数据（含部门行业管理、档案、督查考核所需数据）"""
    DISCRETION_STANDARDS = "discretion_standards"
    """5. 乡镇（街道）行政处罚事项的自由裁量标准及各类行政执法工作流程"""
    DEPARTMENT_DYNAMIC_INFO = "department_dynamic_info"
    """6. 区级职能部门履职中收集、掌握、制作的动态信息（行政检查记录、执法工作简报等）"""
    COMPLAINT_HANDLING = "complaint_handling"
    """7. 投诉举报案件的受理与处理情况"""
    OTHER = "other"
    """8. 其他需要共享的执法信息"""


OrgId = Annotated[str, Field(pattern=ORG_ID_PATTERN)]


class SharingEvent(Event):
    producer: ClassVar[Producer] = "sharing"

    info_id: str = Field(min_length=1, max_length=64)


class InfoPublished(SharingEvent):
    """SHR-1/SHR-2/SHR-3: a piece of enforcement information is shared on the platform."""

    type: Literal["InfoPublished"] = "InfoPublished"
    schema_version: Literal[1] = 1
    category: InfoCategory
    title: str = Field(min_length=1, max_length=200)
    matter_code: str | None = None
    formed_at: AwareDatetime = Field(description="When the information was formed (SHR-4)")
    audience: Literal["all"] | tuple[OrgId, ...] = Field(
        description='"all", or the ids of the organisations it is shared with'
    )
    attachments: tuple[Attachment, ...] = ()
    summary: str = Field(
        max_length=4000, description="Never a complainant's identity or contact data (CMP-8)"
    )
    requested_by: OrgRef | None = Field(
        default=None,
        description="SHR-2 (3)/(4): the department whose request this publication answers",
    )
    caused_by_case: str | None = Field(
        default=None,
        description="SHR-3: the closed case whose penalty decision this is, when fed "
        "from the referral service",
    )

    @model_validator(mode="after")
    def _audience_not_empty(self) -> Self:
        if not self.audience:
            raise ValueError('audience is empty: name at least one organisation, or "all"')
        return self


class InfoSharingDelayed(SharingEvent):
    """SHR-4/ESC-3: the information cannot be shared on the day it formed; the limit moves."""

    type: Literal["InfoSharingDelayed"] = "InfoSharingDelayed"
    schema_version: Literal[1] = 1
    category: InfoCategory
    formed_at: AwareDatetime
    reason: str = Field(min_length=1, max_length=2000)
    new_due_at: AwareDatetime

    @model_validator(mode="after")
    def _due_after_forming(self) -> Self:
        if self.new_due_at <= self.formed_at:
            raise ValueError("new_due_at must be after formed_at (SHR-4 extension)")
        return self


class InfoRequested(SharingEvent):
    """SHR-2 (3)/(4): a department asks a township for its penalty decisions or statistics.

    `info_id` is the id the answer is published under; the answer is watched (`SHR-2`).
    """

    type: Literal["InfoRequested"] = "InfoRequested"
    schema_version: Literal[1] = 1
    category: Literal[
        InfoCategory.TOWNSHIP_PENALTY_DECISIONS, InfoCategory.ENFORCEMENT_STATISTICS
    ]
    township: OrgRef = Field(description="The township asked; it publishes the answer")
    title: str = Field(min_length=1, max_length=200, description="What is asked for")
    matter_code: str | None = None

    @model_validator(mode="after")
    def _asked_of_a_township_by_a_department(self) -> Self:
        if not self.township.kind.is_township:
            raise ValueError("SHR-2: (3) and (4) are asked of a township or street office")
        if self.actor.kind != OrgKind.DEPARTMENT:
            raise ValueError("SHR-2: a department asks a township for (3) or (4)")
        return self


EVENTS: tuple[type[SharingEvent], ...] = (InfoPublished, InfoSharingDelayed, InfoRequested)
