"""The referral HTTP API: each route maps a body onto one command."""

from typing import Any

from fastapi import APIRouter, status

from liandong_runtime.auth import ActingOrg, ActingPerson
from referral.adapters.queries import CaseQueries
from referral.domain.events import Materials
from referral.entrypoints import schemas as s
from referral.service import commands as c
from referral.service.handlers import ReferralService


def router(service: ReferralService, queries: CaseQueries) -> APIRouter:
    api = APIRouter(prefix="/cases", tags=["cases"])

    @api.post("", status_code=status.HTTP_201_CREATED)
    async def record_finding(body: s.FindingIn, org: ActingOrg,
                             person: ActingPerson) -> dict[str, str]:
        fields = body.model_dump(exclude={"locality"})
        cmd = c.RecordFinding(acting=c.Acting(org, person), locality_id=body.locality, **fields)
        return {"case_id": await service.record_finding(cmd)}

    @api.post("/own", status_code=status.HTTP_201_CREATED)
    async def register_case(body: s.OwnCaseIn, org: ActingOrg,
                            person: ActingPerson) -> dict[str, str]:
        cmd = c.RegisterCase(c.Acting(org, person), body.matter_code, body.locality,
                             body.found_at, body.summary, body.complaint_id)
        return {"case_id": await service.register_case(cmd)}

    @api.get("/inbox")
    async def inbox(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.inbox(org)

    @api.get("/ongoing")
    async def ongoing(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.ongoing(org)

    @api.get("/returned")
    async def returned(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.returned(org)

    @api.get("/{case_id}")
    async def case(case_id: str, org: ActingOrg) -> dict[str, Any]:
        return await queries.case(case_id, org)

    @api.post("/{case_id}/ongoing", status_code=status.HTTP_202_ACCEPTED)
    async def report_ongoing(case_id: str, body: s.OngoingIn, org: ActingOrg,
                             person: ActingPerson) -> None:
        await service.report_ongoing(c.ReportOngoing(c.Acting(org, person), case_id,
                                                     body.stop_ordered_at, body.summary))

    @api.post("/{case_id}/ongoing/acknowledge", status_code=status.HTTP_202_ACCEPTED)
    async def acknowledge_ongoing(case_id: str, body: s.AcknowledgeIn, org: ActingOrg,
                                  person: ActingPerson) -> None:
        await service.acknowledge_ongoing(c.AcknowledgeOngoing(
            c.Acting(org, person), case_id, body.case_id, body.reason))

    @api.post("/{case_id}/dispute", status_code=status.HTTP_202_ACCEPTED)
    async def raise_dispute(case_id: str, body: s.HistoricalDisputeIn, org: ActingOrg,
                            person: ActingPerson) -> None:
        await service.raise_historical_dispute(c.RaiseHistoricalDispute(
            c.Acting(org, person), case_id, body.reason))

    @api.post("/{case_id}/transfer", status_code=status.HTTP_202_ACCEPTED)
    async def transfer(case_id: str, body: s.TransferIn, org: ActingOrg,
                       person: ActingPerson) -> None:
        m = body.materials
        materials = Materials(str(m.transfer_letter or ""), tuple(map(str, m.case_source)),
                              tuple(map(str, m.preliminary_evidence)))
        await service.transfer(c.TransferCase(c.Acting(org, person), case_id, materials))

    @api.post("/{case_id}/accept", status_code=status.HTTP_202_ACCEPTED)
    async def accept(case_id: str, org: ActingOrg, person: ActingPerson) -> None:
        await service.accept(c.AcceptTransfer(c.Acting(org, person), case_id))

    @api.post("/{case_id}/refuse", status_code=status.HTTP_202_ACCEPTED)
    async def refuse(case_id: str, body: s.RefusalIn, org: ActingOrg,
                     person: ActingPerson) -> None:
        await service.refuse(c.RefuseTransfer(c.Acting(org, person), case_id, body.grounds,
                                              body.reason))

    @api.post("/{case_id}/crime", status_code=status.HTTP_202_ACCEPTED)
    async def suspect_crime(case_id: str, body: s.CrimeIn, org: ActingOrg,
                            person: ActingPerson) -> None:
        await service.suspect_crime(c.SuspectCrime(c.Acting(org, person), case_id, body.grounds))

    @api.post("/{case_id}/judiciary", status_code=status.HTTP_202_ACCEPTED)
    async def to_judiciary(case_id: str, body: s.JudiciaryTransferIn, org: ActingOrg,
                           person: ActingPerson) -> None:
        await service.transfer_to_judiciary(c.TransferToJudiciary(
            c.Acting(org, person), case_id, body.judicial_organ, tuple(map(str, body.materials))))

    @api.post("/{case_id}/judiciary/decision", status_code=status.HTTP_202_ACCEPTED)
    async def judiciary_decision(case_id: str, body: s.JudiciaryDecisionIn, org: ActingOrg,
                                 person: ActingPerson) -> None:
        await service.record_judiciary_decision(c.RecordJudiciaryDecision(
            c.Acting(org, person), case_id, body.decision, body.reason))

    @api.post("/{case_id}/close", status_code=status.HTTP_202_ACCEPTED)
    async def close(case_id: str, body: s.CloseIn, org: ActingOrg,
                    person: ActingPerson) -> None:
        await service.close(c.CloseCase(c.Acting(org, person), case_id, body.outcome))

    return api
