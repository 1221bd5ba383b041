"""Request bodies of the dispute desk."""

from pydantic import Field

from liandong_runtime.http_inputs import Body

OrgId = str


class DisputeIn(Body):
    other_party: OrgId = Field(max_length=64,
                               description="The township or department disagreed with")
    matter_code: str = Field(min_length=1, max_length=64)
    subject_id: str = Field(min_length=1, max_length=64,
                            description="The case or complaint concerned")
    reason: str = Field(min_length=1, max_length=2000)


class AgreementIn(Body):
    owner: OrgId = Field(max_length=64, description="The party both agree owns the matter")


class DecisionIn(Body):
    owner: OrgId = Field(max_length=64)
    decision_ref: str = Field(min_length=1, max_length=200, description="The decision document")
    catalogue_correction: bool = Field(
        default=False, description="The catalogue was wrong: correct it for this matter")
