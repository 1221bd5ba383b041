"""HTTP request bodies: the transport shape of each command."""

from typing import Literal

from pydantic import AwareDatetime, Field, HttpUrl

from complaint.domain.events import Material
from complaint.domain.personal import Complainant
from liandong_contracts.complaint_v1 import ComplaintChannel
from liandong_runtime.http_inputs import Body

Text = Field(min_length=1, max_length=2000)


class ComplainantIn(Body):
    """Personal data (CMP-8): kept in the protected register, shown only to the handlers."""

    name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=32, pattern=r"^[0-9 +()\-]{3,32}$")
    id_number: str | None = Field(default=None, pattern=r"^\d{17}[\dXx]$")
    address: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")

    def to_domain(self) -> Complainant:
        return Complainant(**self.model_dump())


class MaterialIn(Body):
    title: str = Field(min_length=1, max_length=200)
    uri: HttpUrl
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    def to_domain(self) -> Material:
        return Material(self.title, str(self.uri), self.sha256)


def materials(items: list[MaterialIn]) -> tuple[Material, ...]:
    return tuple(item.to_domain() for item in items)


class ComplaintIn(Body):
    channel: ComplaintChannel
    received_at: AwareDatetime = Field(description="When it reached the body; not in the future")
    matter_code: str | None = Field(default=None, examples=["M-URB-001"])
    locality: str | None = Field(default=None, description="The township where the matter is")
    summary: str = Field(min_length=1, max_length=2000,
                         description="The matter complained of; no personal data (CMP-8)")
    materials: list[MaterialIn] = Field(default_factory=list, max_length=50)
    complainant: ComplainantIn


class VerificationIn(Body):
    outcome: Literal["no_violation", "penalty_due", "no_jurisdiction"]
    findings: str = Text
    case_id: str | None = Field(default=None, max_length=64, description="Iff penalty_due")
    matter_code: str | None = None


class ForwardIn(Body):
    matter_code: str
    locality: str = Field(description="The township where the matter is")
    reason: str = Text
    materials: list[MaterialIn] = Field(default_factory=list, max_length=50)


class ContestIn(Body):
    reason: str = Text


class ResultIn(Body):
    result: str = Text
    case_id: str | None = Field(default=None, max_length=64)


class CaseIn(Body):
    """CMP-4: the case the township opened (立案), registered in the referral service."""

    case_id: str = Field(min_length=1, max_length=64)


class GuidanceIn(Body):
    """CMP-6: the department's guidance on the township's investigation (做好指导工作)."""

    guidance: str = Text
