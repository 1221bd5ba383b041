"""Outbox, inbox and the reliable consumer against the real NATS server and database."""

import asyncio
import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime

import nats

from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.consuming import subscriber
from liandong_runtime.runtime import Runtime
from liandong_runtime.storage import Tx
from tests.support import eventually

TOWN = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇")


def crime(case_id: str) -> ref.CrimeSuspected:
    return ref.CrimeSuspected(occurred_at=datetime.now(UTC), actor=TOWN, correlation_id=case_id,
                              case_id=case_id, grounds="涉嫌犯罪")


def counting_consumer(rt: Runtime, fail_first: int = 0) -> dict[str, int]:
    """A consumer that counts applied effects in the database, the inbox guarding it.

    Its durable consumer is new, so it also reads earlier tests' events: calls are
    counted per case.
    """
    calls: dict[str, int] = defaultdict(int)
    consumer = f"test-{uuid.uuid4().hex[:8]}"

    @subscriber(rt.broker, ref.CrimeSuspected, consumer=consumer, settings=rt.settings.nats)
    async def apply(event: ref.CrimeSuspected) -> None:
        calls[event.case_id] += 1
        if calls[event.case_id] <= fail_first:
            raise ConnectionError("database briefly away")

        async def work(tx: Tx) -> None:
            await tx.db.effects.update_one({"_id": event.case_id}, {"$inc": {"n": 1}},
                                           upsert=True, session=tx.session)

        await rt.store.transaction(work, consumed=(consumer, str(event.event_id)))

    return calls


async def effects(rt: Runtime, case_id: str) -> int:
    doc = await rt.store.db.effects.find_one({"_id": case_id})
    return doc["n"] if doc else 0


async def test_an_event_committed_in_a_transaction_is_published_and_applied_once(
        runtime: Runtime) -> None:
    counting_consumer(runtime)
    await runtime.start()
    case_id = f"case-{uuid.uuid4().hex[:8]}"
    event = crime(case_id)

    async def change(tx: Tx) -> None:
        tx.emit(event)

    await runtime.store.transaction(change)
    await eventually(lambda: _equals(effects(runtime, case_id), 1))
    # the same event id published again (a relay resend) changes nothing
    body, headers = encode(event)
    await runtime.broker.publish(body, event.subject(), headers=headers, stream="LIANDONG_REFERRAL")
    async with await nats.connect(runtime.settings.nats.url) as nc:
        headers_new_id = {**headers, "Nats-Msg-Id": str(uuid.uuid4())}
        await nc.jetstream().publish(event.subject(), body, headers=headers_new_id)
    await asyncio.sleep(1.0)
    assert await effects(runtime, case_id) == 1
    assert await runtime.store.db.outbox.count_documents({"pending_since": {"$exists": True}}) == 0


async def test_a_transient_failure_is_retried_until_it_succeeds(runtime: Runtime) -> None:
    calls = counting_consumer(runtime, fail_first=1)
    await runtime.start()
    case_id = f"case-{uuid.uuid4().hex[:8]}"
    body, headers = encode(crime(case_id))
    await runtime.broker.publish(body, ref.CrimeSuspected.subject(), headers=headers,
                                 stream="LIANDONG_REFERRAL")
    await eventually(lambda: _equals(effects(runtime, case_id), 1))
    assert calls[case_id] == 2 and await runtime.dead_letters.count() == 0


async def test_a_poison_message_is_parked_on_first_delivery_and_not_redelivered(
        runtime: Runtime) -> None:
    counting_consumer(runtime)
    await runtime.start()
    poison = json.dumps({"type": "CrimeSuspected", "schema_version": 99}).encode()
    await runtime.broker.publish(poison, ref.CrimeSuspected.subject(), stream="LIANDONG_REFERRAL")
    await runtime.broker.publish(b"\xff\xfe not json", ref.CrimeSuspected.subject(),
                                 stream="LIANDONG_REFERRAL")
    await eventually(lambda: _at_least(runtime.dead_letters.count(), 2))
    await asyncio.sleep(2.5)  # longer than the ack wait: nothing comes back
    parked = await runtime.dead_letters.list()
    assert len(parked) == 2 and {p["kind"] for p in parked} == {"contract"}
    assert all(p["deliveries"] == 1 and p["stream_seq"] > 0 for p in parked)
    assert any("schema_version" in p["reason"] for p in parked)


async def test_a_message_that_keeps_failing_is_parked_after_max_deliveries(
        runtime: Runtime) -> None:
    calls = counting_consumer(runtime, fail_first=100)
    await runtime.start()
    case_id = f"case-{uuid.uuid4().hex[:8]}"
    body, headers = encode(crime(case_id))
    await runtime.broker.publish(body, ref.CrimeSuspected.subject(), headers=headers,
                                 stream="LIANDONG_REFERRAL")
    mine = {"kind": "exhausted", "headers.ce-subject": case_id}
    await eventually(lambda: _at_least(runtime.dead_letters.collection.count_documents(mine), 1),
                     timeout=20)
    [parked] = await runtime.dead_letters.collection.find(mine).to_list()
    assert parked["kind"] == "exhausted" and parked["deliveries"] == 3
    assert "database briefly away" in parked["reason"] and calls[case_id] == 3


async def _equals(value, expected: int) -> bool:
    return await value == expected


async def _at_least(value, expected: int) -> bool:
    return await value >= expected
