"""The floor: the same durable work as liandong's hop, with no framework.

Producers write state + outbox in one transaction; a relay publishes the outbox with the
event id as `Nats-Msg-Id`, many acks in flight, and marks it published; a durable pull
consumer writes inbox + state in one transaction per event and acks after the commit.
PyMongo's async API and nats-py only.
"""

import asyncio
import json
import time
import uuid
from typing import Any

import nats
from pymongo import AsyncMongoClient

RELAY_BATCH = 256


async def run(nats_url: str, mongo_url: str, events: int, clients: int) -> float:
    """Seconds from the first commit to the last event applied at the consumer."""
    tag = uuid.uuid4().hex[:8]
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    subject = f"minimal.{tag}.finding_recorded"
    await js.add_stream(name=f"MINIMAL_{tag}", subjects=[subject])
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, w="majority")
    source, sink = mongo[f"minimal_src_{tag}"], mongo[f"minimal_dst_{tag}"]
    await source.outbox.create_index("published")
    poke, applied = asyncio.Event(), asyncio.Event()
    started = time.perf_counter()
    tasks = [asyncio.create_task(relay(js, source, subject, poke)),
             asyncio.create_task(consume(js, mongo, sink, subject, events, applied))]
    await asyncio.gather(*(produce(mongo, source, events // clients, poke)
                           for _ in range(clients)))
    await applied.wait()
    elapsed = time.perf_counter() - started
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await nc.close()
    await mongo.close()
    return elapsed


async def produce(mongo: AsyncMongoClient[dict[str, Any]], db: Any, count: int,
                  poke: asyncio.Event) -> None:
    for _ in range(count):
        case_id, event_id = uuid.uuid4().hex, str(uuid.uuid4())

        async def work(session: Any, case_id: str = case_id, event_id: str = event_id) -> None:
            await db.cases.insert_one({"_id": case_id, "status": "found", "version": 1},
                                      session=session)
            body = json.dumps({"event_id": event_id, "case_id": case_id}).encode()
            await db.outbox.insert_one({"_id": event_id, "body": body, "published": False},
                                       session=session)

        async with mongo.start_session() as session:
            await session.with_transaction(work)
        poke.set()


async def relay(js: Any, db: Any, subject: str, poke: asyncio.Event) -> None:
    while True:
        batch = await db.outbox.find({"published": False}).sort("_id").limit(
            RELAY_BATCH).to_list()
        if not batch:
            poke.clear()
            try:
                await asyncio.wait_for(poke.wait(), 0.2)
            except TimeoutError:
                pass
            continue
        await asyncio.gather(*(js.publish(subject, doc["body"],
                                          headers={"Nats-Msg-Id": doc["_id"]})
                               for doc in batch))
        await db.outbox.update_many({"_id": {"$in": [d["_id"] for d in batch]}},
                                    {"$set": {"published": True}})


async def consume(js: Any, mongo: AsyncMongoClient[dict[str, Any]], db: Any, subject: str,
                  events: int, applied: asyncio.Event) -> None:
    subscription = await js.pull_subscribe(subject, durable="minimal")
    done = 0
    while done < events:
        try:
            messages = await subscription.fetch(64, timeout=1)
        except TimeoutError:
            continue
        await asyncio.gather(*(apply(mongo, db, message) for message in messages))
        done += len(messages)
    applied.set()


async def apply(mongo: AsyncMongoClient[dict[str, Any]], db: Any, message: Any) -> None:
    event = json.loads(message.data)

    async def work(session: Any) -> None:
        await db.inbox.insert_one({"_id": event["event_id"]}, session=session)
        await db.deadlines.insert_one({"_id": event["case_id"], "state": "open"},
                                      session=session)

    async with mongo.start_session() as session:
        await session.with_transaction(work)
    await message.ack()
