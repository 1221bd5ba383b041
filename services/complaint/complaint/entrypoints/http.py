"""The complaint HTTP API: each route maps a body onto one command.

Request bodies hold personal data (CMP-8): they are never logged.
"""

from typing import Any

from fastapi import APIRouter, status

from complaint.adapters.queries import ComplaintQueries
from complaint.entrypoints import schemas as s
from complaint.service import commands as c
from complaint.service.handlers import ComplaintService
from liandong_runtime.auth import ActingOrg, ActingPerson

ACCEPTED = status.HTTP_202_ACCEPTED


def router(service: ComplaintService, queries: ComplaintQueries) -> APIRouter:
    api = APIRouter(prefix="/complaints", tags=["complaints"])

    @api.post("", status_code=status.HTTP_201_CREATED)
    async def receive(body: s.ComplaintIn, org: ActingOrg,
                      person: ActingPerson) -> dict[str, str]:
        complaint_id, reference_no = await service.receive(c.ReceiveComplaint(
            c.Acting(org, person), body.channel.value, body.summary,
            body.complainant.to_domain(), body.received_at, body.matter_code, body.locality,
            s.materials(body.materials)))
        return {"complaint_id": complaint_id, "reference_no": reference_no}

    @api.get("/inbox")
    async def inbox(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.inbox(org)

    @api.get("/{complaint_id}")
    async def complaint(complaint_id: str, org: ActingOrg) -> dict[str, Any]:
        return await queries.complaint(complaint_id, org)

    @api.post("/{complaint_id}/verification", status_code=ACCEPTED)
    async def verify(complaint_id: str, body: s.VerificationIn, org: ActingOrg,
                     person: ActingPerson) -> None:
        await service.verify(c.VerifyComplaint(c.Acting(org, person), complaint_id,
                                               **body.model_dump()))

    @api.post("/{complaint_id}/forward", status_code=ACCEPTED)
    async def forward(complaint_id: str, body: s.ForwardIn, org: ActingOrg,
                      person: ActingPerson) -> None:
        await service.forward(c.ForwardComplaint(
            c.Acting(org, person), complaint_id, body.matter_code, body.locality, body.reason,
            s.materials(body.materials)))

    @api.post("/{complaint_id}/contest", status_code=ACCEPTED)
    async def contest(complaint_id: str, body: s.ContestIn, org: ActingOrg,
                      person: ActingPerson) -> None:
        await service.contest(c.ContestForward(c.Acting(org, person), complaint_id, body.reason))

    @api.post("/{complaint_id}/case", status_code=ACCEPTED)
    async def name_case(complaint_id: str, body: s.CaseIn, org: ActingOrg,
                        person: ActingPerson) -> None:
        await service.name_case(c.NameCase(c.Acting(org, person), complaint_id, body.case_id))

    @api.post("/{complaint_id}/guidance", status_code=ACCEPTED)
    async def guidance(complaint_id: str, body: s.GuidanceIn, org: ActingOrg,
                       person: ActingPerson) -> None:
        await service.give_guidance(c.GiveGuidance(c.Acting(org, person), complaint_id,
                                                   body.guidance))

    @api.post("/{complaint_id}/answer", status_code=ACCEPTED)
    async def answer(complaint_id: str, body: s.ResultIn, org: ActingOrg,
                     person: ActingPerson) -> None:
        await service.answer(c.AnswerComplainant(c.Acting(org, person), complaint_id,
                                                 body.result, body.case_id))

    @api.post("/{complaint_id}/feedback", status_code=ACCEPTED)
    async def feedback(complaint_id: str, body: s.ResultIn, org: ActingOrg,
                       person: ActingPerson) -> None:
        await service.feed_back(c.SendFeedback(c.Acting(org, person), complaint_id,
                                               body.result, body.case_id))

    return api
