"""Meetings, meeting schedules, scheduled meetings, liaisons and supervisions in MongoDB.

Collections `meetings`, `meeting_schedules`, `scheduled_meetings` (marked held once
their minutes are recorded), `liaisons` (one per township or department, `_id` its id)
and `supervisions` (versioned: each department addressed answers once).
"""

from typing import Any

from assistance.adapters.outbox import SCHEMA_VERSION, Emitter, doc_of, document, save_versioned
from assistance.domain.errors import MeetingNotFound, SupervisionNotFound
from assistance.domain.liaisons import Liaison
from assistance.domain.meetings import Meeting, MeetingSchedule, ScheduledMeeting
from assistance.domain.supervision import Supervision, SupervisionAnswer
from liandong_runtime.storage import ConcurrentUpdate


class MongoRecordRepository:
    def __init__(self, emitter: Emitter) -> None:
        self.emitter, self.tx = emitter, emitter.tx
        self.db, self.session = self.tx.db, self.tx.session
        self.org = emitter.refdata.directory.get

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

    async def scheduled(self, meeting_id: str) -> ScheduledMeeting:
        doc = await self.db.scheduled_meetings.find_one({"_id": meeting_id},
                                                        session=self.session)
        if doc is None:
            raise MeetingNotFound(meeting_id)
        return ScheduledMeeting(doc["_id"], self.org(doc["convener_id"]), doc["topic"],
                                tuple(map(self.org, doc["participant_ids"])),
                                doc["scheduled_at"], doc["held"])

    async def add_scheduled(self, m: ScheduledMeeting) -> None:
        history = self.emitter.emit(m.events, aggregate_id=m.id, key="meeting_id")
        await self.db.scheduled_meetings.insert_one({
            "_id": m.id, "schema_version": SCHEMA_VERSION, "convener_id": m.convener.id,
            "topic": m.topic, "participant_ids": [o.id for o in m.participants],
            "scheduled_at": m.scheduled_at, "held": m.held, "history": history},
            session=self.session)

    async def save_scheduled(self, m: ScheduledMeeting) -> None:
        result = await self.db.scheduled_meetings.update_one(
            {"_id": m.id, "held": False}, {"$set": {"held": m.held}}, session=self.session)
        if result.matched_count != 1:
            raise ConcurrentUpdate(m.id)

    async def liaison(self, org_id: str) -> Liaison | None:
        doc = await self.db.liaisons.find_one({"_id": org_id}, session=self.session)
        if doc is None:
            return None
        return Liaison(self.org(org_id), doc["liaison_name"], doc["role"], doc["named_at"])

    async def put_liaison(self, liaison: Liaison) -> None:
        body = liaison.body.id
        history = self.emitter.emit(liaison.events, aggregate_id=body, key=None)
        await self.db.liaisons.update_one(
            {"_id": body},
            {"$set": {"schema_version": SCHEMA_VERSION, "liaison_name": liaison.liaison_name,
                      "role": liaison.role, "named_at": liaison.named_at},
             "$push": {"history": {"$each": history}}},
            upsert=True, session=self.session)

    async def supervision(self, supervision_id: str) -> Supervision:
        doc = await self.db.supervisions.find_one({"_id": supervision_id}, session=self.session)
        if doc is None:
            raise SupervisionNotFound(supervision_id)
        answers = {a["org_id"]: SupervisionAnswer(a["text"], tuple(map(document, a["documents"])),
                                                  a["answered_at"])
                   for a in doc.get("answers", [])}
        return Supervision(
            doc["_id"], self.org(doc["by_id"]), doc["kind"], self.org(doc["about_id"]),
            doc["text"], doc["recorded_at"], doc["recommendation"], doc["matter_code"],
            tuple(map(self.org, doc.get("addressed_ids", []))), doc.get("due_at"), answers,
            doc.get("version", 1))

    async def add_supervision(self, s: Supervision) -> None:
        history = self._emit(s)
        doc: dict[str, Any] = {
            "_id": s.id, "schema_version": SCHEMA_VERSION, "by_id": s.by.id, "kind": s.kind,
            "about_id": s.about.id, "about_parent_id": s.about.parent_id,
            "recommendation": s.recommendation, "matter_code": s.matter_code, "text": s.text,
            "recorded_at": s.recorded_at, **_answers_of(s), "version": 1, "history": history}
        await self.db.supervisions.insert_one(doc, session=self.session)

    async def save_supervision(self, s: Supervision) -> None:
        await save_versioned(self.db.supervisions, self.tx, s.id, s.version, _answers_of(s),
                             self._emit(s))

    def _emit(self, s: Supervision) -> list[dict[str, Any]]:
        return self.emitter.emit(s.events, aggregate_id=s.id, key="supervision_id")


def _answers_of(s: Supervision) -> dict[str, Any]:
    """JNT-5: who is addressed, by when, who answered and who is still silent."""
    return {"addressed_ids": [o.id for o in s.addressed], "due_at": s.due_at,
            "silent_ids": [o.id for o in s.silent],
            "answers": [{"org_id": org_id, "text": a.text, "answered_at": a.answered_at,
                         "documents": [doc_of(d) for d in a.documents]}
                        for org_id, a in s.answers.items()]}
