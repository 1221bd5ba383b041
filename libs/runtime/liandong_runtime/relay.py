"""The outbox relay: publishes committed events to JetStream, oldest first.

Each event goes out with its id as `Nats-Msg-Id` and is marked published only after the
broker's acknowledgement, so a crash anywhere resends it on restart and the stream's
duplicate window (plus every consumer's inbox) absorbs the repeat. A batch goes out with
many acknowledgements in flight, but never two events of one aggregate (the CloudEvents
`subject`, its correlation id) at once: an aggregate's events reach the stream in commit
order even when a publish fails half-way through a batch.

Each event is then copied to the organisations it concerns (`addressing`): the same
body and headers on `liandong.to.<org>.…` in LIANDONG_ADDRESSED, `Nats-Msg-Id`
`<event id>.<org>`, after the event itself and before it is marked published, so a
crash in between resends both and the duplicate windows absorb what had arrived.
"""

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from faststream.nats import NatsBroker
from prometheus_client import CollectorRegistry, Gauge
from pydantic import ValidationError

from liandong_contracts.cloudevents import ContractViolation, from_message
from liandong_runtime import telemetry
from liandong_runtime.addressing import (
    ADDRESSED_STREAM,
    DEDUP_HEADER,
    addressed_subject,
    addressees,
    dedup_id,
)
from liandong_runtime.storage import Store, Tx
from liandong_runtime.streams import stream_for_subject

log = logging.getLogger("liandong.relay")
BATCH = 100


class OutboxRelay:
    def __init__(
        self, store: Store, broker: NatsBroker, registry: CollectorRegistry, poll_s: float
    ) -> None:
        self.store = store
        self.broker = broker
        self.poll_s = poll_s
        self.wakeup = asyncio.Event()
        self.backlog = Gauge(
            "liandong_outbox_backlog", "Events committed but not yet published",
            registry=registry,
        )
        self.oldest_age = Gauge(
            "liandong_outbox_oldest_age_seconds", "Age of the oldest unpublished event",
            registry=registry,
        )

    def poke(self, tx: Tx) -> None:
        """Called after each commit so fresh events leave without waiting for the poll."""
        if tx.emitted:
            self.wakeup.set()

    async def run(self) -> None:
        while True:
            try:
                more = await self.publish_pending()
            except Exception:
                log.exception("outbox relay failed; retrying")
                more = False
            if not more:
                await self._sleep()

    async def _sleep(self) -> None:
        try:
            await asyncio.wait_for(self.wakeup.wait(), self.poll_s)
        except TimeoutError:
            pass
        self.wakeup.clear()

    async def publish_pending(self) -> bool:
        """Publish one batch in commit order; True if more is waiting (a full batch, or
        events held back behind their aggregate's earlier one)."""
        outbox = self.store.db.outbox
        cursor = outbox.find({"pending_since": {"$exists": True}}).sort("pending_since", 1)
        docs = await cursor.limit(BATCH).to_list()
        await self._measure(docs)
        heads = first_of_each_aggregate(docs)
        outcomes = await asyncio.gather(*(self._publish(doc) for doc in heads),
                                        return_exceptions=True)
        acked = [doc["_id"] for doc, outcome in zip(heads, outcomes, strict=True)
                 if not isinstance(outcome, BaseException)]
        if acked:
            await outbox.update_many(
                {"_id": {"$in": acked}},
                {"$unset": {"pending_since": ""}, "$set": {"published_at": datetime.now(UTC)}},
            )
        failed = next((o for o in outcomes if isinstance(o, BaseException)), None)
        if failed is not None:
            raise failed
        return len(docs) == BATCH or len(heads) < len(docs)

    async def _publish(self, doc: dict[str, Any]) -> None:
        """In the trace the event was emitted in: the consumer continues that trace."""
        with telemetry.continued(doc.get("trace")):
            await self.broker.publish(
                doc["body"],
                doc["subject"],
                headers=doc["headers"],
                stream=stream_for_subject(doc["subject"]),
                timeout=5,
            )
            await asyncio.gather(*(self.broker.publish(  # one copy per addressee, at once
                doc["body"],
                addressed_subject(org_id, doc["subject"]),
                headers={**doc["headers"], DEDUP_HEADER: dedup_id(doc["_id"], org_id)},
                stream=ADDRESSED_STREAM,
                timeout=5,
            ) for org_id in addressees_of(doc)))

    async def _measure(self, docs: list[dict[str, Any]]) -> None:
        if len(docs) < BATCH:
            self.backlog.set(len(docs))
        else:
            count = await self.store.db.outbox.count_documents(
                {"pending_since": {"$exists": True}}
            )
            self.backlog.set(count)
        oldest = docs[0]["pending_since"] if docs else None
        self.oldest_age.set((datetime.now(UTC) - oldest).total_seconds() if oldest else 0)


def addressees_of(doc: dict[str, Any]) -> list[str]:
    """The organisations an outbox event concerns, read off the event itself; none for
    what is not a contract's event (it still goes to its stream, where consumers park it:
    holding it back here would stop its aggregate's later events too)."""
    try:
        event = from_message(doc["headers"], doc["body"])
    except (ContractViolation, ValidationError, UnicodeDecodeError) as exc:
        log.error("event %s addressed to nobody: %s", doc["_id"], exc)
        return []
    return addressees(event)


def first_of_each_aggregate(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The oldest pending event of each aggregate in the batch, in commit order."""
    seen: set[str] = set()
    heads = []
    for doc in docs:
        key = doc["headers"].get("ce-subject") or doc["_id"]
        if key not in seen:
            seen.add(key)
            heads.append(doc)
    return heads
