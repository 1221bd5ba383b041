"""Deadlines in MongoDB, saved conditionally on their version."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from escalation.domain.deadline import Deadline
from liandong_runtime.storage import ConcurrentUpdate, Tx

FIELDS = ("rule", "duty", "responsible", "correlation_id", "started_at", "due_at", "state",
          "warned", "done_at", "breached_at", "next_action_at", "recorded_at", "counted_from",
          "start_note", "paused_by", "paused_at", "pauses")
DEFAULTS: dict[str, Any] = {"counted_from": "started_at", "start_note": ""}


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db.deadlines.create_index([("next_action_at", ASCENDING)], sparse=True)
    await db.deadlines.create_index([("responsible.id", ASCENDING), ("state", ASCENDING)])
    await db.deadlines.create_index([("state", ASCENDING), ("due_at", ASCENDING)])
    await db.notifications.create_index([("notified_at", ASCENDING)])
    await db.notifications.create_index([("webhook_next_at", ASCENDING)], sparse=True)
    await db.notifications.create_index([("kind", ASCENDING), ("notified_at", ASCENDING)])
    await db.notifications.create_index(  # a refusal is reported once (breaches have none)
        [("report_id", ASCENDING)], unique=True,
        partialFilterExpression={"report_id": {"$type": "string"}})
    # ESC-3: the duties one dispute paused, found without scanning all deadlines
    await db.deadlines.create_index([("paused_by", ASCENDING)], sparse=True)


def to_doc(d: Deadline) -> dict[str, Any]:
    doc = {name: getattr(d, name) for name in FIELDS}
    for sparse in ("next_action_at", "paused_by"):
        if doc[sparse] is None:
            doc.pop(sparse)
    return {"_id": d.id, "schema_version": 1, "version": d.version + 1, **doc}


def from_doc(doc: dict[str, Any]) -> Deadline:
    values = {name: doc.get(name, DEFAULTS.get(name)) for name in FIELDS}
    values["pauses"] = list(values["pauses"] or [])
    return Deadline(id=doc["_id"], version=doc["version"], **values)


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

    async def paused_by(self, dispute_id: str) -> list[str]:
        """ESC-3: the ids of the duties paused by one dispute (index on `paused_by`)."""
        cursor = self.tx.db.deadlines.find({"paused_by": dispute_id}, {"_id": 1},
                                           session=self.tx.session)
        return [doc["_id"] for doc in await cursor.to_list(10_000)]


async def due_ids(db: AsyncDatabase[dict[str, Any]], now: datetime, limit: int) -> list[str]:
    """Deadlines whose next action has come: an index range, never a full scan."""
    cursor = db.deadlines.find({"next_action_at": {"$lte": now}}, {"_id": 1})
    return [doc["_id"] for doc in await cursor.sort("next_action_at", 1).limit(limit).to_list()]


async def next_action_at(db: AsyncDatabase[dict[str, Any]]) -> datetime | None:
    doc = await db.deadlines.find_one({"next_action_at": {"$exists": True}},
                                      {"next_action_at": 1}, sort=[("next_action_at", 1)])
    return doc["next_action_at"] if doc else None
