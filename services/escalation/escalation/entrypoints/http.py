"""The district government's desk over HTTP: deadlines, notifications and disputes."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, status

from escalation.adapters.queries import DeskQueries
from escalation.entrypoints import schemas as s
from escalation.service.desk import DisputeDesk

OrgHeader = Annotated[str, Header(alias="X-Acting-Org", description="Acting organisation id")]


def router(queries: DeskQueries, desk: DisputeDesk) -> APIRouter:
    api = APIRouter(tags=["district government desk"])

    @api.get("/deadlines")
    async def open_deadlines(
        org: str | None = Query(default=None, max_length=64),
    ) -> list[dict[str, Any]]:
        return await queries.open_deadlines(org)

    @api.get("/deadlines/overdue")
    async def overdue() -> list[dict[str, Any]]:
        return await queries.overdue()

    @api.get("/notifications")
    async def notifications(limit: int = Query(default=100, ge=1, le=1000)) -> list[dict[str, Any]]:
        return await queries.notifications(limit)

    @api.get("/disputes")
    async def disputes(
        state: str | None = Query(default=None, max_length=20),
    ) -> list[dict[str, Any]]:
        return await queries.disputes(state)

    @api.get("/disputes/{dispute_id}")
    async def dispute(dispute_id: str) -> dict[str, Any]:
        return await queries.dispute(dispute_id)

    @api.get("/catalogue-corrections")
    async def corrections() -> list[dict[str, Any]]:
        return await queries.corrections()

    @api.post("/disputes", status_code=status.HTTP_201_CREATED)
    async def raise_dispute(body: s.DisputeIn, org: OrgHeader) -> dict[str, str]:
        dispute_id = await desk.raise_direct(org, body.other_party, body.matter_code,
                                             body.subject_id, body.reason)
        return {"dispute_id": dispute_id}

    @api.post("/disputes/{dispute_id}/agreement")
    async def agree(dispute_id: str, body: s.AgreementIn, org: OrgHeader) -> dict[str, str]:
        return {"state": await desk.agree(dispute_id, org, body.owner)}

    @api.post("/disputes/{dispute_id}/escalation")
    async def escalate(dispute_id: str, org: OrgHeader) -> dict[str, str]:
        return {"state": await desk.escalate(dispute_id, org)}

    @api.post("/disputes/{dispute_id}/decision")
    async def decide(dispute_id: str, body: s.DecisionIn, org: OrgHeader) -> dict[str, str]:
        return {"state": await desk.decide(dispute_id, org, body.owner, body.decision_ref,
                                           body.catalogue_correction)}

    return api
