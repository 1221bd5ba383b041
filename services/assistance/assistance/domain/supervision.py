"""Supervision (督办) and recommendations by a township (JNT-5).

A supervision names the departments addressed, what is asked (its text) and by when
(`JNT-5`, 5 working days by default; a township may give longer, never less). Each
department addressed answers once, in writing; escalation watches every answer.
"""

from dataclasses import dataclass, field
from datetime import datetime

from assistance.domain import events as ev
from assistance.domain.errors import NotAllowed, RuleViolation
from assistance.domain.values import Document, Due
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.times import in_utc


def may_supervise(actor: Organisation, about: Organisation) -> None:
    """JNT-5: a township supervises departments and their units in its area."""
    if not actor.kind.is_township:
        raise RuleViolation("JNT-5", "acting_org", f"{actor.name} is a {actor.kind}: only a "
                            "township or street office supervises and recommends")
    if not (about.kind is OrgKind.DEPARTMENT or about.kind.is_unit):
        raise RuleViolation("JNT-5", "about", f"{about.name} is a {about.kind}: a township "
                            "supervises departments and their units")


def recommendation_fits(kind: str, about: Organisation, recommendation: str | None) -> None:
    """JNT-5: a recommendation is on the head of a dispatched unit, and says on what."""
    if kind == "supervision" and recommendation is not None:
        raise RuleViolation("JNT-5", "recommendation", "a supervision carries no recommendation")
    if kind == "recommendation" and recommendation is None:
        raise RuleViolation("JNT-5", "recommendation", "a recommendation says on what: "
                            "appointment, removal, reward or discipline")
    if kind == "recommendation" and about.kind is not OrgKind.DISPATCHED_UNIT:
        raise RuleViolation("JNT-5", "about", f"{about.name} is a {about.kind}: a "
                            "recommendation is about the head of a dispatched unit")


def addressed_fit(kind: str, addressed: tuple[Organisation, ...]) -> None:
    """JNT-5: a supervision addresses departments; a recommendation addresses no one."""
    if kind == "recommendation" and addressed:
        raise RuleViolation("JNT-5", "addressed", "a recommendation asks no department to act")
    if kind == "supervision" and not addressed:
        raise RuleViolation("JNT-5", "addressed", "a supervision names the departments addressed")
    for dept in addressed:
        if dept.kind is not OrgKind.DEPARTMENT:
            raise RuleViolation("JNT-5", "addressed", f"{dept.name} is a {dept.kind}: a "
                                "supervision addresses district departments")


def answer_by(kind: str, due_at: datetime | None, now: datetime, due: Due) -> datetime | None:
    """JNT-5: by when: the default limit, or a later time the township names."""
    if kind == "recommendation":
        if due_at is not None:
            raise RuleViolation("JNT-5", "due_at", "a recommendation asks for no answer")
        return None
    least = due("JNT-5", now)
    if due_at is None:
        return least
    at = in_utc(due_at, "due_at")
    if at < least:
        raise RuleViolation("JNT-5", "due_at", f"the departments have until at least "
                            f"{least.isoformat()} (JNT-5): name that time or a later one")
    return at


@dataclass(frozen=True)
class SupervisionAnswer:
    text: str
    documents: tuple[Document, ...]
    answered_at: datetime


@dataclass
class Supervision:
    id: str
    by: Organisation
    kind: str  # supervision | recommendation
    about: Organisation
    text: str
    recorded_at: datetime
    recommendation: str | None = None
    matter_code: str | None = None
    addressed: tuple[Organisation, ...] = ()
    due_at: datetime | None = None
    answers: dict[str, SupervisionAnswer] = field(default_factory=dict)
    version: int = 0
    events: list[ev.SupervisionRecorded | ev.SupervisionAnswered] = field(default_factory=list)

    @classmethod
    def record(cls, supervision_id: str, actor: Organisation, kind: str, about: Organisation,
               text: str, now: datetime, due: Due, recommendation: str | None = None,
               matter_code: str | None = None, addressed: tuple[Organisation, ...] = (),
               due_at: datetime | None = None) -> "Supervision":
        may_supervise(actor, about)
        recommendation_fits(kind, about, recommendation)
        addressed = tuple({o.id: o for o in addressed}.values())
        addressed_fit(kind, addressed)
        by = answer_by(kind, due_at, now, due)
        record = cls(supervision_id, actor, kind, about, text, now, recommendation,
                     matter_code, addressed, by)
        record.events.append(ev.SupervisionRecorded(now, kind, about, recommendation,
                                                    matter_code, text, addressed, by))
        return record

    def answer(self, actor: Organisation, text: str, documents: tuple[Document, ...],
               now: datetime) -> None:
        """JNT-5: a department addressed answers, once, in writing."""
        if not any(o.id == actor.id for o in self.addressed):
            raise NotAllowed("acting_org", f"{actor.name} is not addressed by {self.id}")
        if actor.id in self.answers:
            raise NotAllowed("status", f"{actor.name} answered {self.id} at "
                             f"{self.answers[actor.id].answered_at.isoformat()}")
        if not text.strip():
            raise RuleViolation("JNT-5", "text", "an answer to a supervision says what was done")
        self.answers[actor.id] = SupervisionAnswer(text, documents, now)
        self.events.append(ev.SupervisionAnswered(now, text, documents))

    @property
    def silent(self) -> tuple[Organisation, ...]:
        return tuple(o for o in self.addressed if o.id not in self.answers)
