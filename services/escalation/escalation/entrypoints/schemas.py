"""Request bodies of the dispute desk."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from liandong_runtime.http_inputs import Body

OrgId = str


class DisputeIn(Body):
    other_party: OrgId = Field(max_length=64,
                               description="The township or department disagreed with")
    matter_code: str = Field(min_length=1, max_length=64)
    subject_id: str = Field(min_length=1, max_length=64,
                            description="The case or complaint concerned")
    subject_kind: Literal["case", "complaint", "matter"] = Field(
        default="matter", description="What `subject_id` names (other services route on it)")
    reason: str = Field(min_length=1, max_length=2000)


class AgreementIn(Body):
    owner: OrgId = Field(max_length=64, description="The party both agree owns the matter")


class DecisionIn(Body):
    owner: OrgId = Field(max_length=64)
    decision_ref: str = Field(min_length=1, max_length=200, description="The decision document")
    catalogue_correction: bool = Field(
        default=False, description="The catalogue was wrong: correct it for this matter")
    correction_places: list[Annotated[OrgId, Field(max_length=64)]] = Field(
        default_factory=list, max_length=200,
        description="DSP-2: the townships and street offices the correction covers (none: "
                    "all); only with catalogue_correction")
    correction_effective_from: date | None = Field(
        default=None,
        description="DSP-2: the day (Asia/Shanghai) from which the correction applies, not "
                    "before the decision's day (JUR-1); default: the decision's day; only "
                    "with catalogue_correction")
