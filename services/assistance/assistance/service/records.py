"""Meetings, meeting schedules, liaisons and supervisions (JNT-1, JNT-2, JNT-3, JNT-5)."""

from assistance.domain.call import JointCall
from assistance.domain.errors import CallNotFound, MeetingNotFound, SupervisionNotFound
from assistance.domain.liaisons import Liaison
from assistance.domain.meetings import Meeting, MeetingSchedule, ScheduledMeeting
from assistance.domain.supervision import Supervision
from assistance.domain.values import Due
from assistance.service import commands as c
from assistance.service.common import Clock, NewId, matter, org, orgs, utc_now
from assistance.service.ports import Repositories, UnitOfWork
from liandong_runtime.ids import new_id
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation


class RecordService:
    def __init__(self, uow: UnitOfWork, refdata: ReferenceData, due: Due,
                 clock: Clock = utc_now, new_id: NewId = new_id) -> None:
        self.uow, self.refdata, self.due = uow, refdata, due
        self.clock, self.new_id = clock, new_id

    async def hold_meeting(self, cmd: c.RecordMeeting) -> str:
        actor = org(self.refdata, cmd.acting.org_id, "acting_org")
        participants = orgs(self.refdata, cmd.participant_ids, "participants")

        async def add(repos: Repositories) -> str:
            call = await self._visible_call(repos, cmd.call_id, actor.id)
            planned = await self._visible_meeting(repos, cmd.meeting_id, actor.id)
            meeting = Meeting.hold(self.new_id("mtg"), actor, cmd.schedule, cmd.held_at,
                                   cmd.topic, participants, cmd.minutes, call, self.clock(),
                                   planned)
            if planned is not None:
                await repos.records.save_scheduled(planned)
            await repos.records.add_meeting(meeting)
            return meeting.id

        return await self.uow.run(add, cmd.acting)

    async def schedule_meeting(self, cmd: c.ScheduleMeeting) -> ScheduledMeeting:
        """JNT-1: one meeting on a date; its minutes are due by the end of that day."""
        actor = org(self.refdata, cmd.acting.org_id, "acting_org")
        meeting = ScheduledMeeting.schedule(
            self.new_id("mtg"), actor, cmd.topic,
            orgs(self.refdata, cmd.participant_ids, "participants"), cmd.scheduled_at,
            self.clock())

        async def add(repos: Repositories) -> ScheduledMeeting:
            await repos.records.add_scheduled(meeting)
            return meeting

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
        body = org(self.refdata, cmd.acting.org_id, "acting_org")

        async def put(repos: Repositories) -> Liaison:
            current = await repos.records.liaison(body.id)
            liaison = Liaison.name(body, cmd.liaison_name, cmd.role, self.clock(), current)
            if liaison is not current:
                await repos.records.put_liaison(liaison)
            return liaison

        return await self.uow.run(put, cmd.acting)

    async def supervise(self, cmd: c.RecordSupervision) -> Supervision:
        actor = org(self.refdata, cmd.acting.org_id, "acting_org")
        about = org(self.refdata, cmd.about_id, "about")
        code = matter(self.refdata, cmd.matter_code)
        addressed = orgs(self.refdata, cmd.addressed_ids, "addressed")
        if cmd.kind == "supervision" and not addressed:
            addressed = (self._department_of(about),)
        record = Supervision.record(
            self.new_id("sup"), actor, cmd.kind, about, cmd.text, self.clock(), self.due,
            cmd.recommendation, code.code if code else None, addressed, cmd.due_at)

        async def add(repos: Repositories) -> None:
            await repos.records.add_supervision(record)

        await self.uow.run(add, cmd.acting)
        return record

    async def answer_supervision(self, cmd: c.AnswerSupervision) -> None:
        """JNT-5: a department addressed answers the township's supervision."""
        actor = org(self.refdata, cmd.acting.org_id, "acting_org")

        async def answer(repos: Repositories) -> None:
            record = await repos.records.supervision(cmd.supervision_id)
            if not (record.by.id == actor.id or any(o.id == actor.id for o in record.addressed)):
                raise SupervisionNotFound(cmd.supervision_id)
            record.answer(actor, cmd.text, cmd.documents, self.clock())
            await repos.records.save_supervision(record)

        await self.uow.run(answer, cmd.acting)

    def _department_of(self, about: Organisation) -> Organisation:
        """Without a list, a supervision addresses the department it is about (or the
        department a unit acts for)."""
        if about.kind.is_unit and about.parent_id:
            return org(self.refdata, about.parent_id, "about")
        return about

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

    @staticmethod
    async def _visible_meeting(repos: Repositories, meeting_id: str | None,
                               org_id: str) -> ScheduledMeeting | None:
        """JNT-1: the scheduled meeting whose minutes these are, if the recorder takes part."""
        if meeting_id is None:
            return None
        planned = await repos.records.scheduled(meeting_id)
        if not any(o.id == org_id for o in planned.participants):
            raise MeetingNotFound(meeting_id)
        return planned
