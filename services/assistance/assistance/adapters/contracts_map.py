"""Domain events -> wire contracts, one small function each.

A contract that still refuses the event (its validators repeat some rules) becomes a
RuleViolation naming the rule, so the request is answered 422 and nothing is committed.
"""

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from assistance.domain import events as ev
from assistance.domain.errors import RuleViolation
from assistance.domain.values import Document
from liandong_contracts import assistance_v1 as ast
from liandong_contracts import joint_v1 as jnt
from liandong_contracts.common import Attachment
from liandong_runtime.refdata.model import Organisation


def attachment(doc: Document) -> Attachment:
    return Attachment(title=doc.title, uri=doc.uri, sha256=doc.sha256)  # type: ignore[arg-type]


def attachments(docs: tuple[Document, ...]) -> tuple[Attachment, ...]:
    return tuple(map(attachment, docs))


def refs(orgs: tuple[Organisation, ...]) -> tuple[Any, ...]:
    return tuple(org.ref() for org in orgs)


_MAPPERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    ev.AssistanceRequested: lambda e: {
        "model": ast.AssistanceRequested, "kind": e.ask.kind, "receiver": e.receiver.ref(),
        "case_id": e.ask.case_id, "urgent": e.ask.urgent,
        "evidence_at_risk": e.ask.evidence_at_risk, "summary": e.ask.summary,
        "documents": attachments(e.ask.documents)},
    ev.AssistanceExtended: lambda e: {
        "model": ast.AssistanceExtended, "new_due_at": e.new_due_at, "reason": e.reason},
    ev.AssistanceAnswered: lambda e: {
        "model": ast.AssistanceAnswered, "kind": e.kind, "answer": e.answer,
        "reason": e.reason, "documents": attachments(e.documents)},
    ev.StaffDispatched: lambda e: {
        "model": ast.OnSiteDispatched, "dispatched_at": e.dispatched_at,
        "staff_count": e.staff_count, "leader": e.leader},
    ev.JointEnforcementCalled: lambda e: {
        "model": jnt.JointEnforcementCalled, "kind": e.kind, "called": refs(e.called),
        "matter_code": e.matter_code, "case_id": e.case_id, "reason": e.reason},
    ev.JointEnforcementAnswered: lambda e: {
        "model": jnt.JointEnforcementAnswered, "answer": e.answer, "reason": e.reason,
        "call_kind": e.call_kind},
    ev.MeetingHeld: lambda e: {
        "model": jnt.ConsultationMeetingHeld, "schedule": e.schedule, "held_at": e.held_at,
        "topic": e.topic, "participants": refs(e.participants),
        "minutes": attachment(e.minutes), "call_id": e.call_id},
    ev.MeetingScheduled: lambda e: {
        "model": jnt.ConsultationMeetingScheduled, "scheduled_at": e.scheduled_at,
        "topic": e.topic, "participants": refs(e.participants)},
    ev.LiaisonNamed: lambda e: {
        "model": jnt.LiaisonPersonNamed, "liaison_name": e.liaison_name, "role": e.role},
    ev.SupervisionRecorded: lambda e: {
        "model": jnt.SupervisionRecorded, "kind": e.kind, "about": e.about.ref(),
        "recommendation": e.recommendation, "matter_code": e.matter_code, "text": e.text,
        "addressed": refs(e.addressed), "due_at": e.due_at},
    ev.SupervisionAnswered: lambda e: {
        "model": jnt.SupervisionAnswered, "text": e.text, "documents": attachments(e.documents)},
}
_RULES: dict[type, tuple[str, str]] = {  # the rule, and the field a whole-event check is on
    ev.AssistanceRequested: ("AST-1", "documents"),
    ev.AssistanceExtended: ("AST-3", "new_due_at"),
    ev.AssistanceAnswered: ("AST-4", "reason"),
    ev.StaffDispatched: ("AST-2", "dispatched_at"),
    ev.JointEnforcementCalled: ("JNT-6", "called"),
    ev.JointEnforcementAnswered: ("JNT-4", "reason"),
    ev.MeetingHeld: ("JNT-1", "participants"),
    ev.MeetingScheduled: ("JNT-1", "participants"),
    ev.SupervisionAnswered: ("JNT-5", "text"),
    ev.LiaisonNamed: ("JNT-2", "liaison_name"),
    ev.SupervisionRecorded: ("JNT-5", "recommendation"),
}


def to_contract(event: ev.DomainEvent, *, aggregate_id: str, key: str | None,
                actor: Organisation, person: str | None) -> ast.AssistanceEvent:
    """Wrap one domain event in the envelope, in the name of `actor`.

    `key` names the contract field that carries the aggregate id (`request_id`,
    `call_id`, `meeting_id`), if the contract has one; the id is the correlation id.
    """
    fields = _MAPPERS[type(event)](event)
    model = fields.pop("model")
    ids = {key: aggregate_id} if key else {}
    try:
        return model(  # type: ignore[no-any-return]
            occurred_at=event.at, actor=actor.ref(), acting_person=person,
            correlation_id=aggregate_id, **ids, **fields)
    except ValidationError as exc:
        raise refused(exc, *_RULES[type(event)]) from exc


def refused(exc: ValidationError, rule: str, whole_event_field: str) -> RuleViolation:
    error = exc.errors()[0]
    field = ".".join(map(str, error["loc"])) or whole_event_field
    return RuleViolation(rule, field, error["msg"].removeprefix("Value error, "))
