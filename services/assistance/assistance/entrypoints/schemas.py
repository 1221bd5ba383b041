"""HTTP request bodies: the transport shape of each command.

Rule checks that name a rule (written documents, reasons, participants) are left to the
domain, so that the answer says which rule refused the request.
"""

from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, HttpUrl

from assistance.domain.values import Document
from assistance.service.common import to_millis
from liandong_contracts.assistance_v1 import AssistanceKind
from liandong_runtime.http_inputs import LIMITS, Body

Reason = Field(default="", max_length=2000)
Instant = Annotated[AwareDatetime, AfterValidator(to_millis)]


class AttachmentIn(Body):
    title: str = Field(min_length=1, max_length=200)
    uri: HttpUrl
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    def document(self) -> Document:
        return Document(self.title, str(self.uri), self.sha256)


def documents(items: list[AttachmentIn]) -> tuple[Document, ...]:
    return tuple(item.document() for item in items)


class RequestIn(Body):
    kind: AssistanceKind
    receiver: str = Field(description="A department; the police for police_assistance")
    case_id: str | None = Field(default=None, max_length=64)
    urgent: bool = False
    evidence_at_risk: bool = Field(default=False, description="AST-2: staff on site at once")
    summary: str = Field(min_length=1, max_length=2000)
    documents: list[AttachmentIn] = Field(default_factory=list, max_length=LIMITS.documents,
                                          description="AST-1: the written request, at least one")


class ExtensionIn(Body):
    new_due_at: Instant
    reason: str = Reason


class AnswerIn(Body):
    answer: Literal["granted", "answered", "refused"]
    reason: str = Reason
    documents: list[AttachmentIn] = Field(default_factory=list, max_length=LIMITS.documents)


class DispatchIn(Body):
    staff_count: int = Field(ge=1, le=1000)
    dispatched_at: Instant | None = None


class CallIn(Body):
    kind: Literal["whistle", "major_clue", "hazard_notice", "consultation"]
    called: list[str] = Field(max_length=100)
    matter_code: str | None = None
    case_id: str | None = Field(default=None, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)


class CallAnswerIn(Body):
    answer: Literal["reported", "refused"]
    reason: str = Reason


class CallDispatchIn(Body):
    staff_count: int = Field(ge=1, le=1000)


class MeetingIn(Body):
    schedule: Literal["scheduled", "ad_hoc"]
    held_at: Instant
    topic: str = Field(min_length=1, max_length=500)
    participants: list[str] = Field(max_length=100)
    minutes: AttachmentIn
    call_id: str | None = Field(default=None, max_length=64)


class ScheduleIn(Body):
    topic: str = Field(min_length=1, max_length=500)
    participants: list[str] = Field(max_length=100)
    every: Literal["monthly", "quarterly"]
    first_at: Instant


class LiaisonIn(Body):
    liaison_name: str = Field(min_length=1, max_length=64)
    role: str = Field(min_length=1, max_length=100, examples=["执法科科长"])


class SupervisionIn(Body):
    kind: Literal["supervision", "recommendation"]
    about: str
    recommendation: Literal["appointment", "removal", "reward", "discipline"] | None = None
    matter_code: str | None = None
    text: str = Field(min_length=1, max_length=4000)


# Added for the revised rules (2026-12-02): each extends a body above by addition only.
Leader = Field(default=None, min_length=1, max_length=64,
               description="Who leads the staff sent (带队人员); required on a hazard notice")


class RequestDispatchIn(DispatchIn):
    """AST-2: staff on site, with when they were sent (not after now) and who leads them."""

    leader: str | None = Leader


class CallDispatchWithTimeIn(CallDispatchIn):
    """JNT-4: staff sent on a call: who leads them, how many, and when (default: now)."""

    dispatched_at: Instant | None = None
    leader: str | None = Leader


class MinutesIn(MeetingIn):
    """JNT-1: the minutes of a scheduled meeting name it by `meeting_id`."""

    meeting_id: str | None = Field(default=None, max_length=64,
                                   description="The scheduled meeting (POST /scheduled-meetings)")


class ScheduledMeetingIn(Body):
    """JNT-1: one consultation meeting on a date; its minutes are due by the end of it."""

    topic: str = Field(min_length=1, max_length=500)
    participants: list[str] = Field(max_length=100)
    scheduled_at: Instant


class SupervisionAskIn(SupervisionIn):
    """JNT-5: the departments addressed (default: the one it is about) and by when
    (default: the JNT-5 limit, 5 working days; never earlier)."""

    addressed: list[str] = Field(default_factory=list, max_length=100)
    due_at: Instant | None = None


class SupervisionAnswerIn(Body):
    text: str = Field(min_length=1, max_length=4000)
    documents: list[AttachmentIn] = Field(default_factory=list)
