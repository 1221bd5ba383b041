"""Domain events -> wire contracts, one small function each."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from liandong_contracts import referral_v1 as wire
from liandong_contracts.common import Attachment, TransferMaterials
from liandong_contracts.orgs import OrgRef
from liandong_runtime.refdata.model import Organisation
from referral.domain import events as ev


def ref(org: Organisation) -> OrgRef:
    return OrgRef(id=org.id, kind=org.kind, name=org.name, parent_id=org.parent_id)


def attachment(uri: str) -> Attachment:
    return Attachment(title=uri.rsplit("/", 1)[-1] or uri, uri=uri)  # type: ignore[arg-type]


def materials(m: ev.Materials) -> TransferMaterials:
    return TransferMaterials(
        transfer_letter=attachment(m.transfer_letter),
        case_source=tuple(map(attachment, m.case_source)),
        preliminary_evidence=tuple(map(attachment, m.preliminary_evidence)),
    )


_MAPPERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    ev.FindingRecorded: lambda e: {
        "model": wire.FindingRecorded, "matter_code": e.matter_code, "locality": ref(e.locality),
        "owner": ref(e.owner), "found_at": e.found_at, "urgent": e.urgent,
        "ongoing": e.ongoing, "summary": e.summary},
    ev.OngoingViolationReported: lambda e: {
        "model": wire.OngoingViolationReported, "owner": ref(e.owner),
        "stop_ordered_at": e.stop_ordered_at, "summary": e.summary},
    ev.CaseTransferred: lambda e: {
        "model": wire.CaseTransferred, "matter_code": e.matter_code,
        "receiver": ref(e.receiver), "materials": materials(e.materials), "urgent": e.urgent,
        "historical": e.historical, "attempt": e.attempt},
    ev.CaseTransferAccepted: lambda e: {
        "model": wire.CaseTransferAccepted, "transferred_by": ref(e.transferred_by),
        "attempt": e.attempt},
    ev.CaseTransferRefused: lambda e: {
        "model": wire.CaseTransferRefused, "transferred_by": ref(e.transferred_by),
        "matter_code": e.matter_code, "grounds": e.grounds, "reason": e.reason,
        "attempt": e.attempt},
    ev.OngoingViolationAcknowledged: lambda e: {
        "model": wire.OngoingViolationAcknowledged, "finder": ref(e.finder),
        "own_case_id": e.own_case_id, "reason": e.reason},
    ev.HistoricalDisputeRaised: lambda e: {
        "model": wire.HistoricalDisputeRaised, "matter_code": e.matter_code,
        "department": ref(e.department), "township": ref(e.township), "reason": e.reason},
    ev.CaseRegistered: lambda e: {
        "model": wire.CaseRegistered, "matter_code": e.matter_code, "locality": ref(e.locality),
        "owner": ref(e.owner), "found_at": e.found_at, "summary": e.summary,
        "complaint_id": e.complaint_id},
    ev.CaseOwnershipSettled: lambda e: {
        "model": wire.CaseOwnershipSettled, "dispute_id": e.dispute_id, "owner": ref(e.owner),
        "settled_by": e.settled_by},
    ev.CaseClosed: lambda e: {
        "model": wire.CaseClosed, "outcome": e.outcome, "closed_on": e.closed_on},
    ev.CrimeSuspected: lambda e: {"model": wire.CrimeSuspected, "grounds": e.grounds,
                                  "attempt": e.attempt},
    ev.CaseTransferredToJudiciary: lambda e: {
        "model": wire.CaseTransferredToJudiciary, "judicial_organ": ref(e.judicial_organ),
        "materials": tuple(map(attachment, e.materials)), "attempt": e.attempt},
    ev.JudiciaryDecisionRecorded: lambda e: {
        "model": wire.JudiciaryDecisionRecorded, "judicial_organ": ref(e.judicial_organ),
        "transferred_by": ref(e.transferred_by), "decision": e.decision, "reason": e.reason},
}


def to_contract(event: ev.CaseEvent, *, case_id: str, actor: Organisation,
                person: str | None, now: datetime | None = None) -> wire.ReferralEvent:
    """Wrap one domain event in the envelope, in the name of `actor`."""
    fields = _MAPPERS[type(event)](event)
    model = fields.pop("model")
    return model(  # type: ignore[no-any-return]
        occurred_at=now or datetime.now(UTC), actor=ref(actor), acting_person=person,
        correlation_id=case_id, case_id=case_id, **fields,
    )
