"""The district government's desk over HTTP: deadlines, notifications and disputes."""

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, status

from escalation.adapters.queries import PAGE, DeskQueries
from escalation.entrypoints import schemas as s
from escalation.service.desk import DisputeDesk
from liandong_runtime.auth import Caller, Scope, caller, district_government_only
from liandong_runtime.errors import NotAllowed

# pages: `limit` items (the default is what a list returned before it had pages), then
# `after` the last deadline's id, `before` the last notification's notified_at, `skip` others
LIMIT = Query(default=PAGE, ge=1, le=PAGE)
AFTER = Query(default=None, min_length=1, max_length=128)
SKIP = Query(default=0, ge=0, le=100_000)
BEFORE = Query(default=None)


def router(queries: DeskQueries, desk: DisputeDesk) -> APIRouter:
    api = APIRouter(tags=["district government desk"])

    @api.get("/deadlines")
    async def open_deadlines(
        scope: Scope, org: str | None = Query(default=None, max_length=64),
        limit: int = LIMIT, after: str | None = AFTER,
    ) -> list[dict[str, Any]]:
        """The district government reads anyone's (`org`) or all; others their own only.
        Soonest due first; the next page starts `after` the last one's id."""
        if scope is not None and org not in (None, scope):
            raise NotAllowed("org", "an organisation reads only its own deadlines")
        return await queries.open_deadlines(org or scope, limit, after)

    @api.get("/deadlines/overdue")
    async def overdue(scope: Scope, limit: int = LIMIT,
                      after: str | None = AFTER) -> list[dict[str, Any]]:
        return await queries.overdue(scope, limit, after)

    @api.get("/notifications", dependencies=[Depends(district_government_only)])
    async def notifications(
        limit: int = Query(default=100, ge=1, le=1000),
        kind: Literal["breach", "refusal_reported"] | None = Query(default=None),
        before: datetime | None = BEFORE,
    ) -> list[dict[str, Any]]:
        """Breach notices (ESC-1) and reported refusals, newest first; `kind` keeps one of
        them; the next page: `before` the last one's notified_at."""
        return await queries.notifications(limit, kind, before)

    @api.get("/disputes")
    async def disputes(
        scope: Scope, state: str | None = Query(default=None, max_length=20),
        limit: int = LIMIT, skip: int = SKIP,
    ) -> list[dict[str, Any]]:
        return await queries.disputes(state, scope, limit, skip)

    @api.get("/disputes/{dispute_id}")
    async def dispute(dispute_id: str, scope: Scope) -> dict[str, Any]:
        return await queries.dispute(dispute_id, scope)

    @api.get("/catalogue-corrections", dependencies=[Depends(caller)])
    async def corrections(limit: int = LIMIT, skip: int = SKIP) -> list[dict[str, Any]]:
        """The catalogue as decided: every organisation of the district may read it."""
        return await queries.corrections(limit, skip)

    @api.post("/disputes", status_code=status.HTTP_201_CREATED)
    async def raise_dispute(body: s.DisputeIn, acting: Caller) -> dict[str, str]:
        dispute_id = await desk.raise_direct(acting, body.other_party, body.matter_code,
                                             body.subject_id, body.reason, body.subject_kind)
        return {"dispute_id": dispute_id}

    @api.post("/disputes/{dispute_id}/agreement")
    async def agree(dispute_id: str, body: s.AgreementIn, acting: Caller) -> dict[str, str]:
        return {"state": await desk.agree(dispute_id, acting, body.owner)}

    @api.post("/disputes/{dispute_id}/escalation")
    async def escalate(dispute_id: str, acting: Caller) -> dict[str, str]:
        return {"state": await desk.escalate(dispute_id, acting)}

    @api.post("/disputes/{dispute_id}/decision")
    async def decide(dispute_id: str, body: s.DecisionIn, acting: Caller) -> dict[str, str]:
        return {"state": await desk.decide(dispute_id, acting, body.owner, body.decision_ref,
                                           body.catalogue_correction, body.correction_places,
                                           body.correction_effective_from)}

    return api
