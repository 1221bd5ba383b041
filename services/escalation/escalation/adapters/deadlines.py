"""Deadlines in MongoDB, saved conditionally on their version.

Every query here and in `queries.py` reads an index range that holds only what it needs
(tests/integration/test_query_plans.py asserts the plans): SecantusDB reads a whole index
range before it sorts or limits, so a range that holds every open duty costs time in
proportion to them all.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from escalation.adapters.duty_counts import Key, count_change, counted, ensure_counted
from escalation.domain.deadline import Deadline
from liandong_runtime.storage import ConcurrentUpdate, Tx

FIELDS = ("rule", "duty", "responsible", "correlation_id", "started_at", "due_at", "state",
          "warned", "done_at", "breached_at", "next_action_at", "recorded_at", "counted_from",
          "start_note", "paused_by", "paused_at", "pauses")
DEFAULTS: dict[str, Any] = {"counted_from": "started_at", "start_note": ""}
# the watcher looks this far ahead for the next action, and sleeps at most a second anyway
HORIZON = timedelta(minutes=5)


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db.deadlines.create_index([("next_action_at", ASCENDING)], sparse=True)
    # the desk's lists, one organisation's or all, soonest due first (queries.py)
    await db.deadlines.create_index([("responsible.id", ASCENDING), ("state", ASCENDING),
                                     ("done_at", ASCENDING), ("due_at", ASCENDING)])
    await db.deadlines.create_index([("state", ASCENDING), ("done_at", ASCENDING),
                                     ("due_at", ASCENDING)])
    await db.notifications.create_index([("notified_at", ASCENDING)])
    await db.notifications.create_index([("webhook_next_at", ASCENDING)], sparse=True)
    await db.notifications.create_index([("kind", ASCENDING), ("notified_at", ASCENDING)])
    await db.notifications.create_index(  # a refusal is reported once (breaches have none)
        [("report_id", ASCENDING)], unique=True,
        partialFilterExpression={"report_id": {"$type": "string"}})
    # ESC-3: the duties one dispute paused, found without scanning all deadlines
    await db.deadlines.create_index([("paused_by", ASCENDING)], sparse=True)
    await ensure_counted(db)


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
    """Saving a deadline also counts its move between the counted buckets
    (duty_counts.py): the bucket it was loaded in is remembered by `get`."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self._loaded: dict[str, Key | None] = {}

    async def get(self, deadline_id: str) -> Deadline | None:
        doc = await self.tx.db.deadlines.find_one({"_id": deadline_id}, session=self.tx.session)
        self._loaded[deadline_id] = counted(doc)
        return from_doc(doc) if doc else None

    async def save(self, d: Deadline) -> None:
        doc = to_doc(d)
        if d.version == 0:
            await self.tx.db.deadlines.insert_one(doc, session=self.tx.session)
            await count_change(self.tx, None, counted(doc))
            return
        if d.id not in self._loaded:
            await self.get(d.id)
        result = await self.tx.db.deadlines.replace_one(
            {"_id": d.id, "version": d.version}, doc, session=self.tx.session)
        if result.matched_count != 1:
            raise ConcurrentUpdate(d.id)
        await count_change(self.tx, self._loaded[d.id], counted(doc))
        self._loaded[d.id] = counted(doc)

    async def paused_by(self, dispute_id: str) -> list[str]:
        """ESC-3: the ids of the duties paused by one dispute (index on `paused_by`)."""
        cursor = self.tx.db.deadlines.find({"paused_by": dispute_id}, {"_id": 1},
                                           session=self.tx.session)
        return [doc["_id"] for doc in await cursor.to_list(10_000)]


async def due_ids(db: AsyncDatabase[dict[str, Any]], now: datetime, limit: int) -> list[str]:
    """Deadlines whose next action has come: an index range, never a full scan."""
    cursor = db.deadlines.find({"next_action_at": {"$lte": now}}, {"_id": 1})
    return [doc["_id"] for doc in await cursor.sort("next_action_at", 1).limit(limit).to_list()]


async def next_action_at(db: AsyncDatabase[dict[str, Any]],
                         now: datetime | None = None) -> datetime | None:
    """The earliest next action within HORIZON of `now` (None: none that soon). Bounded:
    the range of every open duty's next action would be read whole at each tick."""
    now = now or datetime.now(UTC)
    doc = await db.deadlines.find_one({"next_action_at": {"$lte": now + HORIZON}},
                                      {"next_action_at": 1}, sort=[("next_action_at", 1)])
    return doc["next_action_at"] if doc else None
