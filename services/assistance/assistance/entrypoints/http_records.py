"""Meetings, meeting schedules, liaisons and supervisions over HTTP (JNT-1/2/3/5)."""

from typing import Any

from fastapi import APIRouter, Depends, status

from assistance.adapters.record_queries import RecordQueries
from assistance.entrypoints import schemas as s
from assistance.service import commands as c
from assistance.service.records import RecordService
from liandong_runtime.auth import ActingOrg, ActingPerson, caller


def router(service: RecordService, queries: RecordQueries) -> APIRouter:
    api = APIRouter(tags=["joint enforcement"])

    @api.post("/meetings", status_code=status.HTTP_201_CREATED)
    async def meeting(body: s.MinutesIn, org: ActingOrg,
                      person: ActingPerson) -> dict[str, str]:
        return {"meeting_id": await service.hold_meeting(c.RecordMeeting(
            c.Acting(org, person), body.schedule, body.held_at, body.topic,
            tuple(body.participants), body.minutes.document(), body.call_id,
            body.meeting_id))}

    @api.get("/meetings")
    async def meetings(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.meetings(org)

    @api.post("/scheduled-meetings", status_code=status.HTTP_201_CREATED)
    async def schedule(body: s.ScheduledMeetingIn, org: ActingOrg,
                       person: ActingPerson) -> dict[str, Any]:
        made = await service.schedule_meeting(c.ScheduleMeeting(
            c.Acting(org, person), body.topic, tuple(body.participants), body.scheduled_at))
        return {"meeting_id": made.id, "scheduled_at": made.scheduled_at,
                "minutes_due_at": service.due("JNT-1", made.scheduled_at)}

    @api.get("/scheduled-meetings")
    async def scheduled(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.scheduled(org)

    @api.post("/meeting-schedules", status_code=status.HTTP_201_CREATED)
    async def plan(body: s.ScheduleIn, org: ActingOrg,
                   person: ActingPerson) -> dict[str, Any]:
        made = await service.plan_meetings(c.PlanMeetings(
            c.Acting(org, person), body.topic, tuple(body.participants), body.every,
            body.first_at))
        return {"schedule_id": made.id, "next_due_at": made.next_due(service.clock())}

    @api.get("/meeting-schedules")
    async def schedules(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.schedules(org)

    @api.put("/liaisons/me")
    async def name_liaison(body: s.LiaisonIn, org: ActingOrg,
                           person: ActingPerson) -> dict[str, Any]:
        named = await service.name_liaison(c.NameLiaison(c.Acting(org, person),
                                                         body.liaison_name, body.role))
        return {"org_id": named.body.id, "liaison_name": named.liaison_name,
                "role": named.role, "named_at": named.named_at}

    @api.get("/liaisons", dependencies=[Depends(caller)])
    async def liaisons() -> list[dict[str, Any]]:
        return await queries.liaisons()

    @api.post("/supervisions", status_code=status.HTTP_201_CREATED)
    async def supervise(body: s.SupervisionAskIn, org: ActingOrg,
                        person: ActingPerson) -> dict[str, Any]:
        made = await service.supervise(c.RecordSupervision(
            c.Acting(org, person), body.kind, body.about, body.text, body.recommendation,
            body.matter_code, tuple(body.addressed), body.due_at))
        return {"supervision_id": made.id, "due_at": made.due_at,
                "addressed": [o.id for o in made.addressed]}

    @api.post("/supervisions/{supervision_id}/answer", status_code=status.HTTP_202_ACCEPTED)
    async def answer(supervision_id: str, body: s.SupervisionAnswerIn, org: ActingOrg,
                     person: ActingPerson) -> None:
        await service.answer_supervision(c.AnswerSupervision(
            c.Acting(org, person), supervision_id, body.text, s.documents(body.documents)))

    @api.get("/supervisions")
    async def supervisions(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.supervisions(org)

    return api
