"""The dead-letter store: messages refused on purpose, kept where an operator finds them.

A message that violates its contract is parked on first delivery; one that keeps
failing for a transient reason is parked after the consumer's maximum deliveries.
Either way it is terminated on the broker, so it never loops.
"""

from datetime import UTC, datetime
from typing import Any, Literal

from prometheus_client import Gauge
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

KEPT_BODY_BYTES = 64 * 1024
Kind = Literal["contract", "exhausted"]


class DeadLetters:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], gauge: Gauge | None = None) -> None:
        self.collection = db.dead_letters
        self.gauge = gauge

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("parked_at", DESCENDING)])

    async def park(
        self, *, consumer: str, subject: str, stream: str, stream_seq: int, deliveries: int,
        kind: Kind, reason: str, headers: dict[str, str], body: bytes,
    ) -> None:
        """Idempotent per (stream, sequence, consumer): a repeat overwrites, never adds."""
        doc = {
            "consumer": consumer, "subject": subject, "stream": stream,
            "stream_seq": stream_seq, "deliveries": deliveries, "kind": kind,
            "reason": reason[:2000], "headers": headers,
            "body": body[:KEPT_BODY_BYTES], "body_size": len(body),
            "parked_at": datetime.now(UTC),
        }
        key = f"{stream}:{stream_seq}:{consumer}"
        await self.collection.replace_one({"_id": key}, doc, upsert=True)
        if self.gauge is not None:
            self.gauge.set(await self.count())

    async def list(self, limit: int = 100) -> list[dict[str, Any]]:
        cursor = self.collection.find({}, {"body": 0}).sort("parked_at", DESCENDING)
        return await cursor.limit(limit).to_list()

    async def count(self) -> int:
        return await self.collection.count_documents({})
