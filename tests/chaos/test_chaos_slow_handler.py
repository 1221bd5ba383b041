"""Case 6: a handler slower than the ack wait has its effect once.

Two replicas of a runtime in this process, on servers of their own, share a durable
consumer with a 1-s ack wait; the handler sleeps 2 s inside its transaction. A replica
works through its batch one message at a time, so the broker hands each expired message
to the other replica while the first delivery's transaction is still open: the inbox
(unique, written first in the same transaction) lets one of them commit.
"""

import asyncio
from collections import Counter

import pytest

from liandong_contracts import referral_v1 as ref
from liandong_runtime.consuming import subscriber
from liandong_runtime.runtime import Runtime, build_runtime
from liandong_runtime.settings import MongoSettings, NatsSettings, ServiceSettings
from liandong_runtime.storage import Tx
from tests.chaos.checker import Verdict
from tests.chaos.workload import finding, publish

pytestmark = pytest.mark.chaos
CONSUMER = "chaos-slow"


def replica(nats_url: str, mongo_url: str, calls: Counter[str]) -> Runtime:
    rt = build_runtime(ServiceSettings(
        service="slow", nats=NatsSettings(url=nats_url, ack_wait_s=1, max_deliver=8),
        mongodb=MongoSettings(url=mongo_url, database="liandong_slow")))

    @subscriber(rt.broker, ref.FindingRecorded, consumer=CONSUMER, settings=rt.settings.nats)
    async def apply(event: ref.FindingRecorded) -> None:
        calls[event.case_id] += 1

        async def work(tx: Tx) -> None:
            await tx.db.effects.update_one({"_id": event.case_id}, {"$inc": {"n": 1}},
                                           upsert=True, session=tx.session)
            await asyncio.sleep(2)  # slower than the ack wait, inside the transaction

        await rt.store.transaction(work, consumed=(CONSUMER, str(event.event_id)))

    return rt


async def test_a_handler_slower_than_the_ack_wait_applies_once(chaos, report) -> None:
    cluster = chaos()
    calls: Counter[str] = Counter()
    replicas = [replica(cluster.nats.url, cluster.mongo.url, calls) for _ in range(2)]
    for rt in replicas:
        await rt.start()
    try:
        events = [finding() for _ in range(4)]
        acks = await publish(cluster.nats.url, events)
        await _until_applied(replicas[0], [e.case_id for e in events], timeout=40)
        await asyncio.sleep(2.5)  # the last redeliveries arrive and change nothing
        effects = {d["_id"]: d["n"] async for d in replicas[0].store.db.effects.find({})}
        redelivered = sum(rt.registry.get_sample_value(
            "liandong_messages_redelivered_total", {"subject": ref.FindingRecorded.subject()})
            or 0 for rt in replicas)
    finally:
        for rt in replicas:
            await rt.stop()
    verdict = Verdict(sent=len(events), acknowledged=sum(a is not None for a in acks))
    for e in events:
        n = effects.get(e.case_id, 0)
        verdict.applied += n >= 1
        (verdict.duplicated if n > 1 else verdict.lost if n == 0 else []).append(e.case_id)
    assert not verdict.lost and not verdict.duplicated, verdict.explain()
    assert sum(calls.values()) > len(events), f"no redelivery happened: {dict(calls)}"
    report("6 handler 2 s > ack wait 1 s, 2 replicas", verdict, int(redelivered or 0),
           f"handler ran {sum(calls.values())} times for {len(events)} events")


async def _until_applied(rt: Runtime, case_ids: list[str], timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await rt.store.db.effects.count_documents({"_id": {"$in": case_ids}}) < len(case_ids):
        assert loop.time() < deadline, f"not every event applied within {timeout} s"
        await asyncio.sleep(0.1)
