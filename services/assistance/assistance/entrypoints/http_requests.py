"""Assistance requests over HTTP (AST-1 … AST-6): each route maps a body onto one command."""

from typing import Any

from fastapi import APIRouter, status

from assistance.adapters.queries import RequestQueries
from assistance.entrypoints import schemas as s
from assistance.service import commands as c
from assistance.service.requests import AssistanceService
from liandong_runtime.auth import ActingOrg, ActingPerson


def router(service: AssistanceService, queries: RequestQueries) -> APIRouter:
    api = APIRouter(prefix="/requests", tags=["assistance"])

    @api.post("", status_code=status.HTTP_201_CREATED)
    async def request(body: s.RequestIn, org: ActingOrg,
                      person: ActingPerson) -> dict[str, Any]:
        fields = body.model_dump(exclude={"receiver", "documents"})
        made = await service.request(c.RequestAssistance(
            c.Acting(org, person), receiver_id=body.receiver,
            documents=s.documents(body.documents), **fields))
        return {"request_id": made.id, "answer_due_at": made.answer_due_at,
                "on_site_due_at": made.on_site_due_at}

    @api.get("/inbox")
    async def inbox(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.inbox(org)

    @api.get("/outbox")
    async def outbox(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.outbox(org)

    @api.get("/{request_id}")
    async def one(request_id: str, org: ActingOrg) -> dict[str, Any]:
        return await queries.request(request_id, org)

    @api.post("/{request_id}/extension", status_code=status.HTTP_202_ACCEPTED)
    async def extend(request_id: str, body: s.ExtensionIn, org: ActingOrg,
                     person: ActingPerson) -> None:
        await service.extend(c.ExtendAnswerTime(c.Acting(org, person), request_id,
                                                body.new_due_at, body.reason))

    @api.post("/{request_id}/answer", status_code=status.HTTP_202_ACCEPTED)
    async def answer(request_id: str, body: s.AnswerIn, org: ActingOrg,
                     person: ActingPerson) -> None:
        await service.answer(c.AnswerRequest(c.Acting(org, person), request_id, body.answer,
                                             body.reason, s.documents(body.documents)))

    @api.post("/{request_id}/dispatch", status_code=status.HTTP_202_ACCEPTED)
    async def dispatch(request_id: str, body: s.RequestDispatchIn, org: ActingOrg,
                       person: ActingPerson) -> None:
        await service.dispatch(c.DispatchForRequest(c.Acting(org, person), request_id,
                                                    body.staff_count, body.dispatched_at,
                                                    body.leader))

    return api
