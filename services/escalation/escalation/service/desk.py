"""The district government's dispute desk: raise, agree, escalate, decide (DSP-1, DSP-2).

Each command loads one dispute, calls one domain method, and commits the dispute, the
deadlines it stops (both parties' negotiation clocks) or resumes (ESC-3: the duties it
paused) and the events, in one transaction.
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial

from escalation.adapters import deadlines as repo
from escalation.adapters.disputes import DisputeRepository
from escalation.domain.dispute import Dispute
from escalation.service import dispute_wire
from escalation.service.dispute_wire import CorrectionScope
from escalation.service.duties.actions import (
    Action,
    Close,
    Open,
    RaiseDispute,
    dispute_opened,
    negotiation_id,
    org,
)
from escalation.service.engine import DeadlineEngine
from liandong_contracts.escalation_v1 import DisputeDecided
from liandong_contracts.orgs import OrgKind
from liandong_runtime import corrections, lookups
from liandong_runtime.acting import Acting
from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.storage import Tx
from liandong_runtime.workdays import SHANGHAI

PARTY_KINDS = (OrgKind.TOWNSHIP, OrgKind.STREET_OFFICE, OrgKind.DEPARTMENT)


def complaint_handed_to_owner(d: Dispute, now: datetime) -> list[Action]:
    """CMP-1/CMP-7: after a contested forward, the owner answers; the others are released
    (feedback included, when the owner is the department that was owed it)."""
    if d.owner is None:
        raise ValueError(f"dispute {d.id} names no owner yet")
    owner, cid = d.owner, d.subject_id
    released = [p["id"] for p in d.parties if p["id"] != owner["id"]]
    return [*(Close(f"complaint:{cid}:{org_id}", now) for org_id in released),
            *([Close(f"feedback:{cid}", now)] if d.parties[0]["id"] == owner["id"] else []),
            Open(f"complaint:{cid}:{owner['id']}", "CMP-7",
                 f"答复投诉举报 {cid} 的投诉人或依法转交", owner, now)]


class DisputeDesk:
    def __init__(self, engine: DeadlineEngine, refdata: ReferenceData) -> None:
        self.engine, self.refdata = engine, refdata

    async def raise_direct(self, acting: Acting, other_id: str, matter_code: str,
                           subject_id: str, reason: str, subject_kind: str = "matter") -> str:
        """DSP-1: a township and a department disagree on who owns a matter."""
        actor = self._party(acting.org_id, "acting_org")
        other = self._party(other_id, "other_party")
        if actor.kind.is_township == other.kind.is_township:
            raise RuleViolation("DSP-1", "other_party",
                                "a jurisdiction dispute is between a township and a department")
        lookups.matter(self.refdata, matter_code)
        dispute_id = f"dsp-{uuid.uuid4().hex[:16]}"
        raised = RaiseDispute(dispute_id, matter_code, (org(actor.ref()), org(other.ref())),
                              "direct", reason, subject_id, subject_kind)
        actions = dispute_opened(raised, org(actor.ref()), f"协商解决事项 {matter_code} 的管辖争议",
                                 self.engine.clock())

        async def work(tx: Tx) -> None:
            await self.engine.apply(tx, actions, subject_id, actor=actor.ref())

        await self.engine.store.transaction(work, acting=acting)
        return dispute_id

    async def agree(self, dispute_id: str, acting: Acting, owner_id: str) -> str:
        actor, owner = self._party(acting.org_id, "acting_org"), self._party(owner_id, "owner")
        return await self._change(dispute_id, acting,
                                  lambda d: d.agree(org(actor.ref()), org(owner.ref())))

    async def escalate(self, dispute_id: str, acting: Acting) -> str:
        actor = self._party(acting.org_id, "acting_org")
        return await self._change(dispute_id, acting,
                                  lambda d: d.escalate("party_requested", org(actor.ref())))

    async def decide(self, dispute_id: str, acting: Acting, owner_id: str, decision_ref: str,
                     catalogue_correction: bool, correction_places: Sequence[str] = (),
                     correction_effective_from: date | None = None) -> str:
        actor = self._org(acting.org_id, "acting_org")
        if actor.kind is not OrgKind.DISTRICT_GOVERNMENT:
            raise NotAllowed("acting_org", "only the district government decides a dispute (DSP-2)")
        owner = self._party(owner_id, "owner")
        scope = self._correction_scope(catalogue_correction, correction_places,
                                       correction_effective_from)
        return await self._change(dispute_id, acting, lambda d: d.decide(
            org(owner.ref()), decision_ref, catalogue_correction), scope)

    def _correction_scope(self, catalogue_correction: bool, places: Sequence[str],
                          effective_from: date | None) -> CorrectionScope:
        """DSP-2: a correction covers townships of the district from a day on; JUR-1: never
        from a day before the decision's, which would rewrite who owned the matter then."""
        for field, given in (("correction_places", bool(places)),
                             ("correction_effective_from", effective_from is not None)):
            if given and not catalogue_correction:
                raise RuleViolation("DSP-2", field, "places and a date are given only with a "
                                    "catalogue correction (catalogue_correction: true)")
        for place in places:
            township = self._org(place, "correction_places")
            if not township.kind.is_township:
                raise RuleViolation("DSP-2", "correction_places",
                                    f"{place!r} is a {township.kind}: a correction covers "
                                    "townships and street offices")
        today = self.engine.clock().astimezone(SHANGHAI).date()
        if effective_from is not None and effective_from < today:
            raise RuleViolation("JUR-1", "correction_effective_from",
                                f"{effective_from.isoformat()} is before the decision's day "
                                f"({today.isoformat()}): a correction never rewrites who owned "
                                "the matter on an earlier day")
        return CorrectionScope(tuple(sorted(set(places))), effective_from)

    async def _change(self, dispute_id: str, acting: Acting,
                      change: Callable[[Dispute], None],
                      scope: CorrectionScope | None = None) -> str:
        async def work(tx: Tx) -> str:
            disputes = DisputeRepository(tx)
            d = await disputes.get(dispute_id)
            if d is None:
                raise NotFound(f"dispute {dispute_id}")
            change(d)
            now = self.engine.clock()
            for outcome in d.events:
                event = dispute_wire.outcome(d, outcome, self.engine.government, now, scope)
                tx.emit(event)
                if isinstance(event, DisputeDecided):  # DSP-2: the catalogue as decided
                    await corrections.record(tx, event)
            if d.state != "negotiating":
                await self._stop_negotiation(tx, d, now)
            if d.owner is not None and d.subject_kind == "complaint":
                await self.engine.apply(tx, complaint_handed_to_owner(d, now), d.subject_id)
            if d.ended:
                d.ended_at = now
                await self.engine.resume_dispute(tx, d, now)
            await disputes.save(d, now)
            return d.state

        return await self.engine.store.transaction(work, acting=acting)

    async def _stop_negotiation(self, tx: Tx, d: Dispute, now: datetime) -> None:
        """ESC-3: settling or escalating ends the negotiation limit, for both parties
        (`dispute:<id>` is the one party's deadline of disputes raised before DSP-1 charged
        both)."""
        deadlines = repo.DeadlineRepository(tx)
        ids = [negotiation_id(d.id, p["id"]) for p in d.parties] + [f"dispute:{d.id}"]
        for deadline_id in ids:
            deadline = await deadlines.get(deadline_id)
            if deadline is not None and deadline.state == "open":
                deadline.complete(now)
                deadline.events.clear()  # ending negotiation late is not itself a breach
                tx.after_commit(partial(self.engine.metrics.completed, deadline))
                await deadlines.save(deadline)

    def _org(self, org_id: str, field: str) -> Organisation:
        return lookups.org(self.refdata, org_id, field)

    def _party(self, org_id: str, field: str) -> Organisation:
        found = self._org(org_id, field)
        if found.kind not in PARTY_KINDS:
            raise RuleViolation("DSP-1", field, "a party to a jurisdiction dispute is a township, "
                                "street office or department, never a unit")
        return found
