"""Joint-enforcement calls over HTTP (JNT-3, JNT-4, JNT-6)."""

from typing import Any

from fastapi import APIRouter, status

from assistance.adapters.queries import CallQueries
from assistance.entrypoints import schemas as s
from assistance.service import commands as c
from assistance.service.calls import JointService
from liandong_runtime.auth import ActingOrg, ActingPerson


def router(service: JointService, queries: CallQueries) -> APIRouter:
    api = APIRouter(prefix="/calls", tags=["joint enforcement"])

    @api.post("", status_code=status.HTTP_201_CREATED)
    async def call(body: s.CallIn, org: ActingOrg, person: ActingPerson) -> dict[str, Any]:
        made = await service.call(c.CallJointEnforcement(
            c.Acting(org, person), body.kind, tuple(body.called), body.reason,
            body.matter_code, body.case_id))
        due = {o.id: made.due_at for o in made.summons.called} if made.due_at else {}
        return {"call_id": made.id, "due_at": due}

    @api.get("/inbox")
    async def inbox(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.inbox(org)

    @api.get("/{call_id}")
    async def one(call_id: str, org: ActingOrg) -> dict[str, Any]:
        return await queries.call(call_id, org)

    @api.post("/{call_id}/answer", status_code=status.HTTP_202_ACCEPTED)
    async def answer(call_id: str, body: s.CallAnswerIn, org: ActingOrg,
                     person: ActingPerson) -> None:
        await service.answer(c.AnswerCall(c.Acting(org, person), call_id, body.answer,
                                          body.reason))

    @api.post("/{call_id}/dispatch", status_code=status.HTTP_202_ACCEPTED)
    async def dispatch(call_id: str, body: s.CallDispatchWithTimeIn, org: ActingOrg,
                       person: ActingPerson) -> None:
        await service.dispatch(c.DispatchForCall(c.Acting(org, person), call_id,
                                                 body.staff_count, body.dispatched_at,
                                                 body.leader))

    return api
