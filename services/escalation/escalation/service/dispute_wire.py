"""Dispute outcomes as wire events (DSP-1, DSP-2). Every one names the dispute's subject
(`subject_id`, `subject_kind`): other services route on them, never on the dispute id."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from escalation.domain.dispute import Decided, Dispute, Escalated, Settled
from liandong_contracts import escalation_v1 as wire
from liandong_contracts.orgs import OrgRef
from liandong_runtime.workdays import SHANGHAI


@dataclass(frozen=True)
class CorrectionScope:
    """DSP-2: the places a catalogue correction covers (empty: all) and the day it applies
    from (None: the decision's day)."""

    places: tuple[str, ...] = ()
    effective_from: date | None = None


def raised(d: Dispute, actor: OrgRef, at: datetime, cause: Any = None) -> wire.DisputeRaised:
    return wire.DisputeRaised(**_common(d, actor, at), origin=d.origin,  # type: ignore[arg-type]
                              reason=d.reason, causation_id=getattr(cause, "event_id", None))


def outcome(d: Dispute, event: Settled | Escalated | Decided, government: OrgRef,
            at: datetime, scope: CorrectionScope | None = None) -> wire.DisputeEvent:
    match event:
        case Settled(owner=owner, by=by):
            return wire.DisputeSettled(**_common(d, OrgRef.model_validate(by), at),
                                       owner=OrgRef.model_validate(owner))
        case Escalated(reason=reason, by=by):
            actor = OrgRef.model_validate(by) if by else government
            return wire.DisputeEscalated(**_common(d, actor, at), reason=reason)
        case Decided():
            return wire.DisputeDecided(**_common(d, government, at),
                                       owner=OrgRef.model_validate(event.owner),
                                       decision_ref=event.decision_ref,
                                       catalogue_correction=event.catalogue_correction,
                                       **_correction(event, scope or CorrectionScope(), at))


def _correction(event: Decided, scope: CorrectionScope, at: datetime) -> dict[str, Any]:
    if not event.catalogue_correction:
        return {}
    return {"correction_places": scope.places,
            "correction_effective_from": scope.effective_from
            or at.astimezone(SHANGHAI).date()}


def _common(d: Dispute, actor: OrgRef, at: datetime) -> dict[str, Any]:
    return {"occurred_at": at, "actor": actor, "correlation_id": d.subject_id,
            "dispute_id": d.id, "matter_code": d.matter_code,
            "parties": tuple(OrgRef.model_validate(p) for p in d.parties),
            "subject_id": d.subject_id, "subject_kind": d.subject_kind}
