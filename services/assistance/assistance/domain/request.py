"""The assistance request aggregate (执法协助): a township asks in writing, the receiver answers.

Status runs requested -> granted | answered | refused, once. The answer is due by
`answer_due_at` (AST-1: 5 working days), which only the receiver moves, and only before
it passes (AST-3). An urgent request, or one whose evidence may be lost, also wants
staff on site by `on_site_due_at` (AST-2).
"""

from dataclasses import dataclass, field
from datetime import datetime

from assistance.domain import events as ev
from assistance.domain import request_rules as rules
from assistance.domain.errors import NotAllowed
from assistance.domain.values import Ask, Document, Due
from liandong_runtime.refdata.model import Organisation


@dataclass(frozen=True)
class Extension:
    asked_at: datetime
    previous_due_at: datetime
    new_due_at: datetime
    reason: str


@dataclass(frozen=True)
class Answer:
    answer: str  # granted | answered | refused
    reason: str
    documents: tuple[Document, ...]
    answered_at: datetime


@dataclass(frozen=True)
class Dispatch:
    """Staff sent: when, as declared, beside when it was recorded (ESC-5), and who led."""

    recorded_at: datetime
    dispatched_at: datetime
    staff_count: int
    leader: str | None = None


@dataclass
class AssistanceRequest:
    id: str
    requester: Organisation
    receiver: Organisation
    ask: Ask
    requested_at: datetime
    answer_due_at: datetime
    on_site_due_at: datetime | None = None
    answer: Answer | None = None
    extensions: list[Extension] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)
    version: int = 0
    events: list[ev.RequestEvent] = field(default_factory=list)

    @classmethod
    def make(cls, request_id: str, requester: Organisation, receiver: Organisation, ask: Ask,
             now: datetime, due: Due) -> "AssistanceRequest":
        """AST-1 … AST-6: a township asks the right body, in writing; the clocks start."""
        rules.requester_is_township(requester, ask.kind)
        rules.receiver_fits_kind(receiver, ask.kind)
        rules.in_writing(ask.kind, ask.documents)
        on_site = due("AST-2", now) if rules.wants_staff_on_site(ask) else None
        request = cls(request_id, requester, receiver, ask, now, due("AST-1", now), on_site)
        request.events.append(ev.AssistanceRequested(now, receiver, ask))
        return request

    @property
    def status(self) -> str:
        return self.answer.answer if self.answer else "requested"

    @property
    def awaiting_staff(self) -> bool:
        """AST-2: staff are due on site and none were sent, whatever the answer."""
        return self.on_site_due_at is not None and not self.dispatches

    def extend(self, actor: Organisation, new_due_at: datetime, reason: str,
               now: datetime) -> None:
        """AST-3: before the limit, the receiver moves the due time later, saying why."""
        self._require_receiver(actor, "only the body asked extends the time to answer")
        self._require_unanswered()
        rules.extension_in_time(self.answer_due_at, new_due_at, now)
        rules.reason_given("AST-3", reason, "an extension says why the answer needs longer")
        self.extensions.append(Extension(now, self.answer_due_at, new_due_at, reason))
        self.answer_due_at = new_due_at
        self.events.append(ev.AssistanceExtended(now, new_due_at, reason))

    def respond(self, actor: Organisation, answer: str, reason: str,
                documents: tuple[Document, ...], now: datetime) -> None:
        """AST-1/AST-4: the receiver answers once, in writing, or refuses with a reason."""
        self._require_receiver(actor, "only the body asked answers the request")
        self._require_unanswered()
        rules.answer_in_writing(self.ask.kind, answer, documents)
        rules.refusal_has_reason(self.ask.kind, answer, reason)
        self.answer = Answer(answer, reason, documents, now)
        self.events.append(ev.AssistanceAnswered(now, self.ask.kind, answer, reason, documents))

    def dispatch(self, actor: Organisation, staff_count: int, dispatched_at: datetime,
                 now: datetime, leader: str | None = None) -> None:
        """AST-2: the receiver sends enforcement staff on site; a refusal of the request
        does not end this duty, so staff may still be sent after one."""
        self._require_receiver(actor, "only the body asked sends its staff")
        rules.staff_sent("AST-2", staff_count)
        rules.dispatch_fits(self.ask.kind, self.requested_at, dispatched_at, now)
        self.dispatches.append(Dispatch(now, dispatched_at, staff_count, leader))
        self.events.append(ev.StaffDispatched(now, dispatched_at, staff_count, leader))

    def is_party(self, org_id: str) -> bool:
        return org_id in (self.requester.id, self.receiver.id)

    def _require_receiver(self, actor: Organisation, message: str) -> None:
        if actor.id != self.receiver.id:
            raise NotAllowed("acting_org", f"{message} ({self.receiver.name})")

    def _require_unanswered(self) -> None:
        if self.answer is not None:
            raise NotAllowed("status", f"the request was already {self.answer.answer} at "
                             f"{self.answer.answered_at.isoformat()}")
