"""HTTP request bodies: the transport shape of each command."""

from datetime import date

from pydantic import AwareDatetime, Field, HttpUrl

from liandong_runtime.http_inputs import LIMITS, Body


class FindingIn(Body):
    matter_code: str = Field(examples=["M-URB-001"])
    locality: str = Field(description="The township or street where it was found")
    found_at: AwareDatetime
    summary: str = Field(min_length=1, max_length=2000)
    urgent: bool = Field(default=False, description="REF-5: transfer within 24 hours")
    stop_ordered_at: AwareDatetime | None = Field(
        default=None, description="REF-6: set when the violation is ongoing")
    occurred_on: date | None = Field(default=None, description="For pre-hand-over matters")
    filed_on: date | None = None
    closed_on: date | None = None


class OwnCaseIn(Body):
    """JUR-3: a case on a matter the acting body owns on that date and place."""

    matter_code: str = Field(examples=["M-URB-001"])
    locality: str = Field(description="The township or street where the violation is")
    found_at: AwareDatetime = Field(description="When it was found (not in the future, ESC-5)")
    summary: str = Field(min_length=1, max_length=2000)
    complaint_id: str | None = Field(default=None, min_length=1, max_length=64,
                                     description="CMP-4: the complaint this case follows up")


class AcknowledgeIn(Body):
    """REF-6: the owner names the case it opened (JUR-3), or says why it opens none."""

    case_id: str | None = Field(default=None, min_length=1, max_length=64)
    reason: str = Field(default="", max_length=2000)


class HistoricalDisputeIn(Body):
    reason: str = Field(min_length=1, max_length=2000)


class OngoingIn(Body):
    stop_ordered_at: AwareDatetime
    summary: str = Field(min_length=1, max_length=2000)


class MaterialsIn(Body):
    """REF-7: all three are required; a missing one is refused naming REF-7 and the field."""

    transfer_letter: HttpUrl | None = None
    case_source: list[HttpUrl] = Field(default_factory=list, max_length=LIMITS.documents)
    preliminary_evidence: list[HttpUrl] = Field(default_factory=list,
                                                max_length=LIMITS.documents)


class TransferIn(Body):
    materials: MaterialsIn


class RefusalIn(Body):
    grounds: str = Field(pattern="^(jurisdiction|materials|other)$")
    reason: str = Field(max_length=2000)


class CrimeIn(Body):
    grounds: str = Field(min_length=1, max_length=2000)


class JudiciaryTransferIn(Body):
    judicial_organ: str
    materials: list[HttpUrl] = Field(default_factory=list, max_length=LIMITS.documents)


class JudiciaryDecisionIn(Body):
    decision: str = Field(pattern="^(accepted|declined)$")
    reason: str = Field(default="", max_length=2000)


class CloseIn(Body):
    outcome: str = Field(pattern="^(administrative_penalty|no_violation|judicial_accepted|other)$")
