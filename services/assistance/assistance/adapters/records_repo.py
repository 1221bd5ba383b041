"""Meetings, meeting schedules, liaisons and supervisions in MongoDB, written once each.

Collections `meetings`, `meeting_schedules`, `liaisons` (one per department, `_id` the
department id) and `supervisions`.
"""

from typing import Any

from assistance.adapters.outbox import SCHEMA_VERSION, Emitter, doc_of
from assistance.domain.liaisons import Liaison
from assistance.domain.meetings import Meeting, MeetingSchedule
from assistance.domain.supervision import Supervision


class MongoRecordRepository:
    def __init__(self, emitter: Emitter) -> None:
        self.emitter, self.tx = emitter, emitter.tx
        self.db, self.session = self.tx.db, self.tx.session

    async def add_meeting(self, m: Meeting) -> None:
        history = self.emitter.emit(m.events, aggregate_id=m.id, key="meeting_id")
        await self.db.meetings.insert_one({
            "_id": m.id, "schema_version": SCHEMA_VERSION, "recorded_by": m.recorded_by.id,
            "schedule": m.schedule, "held_at": m.held_at, "topic": m.topic,
            "participant_ids": [o.id for o in m.participants], "minutes": doc_of(m.minutes),
            "call_id": m.call_id, "history": history}, session=self.session)

    async def add_schedule(self, s: MeetingSchedule) -> None:
        await self.db.meeting_schedules.insert_one({
            "_id": s.id, "schema_version": SCHEMA_VERSION, "planned_by": s.planned_by.id,
            "topic": s.topic, "participant_ids": [o.id for o in s.participants],
            "every": s.every, "first_at": s.first_at}, session=self.session)

    async def liaison(self, department_id: str) -> Liaison | None:
        doc = await self.db.liaisons.find_one({"_id": department_id}, session=self.session)
        if doc is None:
            return None
        department = self.emitter.refdata.directory.get(department_id)
        return Liaison(department, doc["liaison_name"], doc["role"], doc["named_at"])

    async def put_liaison(self, liaison: Liaison) -> None:
        dept = liaison.department.id
        history = self.emitter.emit(liaison.events, aggregate_id=dept, key=None)
        await self.db.liaisons.update_one(
            {"_id": dept},
            {"$set": {"schema_version": SCHEMA_VERSION, "liaison_name": liaison.liaison_name,
                      "role": liaison.role, "named_at": liaison.named_at},
             "$push": {"history": {"$each": history}}},
            upsert=True, session=self.session)

    async def add_supervision(self, s: Supervision) -> None:
        history = self.emitter.emit(s.events, aggregate_id=s.id, key=None)
        doc: dict[str, Any] = {
            "_id": s.id, "schema_version": SCHEMA_VERSION, "by_id": s.by.id, "kind": s.kind,
            "about_id": s.about.id, "about_parent_id": s.about.parent_id,
            "recommendation": s.recommendation, "matter_code": s.matter_code, "text": s.text,
            "recorded_at": s.recorded_at, "history": history}
        await self.db.supervisions.insert_one(doc, session=self.session)
