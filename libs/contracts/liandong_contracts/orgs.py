"""Organisation references: who acts, who owns, who is told.

Every reference carries the organisation's kind so that any consumer can check rules
such as REF-8 (no transfer in the name of an internal, affiliated or dispatched unit)
without asking a directory.
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class OrgKind(StrEnum):
    """The kinds of body the mechanism names."""

    TOWNSHIP = "township"  # 乡镇综合行政执法机构
    STREET_OFFICE = "street_office"  # 街道综合行政执法机构
    DEPARTMENT = "department"  # 区级职能部门
    INTERNAL_UNIT = "internal_unit"  # 内设机构
    AFFILIATED_UNIT = "affiliated_unit"  # 直属机构
    DISPATCHED_UNIT = "dispatched_unit"  # 派出机构
    JUDICIAL_ORGAN = "judicial_organ"  # 公安机关 / 人民检察院 / 人民法院
    DISTRICT_GOVERNMENT = "district_government"  # 区人民政府

    @property
    def is_township(self) -> bool:
        """Townships and street offices play the same part in the mechanism."""
        return self in (OrgKind.TOWNSHIP, OrgKind.STREET_OFFICE)

    @property
    def is_unit(self) -> bool:
        """Internal, affiliated and dispatched units act only in their parent's name."""
        return self in (OrgKind.INTERNAL_UNIT, OrgKind.AFFILIATED_UNIT, OrgKind.DISPATCHED_UNIT)


ORG_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,63}$"


class OrgRef(BaseModel):
    """A reference to an organisation of the district directory."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(pattern=ORG_ID_PATTERN, examples=["town-hexi"])
    kind: OrgKind
    name: str = Field(min_length=1, max_length=200)
    parent_id: str | None = Field(default=None, pattern=ORG_ID_PATTERN)
