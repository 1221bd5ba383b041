"""Read side of meetings, meeting schedules, liaisons and supervisions."""

from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from assistance.domain.meetings import next_due
from assistance.service.common import Clock
from liandong_runtime.refdata import Directory

LIMIT = 500


class RecordQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], directory: Directory,
                 clock: Clock) -> None:
        self.db, self.directory, self.clock = db, directory, clock

    async def meetings(self, org_id: str) -> list[dict[str, Any]]:
        """JNT-1/JNT-3: the meetings the body took part in, the latest first."""
        cursor = self.db.meetings.find({"participant_ids": org_id}, {
            "_id": 0, "meeting_id": "$_id", "recorded_by": 1, "schedule": 1, "held_at": 1,
            "topic": 1, "participant_ids": 1, "minutes": 1, "call_id": 1})
        return await cursor.sort("held_at", DESCENDING).limit(LIMIT).to_list()

    async def scheduled(self, org_id: str) -> list[dict[str, Any]]:
        """JNT-1: the meetings scheduled with the body, the latest first; `held` once
        their minutes are recorded."""
        cursor = self.db.scheduled_meetings.find({"participant_ids": org_id}, {
            "_id": 0, "meeting_id": "$_id", "convener_id": 1, "topic": 1, "participant_ids": 1,
            "scheduled_at": 1, "held": 1})
        return await cursor.sort("scheduled_at", DESCENDING).limit(LIMIT).to_list()

    async def schedules(self, org_id: str) -> list[dict[str, Any]]:
        """JNT-1: the regular meetings the body takes part in, with the next date due."""
        cursor = self.db.meeting_schedules.find({"participant_ids": org_id}, {
            "_id": 0, "schedule_id": "$_id", "planned_by": 1, "topic": 1,
            "participant_ids": 1, "every": 1, "first_at": 1})
        now = self.clock()
        found = [{**s, "next_due_at": next_due(s["first_at"], s["every"], now)}
                 for s in await cursor.limit(LIMIT).to_list()]
        return sorted(found, key=lambda s: s["next_due_at"])

    async def liaisons(self) -> list[dict[str, Any]]:
        """JNT-2: every township's and department's current liaison, both ways; the
        directory's until one is named."""
        named = {d["_id"]: d for d in await self.db.liaisons.find(
            {}, {"liaison_name": 1, "role": 1, "named_at": 1}).to_list()}
        bodies = (*self.directory.townships(), *self.directory.departments())
        return [self._liaison(body, named.get(body.id)) for body in bodies]

    async def supervisions(self, org_id: str) -> list[dict[str, Any]]:
        """JNT-5: what the body recorded, or what was recorded about it, its units, or
        addressed to it; who answered, and who is still silent."""
        query = {"$or": [{"by_id": org_id}, {"about_id": org_id}, {"about_parent_id": org_id},
                         {"addressed_ids": org_id}]}
        cursor = self.db.supervisions.find(query, {
            "_id": 0, "supervision_id": "$_id", "by_id": 1, "kind": 1, "about_id": 1,
            "recommendation": 1, "matter_code": 1, "text": 1, "recorded_at": 1,
            "addressed_ids": 1, "due_at": 1, "answers": 1, "silent_ids": 1})
        return await cursor.sort("recorded_at", DESCENDING).limit(LIMIT).to_list()

    @staticmethod
    def _liaison(body: Any, named: dict[str, Any] | None) -> dict[str, Any]:
        seen = {"org_id": body.id, "name": body.name, "kind": str(body.kind)}
        if named:
            return {**seen, "source": "named", "liaison_name": named["liaison_name"],
                    "role": named["role"], "named_at": named["named_at"]}
        return {**seen, "source": "directory", "liaison_name": body.liaison_person,
                "role": None, "named_at": None}
