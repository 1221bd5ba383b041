"""Domain events -> wire contracts, one small function; never the complainant's data (CMP-8)."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from complaint.domain import events as ev
from liandong_contracts import complaint_v1 as wire
from liandong_contracts.common import Attachment
from liandong_contracts.orgs import OrgRef
from liandong_runtime.refdata.model import Organisation


def ref(org: Organisation) -> OrgRef:
    return OrgRef(id=org.id, kind=org.kind, name=org.name, parent_id=org.parent_id)


def attachments(materials: tuple[ev.Material, ...]) -> tuple[Attachment, ...]:
    return tuple(Attachment(title=m.title, uri=m.uri, sha256=m.sha256)  # type: ignore[arg-type]
                 for m in materials)


_MAPPERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    ev.ComplaintReceived: lambda e: {
        "model": wire.ComplaintReceived, "channel": e.channel, "received_by": ref(e.received_by),
        "received_at": e.received_at, "registered_at": e.registered_at,
        "reference_no": e.reference_no, "complainant_ref": e.complainant_ref,
        "matter_code": e.matter_code, "locality": ref(e.locality) if e.locality else None,
        "summary": e.summary, "materials": attachments(e.materials),
        "owner": ref(e.owner) if e.owner else None},
    ev.ComplaintVerified: lambda e: {
        "model": wire.ComplaintVerified, "outcome": e.outcome, "case_id": e.case_id,
        "matter_code": e.matter_code, "findings": e.findings, "received_at": e.received_at},
    ev.ComplaintCaseNamed: lambda e: {
        "model": wire.ComplaintCaseNamed, "case_id": e.case_id, "matter_code": e.matter_code,
        "via": e.via},
    ev.ComplaintForwarded: lambda e: {
        "model": wire.ComplaintForwarded, "receiver": ref(e.receiver),
        "matter_code": e.matter_code, "reason": e.reason,
        "materials": attachments(e.materials),
        "complainant_directed_to_receiver": e.township_told,
        "investigation_requested": e.township_told, "received_at": e.received_at},
    ev.ComplaintForwardContested: lambda e: {
        "model": wire.ComplaintForwardContested, "sender": ref(e.sender),
        "matter_code": e.matter_code, "reason": e.reason},
    ev.ComplainantAnswered: lambda e: {
        "model": wire.ComplainantAnswered, "result": e.result, "case_id": e.case_id,
        "took_over_from": ref(e.took_over_from) if e.took_over_from else None,
        "feedback_released": e.feedback_released},
    ev.ComplaintFeedbackSent: lambda e: {
        "model": wire.ComplaintFeedbackSent, "department": ref(e.department),
        "result": e.result, "case_id": e.case_id},
}


def to_contract(event: ev.ComplaintEvent, *, complaint_id: str, actor: Organisation,
                person: str | None, now: datetime | None = None) -> wire.ComplaintEvent | None:
    """Wrap one domain event in the envelope, in the name of `actor`; None if internal only."""
    mapper = _MAPPERS.get(type(event))
    if mapper is None:
        return None
    fields = mapper(event)
    model = fields.pop("model")
    return model(  # type: ignore[no-any-return]
        occurred_at=now or datetime.now(UTC), actor=ref(actor), acting_person=person,
        correlation_id=complaint_id, complaint_id=complaint_id, **fields,
    )
