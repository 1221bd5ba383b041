"""Request bodies of the dispute desk."""

from typing import Literal

from pydantic import BaseModel, Field

OrgId = str


class DisputeIn(BaseModel):
    other_party: OrgId = Field(max_length=64,
                               description="The township or department disagreed with")
    matter_code: str = Field(min_length=1, max_length=64)
    subject_id: str = Field(min_length=1, max_length=64,
                            description="The case or complaint concerned")
    subject_kind: Literal["case", "complaint", "matter"] = Field(
        default="matter", description="What `subject_id` names (other services route on it)")
    reason: str = Field(min_length=1, max_length=2000)


class AgreementIn(BaseModel):
    owner: OrgId = Field(max_length=64, description="The party both agree owns the matter")


class DecisionIn(BaseModel):
    owner: OrgId = Field(max_length=64)
    decision_ref: str = Field(min_length=1, max_length=200, description="The decision document")
    catalogue_correction: bool = Field(
        default=False, description="The catalogue was wrong: correct it for this matter")
