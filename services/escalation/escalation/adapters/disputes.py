"""Disputes and catalogue corrections in MongoDB, saved conditionally on their version."""

from dataclasses import fields
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from escalation.domain.dispute import Dispute
from liandong_runtime.storage import ConcurrentUpdate, Tx

FIELDS = tuple(f.name for f in fields(Dispute) if f.name not in ("id", "version", "events"))



async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db.disputes.create_index([("state", ASCENDING), ("occurred_at", DESCENDING)])
    await db.disputes.create_index([("parties.id", ASCENDING)])


def to_doc(d: Dispute) -> dict[str, Any]:
    doc = {name: getattr(d, name) for name in FIELDS}
    doc["parties"] = list(d.parties)
    return {"_id": d.id, "schema_version": 1, "version": d.version + 1, **doc}


def from_doc(doc: dict[str, Any]) -> Dispute:
    values = {name: doc.get(name) for name in FIELDS if name in doc}
    values["parties"] = tuple(doc["parties"])
    return Dispute(id=doc["_id"], version=doc["version"], **values)


class DisputeRepository:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx

    async def get(self, dispute_id: str) -> Dispute | None:
        doc = await self.tx.db.disputes.find_one({"_id": dispute_id}, session=self.tx.session)
        return from_doc(doc) if doc else None

    async def add(self, d: Dispute, occurred_at: datetime) -> None:
        doc = {**to_doc(d), "occurred_at": occurred_at}
        await self.tx.db.disputes.insert_one(doc, session=self.tx.session)

    async def save(self, d: Dispute, at: datetime) -> None:
        result = await self.tx.db.disputes.update_one(
            {"_id": d.id, "version": d.version}, {"$set": {**to_doc(d), "updated_at": at}},
            session=self.tx.session)
        if result.matched_count != 1:
            raise ConcurrentUpdate(d.id)
