"""Meetings, meeting schedules, liaisons and supervisions (JNT-1, JNT-2, JNT-3, JNT-5)."""

from assistance.domain.call import JointCall
from assistance.domain.errors import CallNotFound
from assistance.domain.liaisons import Liaison
from assistance.domain.meetings import Meeting, MeetingSchedule
from assistance.domain.supervision import Supervision
from assistance.service import commands as c
from assistance.service.common import Clock, NewId, matter, new_id, org, orgs, utc_now
from assistance.service.ports import Repositories, UnitOfWork
from liandong_runtime.refdata import ReferenceData


class RecordService:
    def __init__(self, uow: UnitOfWork, refdata: ReferenceData, clock: Clock = utc_now,
                 new_id: NewId = new_id) -> None:
        self.uow, self.refdata, self.clock, self.new_id = uow, refdata, clock, new_id

    async def hold_meeting(self, cmd: c.RecordMeeting) -> str:
        actor = org(self.refdata, cmd.acting.org_id, "acting_org")
        participants = orgs(self.refdata, cmd.participant_ids, "participants")

        async def add(repos: Repositories) -> str:
            call = await self._visible_call(repos, cmd.call_id, actor.id)
            meeting = Meeting.hold(self.new_id("mtg"), actor, cmd.schedule, cmd.held_at,
                                   cmd.topic, participants, cmd.minutes, call, self.clock())
            await repos.records.add_meeting(meeting)
            return meeting.id

        return await self.uow.run(add, cmd.acting)

    async def plan_meetings(self, cmd: c.PlanMeetings) -> MeetingSchedule:
        """Stored only: a schedule emits no event."""
        actor = org(self.refdata, cmd.acting.org_id, "acting_org")
        schedule = MeetingSchedule.plan(
            self.new_id("sch"), actor, cmd.topic,
            orgs(self.refdata, cmd.participant_ids, "participants"), cmd.every, cmd.first_at)

        async def add(repos: Repositories) -> None:
            await repos.records.add_schedule(schedule)

        await self.uow.run(add, cmd.acting)
        return schedule

    async def name_liaison(self, cmd: c.NameLiaison) -> Liaison:
        department = org(self.refdata, cmd.acting.org_id, "acting_org")

        async def put(repos: Repositories) -> Liaison:
            current = await repos.records.liaison(department.id)
            liaison = Liaison.name(department, cmd.liaison_name, cmd.role, self.clock(), current)
            if liaison is not current:
                await repos.records.put_liaison(liaison)
            return liaison

        return await self.uow.run(put, cmd.acting)

    async def supervise(self, cmd: c.RecordSupervision) -> str:
        actor = org(self.refdata, cmd.acting.org_id, "acting_org")
        about = org(self.refdata, cmd.about_id, "about")
        code = matter(self.refdata, cmd.matter_code)
        record = Supervision.record(self.new_id("sup"), actor, cmd.kind, about, cmd.text,
                                    self.clock(), cmd.recommendation, code.code if code else None)

        async def add(repos: Repositories) -> None:
            await repos.records.add_supervision(record)

        await self.uow.run(add, cmd.acting)
        return record.id

    @staticmethod
    async def _visible_call(repos: Repositories, call_id: str | None,
                            org_id: str) -> JointCall | None:
        """JNT-3: the call a meeting answers, if the recorder is one of its parties."""
        if call_id is None:
            return None
        call = await repos.calls.get(call_id)
        if not call.is_party(org_id):
            raise CallNotFound(call_id)
        return call
