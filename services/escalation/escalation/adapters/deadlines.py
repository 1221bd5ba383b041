"""Deadlines in MongoDB, saved conditionally on their version."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from escalation.domain.deadline import Deadline
from liandong_runtime.storage import ConcurrentUpdate, Tx

FIELDS = ("rule", "duty", "responsible", "correlation_id", "started_at", "due_at", "state",
          "warned", "done_at", "breached_at", "next_action_at")



async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db.deadlines.create_index([("next_action_at", ASCENDING)], sparse=True)
    await db.deadlines.create_index([("responsible.id", ASCENDING), ("state", ASCENDING)])
    await db.deadlines.create_index([("state", ASCENDING), ("due_at", ASCENDING)])
    await db.notifications.create_index([("notified_at", ASCENDING)])
    await db.notifications.create_index([("webhook_next_at", ASCENDING)], sparse=True)


def to_doc(d: Deadline) -> dict[str, Any]:
    doc = {name: getattr(d, name) for name in FIELDS}
    if d.next_action_at is None:
        doc.pop("next_action_at")
    return {"_id": d.id, "schema_version": 1, "version": d.version + 1, **doc}


def from_doc(doc: dict[str, Any]) -> Deadline:
    return Deadline(id=doc["_id"], version=doc["version"],
                    **{name: doc.get(name) for name in FIELDS})


class DeadlineRepository:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx

    async def get(self, deadline_id: str) -> Deadline | None:
        doc = await self.tx.db.deadlines.find_one({"_id": deadline_id}, session=self.tx.session)
        return from_doc(doc) if doc else None

    async def save(self, d: Deadline) -> None:
        if d.version == 0:
            await self.tx.db.deadlines.insert_one(to_doc(d), session=self.tx.session)
            return
        result = await self.tx.db.deadlines.replace_one(
            {"_id": d.id, "version": d.version}, to_doc(d), session=self.tx.session)
        if result.matched_count != 1:
            raise ConcurrentUpdate(d.id)


async def due_ids(db: AsyncDatabase[dict[str, Any]], now: datetime, limit: int) -> list[str]:
    """Deadlines whose next action has come: an index range, never a full scan."""
    cursor = db.deadlines.find({"next_action_at": {"$lte": now}}, {"_id": 1})
    return [doc["_id"] for doc in await cursor.sort("next_action_at", 1).limit(limit).to_list()]


async def next_action_at(db: AsyncDatabase[dict[str, Any]]) -> datetime | None:
    doc = await db.deadlines.find_one({"next_action_at": {"$exists": True}},
                                      {"next_action_at": 1}, sort=[("next_action_at", 1)])
    return doc["next_action_at"] if doc else None
