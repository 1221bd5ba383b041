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
    async def meeting(body: s.MeetingIn, org: ActingOrg,
                      person: ActingPerson) -> dict[str, str]:
        return {"meeting_id": await service.hold_meeting(c.RecordMeeting(
            c.Acting(org, person), body.schedule, body.held_at, body.topic,
            tuple(body.participants), body.minutes.document(), body.call_id))}

    @api.get("/meetings")
    async def meetings(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.meetings(org)

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
        return {"department_id": named.department.id, "liaison_name": named.liaison_name,
                "role": named.role, "named_at": named.named_at}

    @api.get("/liaisons", dependencies=[Depends(caller)])
    async def liaisons() -> list[dict[str, Any]]:
        return await queries.liaisons()

    @api.post("/supervisions", status_code=status.HTTP_201_CREATED)
    async def supervise(body: s.SupervisionIn, org: ActingOrg,
                        person: ActingPerson) -> dict[str, str]:
        return {"supervision_id": await service.supervise(c.RecordSupervision(
            c.Acting(org, person), body.kind, body.about, body.text, body.recommendation,
            body.matter_code))}

    @api.get("/supervisions")
    async def supervisions(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.supervisions(org)

    return api
