"""Supervision (督办) and recommendations by a township (JNT-5)."""

from dataclasses import dataclass, field
from datetime import datetime

from assistance.domain import events as ev
from assistance.domain.errors import RuleViolation
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation


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
    events: list[ev.SupervisionRecorded] = field(default_factory=list)

    @classmethod
    def record(cls, supervision_id: str, actor: Organisation, kind: str, about: Organisation,
               text: str, now: datetime, recommendation: str | None = None,
               matter_code: str | None = None) -> "Supervision":
        may_supervise(actor, about)
        recommendation_fits(kind, about, recommendation)
        record = cls(supervision_id, actor, kind, about, text, now, recommendation, matter_code)
        record.events.append(ev.SupervisionRecorded(now, kind, about, recommendation,
                                                    matter_code, text))
        return record
