"""The dead-letter store: messages refused on purpose, kept where an operator finds them.

A message that violates its contract is parked on first delivery; one that keeps
failing for a transient reason is parked after the consumer's maximum deliveries.
Either way it is terminated on the broker, so it never loops.

A message JetStream gave up on without the service parking it (the process died on its
last delivery) is parked too: `watch_max_deliveries` listens to JetStream's
max-deliveries advisory of each durable consumer and fetches the message by its stream
sequence. The advisory is core NATS (at most once): a service that is down when it is
sent misses it; the consumer's own maximum is one above `NATS_MAX_DELIVER`, so the
middleware has a last chance to park it first.
"""

import asyncio
import contextlib
import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError
from prometheus_client import Counter, Gauge
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

log = logging.getLogger("liandong.deadletters")
KEPT_BODY_BYTES = 64 * 1024
ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES"
Kind = Literal["contract", "exhausted", "max_deliveries"]


class DeadLetters:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], gauge: Gauge | None = None) -> None:
        self.collection = db.dead_letters
        self.gauge = gauge

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("parked_at", DESCENDING)])

    async def park(
        self, *, consumer: str, subject: str, stream: str, stream_seq: int, deliveries: int,
        kind: Kind, reason: str, headers: dict[str, str], body: bytes, keep_first: bool = False,
    ) -> bool:
        """Idempotent per (stream, sequence, consumer): a repeat overwrites, never adds;
        with `keep_first`, an existing record (with its richer reason) stays as it is.
        True when the record is new."""
        doc = {
            "consumer": consumer, "subject": subject, "stream": stream,
            "stream_seq": stream_seq, "deliveries": deliveries, "kind": kind,
            "reason": reason[:2000], "headers": headers,
            "body": body[:KEPT_BODY_BYTES], "body_size": len(body),
            "parked_at": datetime.now(UTC),
        }
        key = f"{stream}:{stream_seq}:{consumer}"
        if keep_first:
            written = await self.collection.update_one(
                {"_id": key}, {"$setOnInsert": doc}, upsert=True)
        else:
            written = await self.collection.replace_one({"_id": key}, doc, upsert=True)
        if self.gauge is not None:
            self.gauge.set(await self.count())
        return written.upserted_id is not None

    async def list(self, limit: int = 100) -> list[dict[str, Any]]:
        cursor = self.collection.find({}, {"body": 0}).sort("parked_at", DESCENDING)
        return await cursor.limit(limit).to_list()

    async def count(self) -> int:
        return await self.collection.count_documents({})


async def watch_max_deliveries(
    nc: Client, js: Any, durables: dict[str, str], dead_letters: DeadLetters, rejected: Counter,
) -> None:
    """Park every message JetStream stops delivering to one of `durables` (name -> stream)."""

    async def on_advisory(msg: Msg) -> None:
        try:
            await park_exhausted(json.loads(msg.data), js, dead_letters, rejected)
        except Exception:
            log.exception("max-deliveries advisory not recorded: %r", msg.data[:500])

    subscriptions = [await nc.subscribe(f"{ADVISORY}.{stream}.{durable}", cb=on_advisory)
                     for durable, stream in durables.items()]
    try:
        await asyncio.Event().wait()
    finally:
        for subscription in subscriptions:
            with contextlib.suppress(Exception):  # the connection may be closing already
                await subscription.unsubscribe()


async def park_exhausted(
    advisory: dict[str, Any], js: Any, dead_letters: DeadLetters, rejected: Counter,
) -> None:
    stream, seq = advisory["stream"], int(advisory["stream_seq"])
    try:
        original = await js.get_msg(stream, seq)
        subject, headers, body = original.subject, dict(original.headers or {}), original.data
    except NotFoundError:  # gone from the stream (limits, purge): the record says so
        subject, headers, body = "", {}, b""
    deliveries = int(advisory.get("deliveries", 0))
    new = await dead_letters.park(
        consumer=advisory["consumer"], subject=subject, stream=stream, stream_seq=seq,
        deliveries=deliveries, kind="max_deliveries", keep_first=True, headers=headers,
        body=body or b"", reason=f"JetStream stopped after {deliveries} deliveries, none "
        "settled (max-deliveries advisory)" + ("" if subject else "; message no longer "
                                                "in the stream"))
    if new:  # else the service parked it itself, and counted it then
        log.error("dead-lettered %s seq %s after %s deliveries (advisory)", stream, seq,
                  deliveries)
        rejected.labels(subject or stream, "max_deliveries").inc()
