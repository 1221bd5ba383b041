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
    PUBLIC_SECURITY = "public_security"  # 公安机关 (AST-6, JNT-4, CRM-1)
    PROCURATORATE = "procuratorate"  # 人民检察院 (CRM-1)
    COURT = "court"  # 人民法院: a judicial organ, never the receiver of a transfer (CRM-1)
    JUDICIAL_ORGAN = "judicial_organ"  # unspecified judicial organ: read in old records only
    DISTRICT_GOVERNMENT = "district_government"  # 区人民政府

    @property
    def is_township(self) -> bool:
        """Townships and street offices play the same part in the mechanism."""
        return self in (OrgKind.TOWNSHIP, OrgKind.STREET_OFFICE)

    @property
    def is_judicial(self) -> bool:
        """The judicial organs (司法机关): public security, procuratorate, court."""
        return self in (OrgKind.PUBLIC_SECURITY, OrgKind.PROCURATORATE, OrgKind.COURT,
                        OrgKind.JUDICIAL_ORGAN)

    @property
    def receives_crime_transfers(self) -> bool:
        """CRM-1: a suspected crime goes to the public security organ or the procuratorate."""
        return self in (OrgKind.PUBLIC_SECURITY, OrgKind.PROCURATORATE)

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
