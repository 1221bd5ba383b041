"""A message that keeps failing for a transient reason ends in the dead-letter store after
the maximum deliveries, never in an endless loop; and one JetStream gives up on without
the service parking it (the process died on its last delivery) is parked from the
max-deliveries advisory, with its stream sequence and the original message.

On a NATS server of their own: the messages left unsettled here would otherwise sit in
the session's streams.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig
from prometheus_client import CollectorRegistry, Counter
from pymongo.errors import AutoReconnect

from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.envelope import Event
from liandong_contracts.samples import sample_of
from liandong_runtime.deadletters import park_exhausted
from liandong_runtime.embedded import EmbeddedNats, free_port
from liandong_runtime.metrics import register_durable
from liandong_runtime.runtime import Runtime, build_runtime
from liandong_runtime.settings import MongoSettings, NatsSettings, ServiceSettings
from liandong_runtime.streams import stream_name
from sharing.bootstrap import SharingSettings, build_app
from tests.support import eventually

MAX_DELIVER = 3


@pytest.fixture(scope="module")
def own_nats(servers: dict[str, str]) -> Iterator[str]:
    root = Path(servers["root"]) / f"maxdeliver-{uuid.uuid4().hex[:6]}"
    server = EmbeddedNats("nats-maxdeliver", free_port(), root / "nats").start()
    yield server.url
    server.stop()


def nats_settings(url: str) -> NatsSettings:
    return NatsSettings(url=url, ack_wait_s=1, max_deliver=MAX_DELIVER)


def fresh(model: type[Event]) -> Event:
    return sample_of(model).model_copy(update={"event_id": uuid.uuid4()})


async def publish(url: str, event: Event) -> int:
    body, headers = encode(event)
    async with await nats.connect(url) as nc:
        return (await nc.jetstream().publish(event.subject(), body, headers=headers)).seq


async def test_a_transient_failure_that_never_ends_is_parked_after_max_deliveries(
        own_nats: str, mongo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sharing service's database keeps failing for one event: NATS_MAX_DELIVER tries
    with back-off, then the dead-letter store; the service stays ready."""
    app = build_app(SharingSettings(
        nats=nats_settings(own_nats), outbox_poll_s=0.05,
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_md_{uuid.uuid4().hex[:8]}")))
    rt: Runtime = app.state.runtime
    event, started = fresh(cmp.ComplaintReceived), asyncio.get_running_loop().time()

    async def database_away(*args: Any, **kwargs: Any) -> Any:
        raise AutoReconnect("connection refused (injected)")

    monkeypatch.setattr(rt.store, "transaction", database_away)
    async with app.router.lifespan_context(app):
        seq = await publish(own_nats, event)
        key = f"{stream_name('complaint')}:{seq}:sharing-complaint-complaint-received"
        parked = await eventually(lambda: rt.dead_letters.collection.find_one({"_id": key}))
        took = asyncio.get_running_loop().time() - started
        await asyncio.sleep(2.5)  # longer than the ack wait: nothing comes back
        info = await rt.broker.config.connection_state.stream.consumer_info(
            stream_name("complaint"), "sharing-complaint-complaint-received")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://t") as client:
            ready = await client.get("/readyz")
    print(f"transient: parked after {parked['deliveries']} deliveries in {took:.1f} s")
    assert (parked["kind"], parked["deliveries"]) == ("exhausted", MAX_DELIVER)
    assert "AutoReconnect" in parked["reason"] and parked["stream_seq"] == seq
    assert (info.num_ack_pending, info.num_pending) == (0, 0)
    assert ready.status_code == 200, ready.text
    labels = {"subject": event.subject()}
    assert rt.registry.get_sample_value("liandong_messages_retried_total", labels) == \
        MAX_DELIVER - 1
    assert rt.registry.get_sample_value(
        "liandong_messages_rejected_total", {**labels, "kind": "exhausted"}) == 1


@pytest.fixture
async def service(own_nats: str, mongo_url: str) -> AsyncIterator[Runtime]:
    name = f"md{uuid.uuid4().hex[:8]}"
    rt = build_runtime(ServiceSettings(
        service=name, nats=nats_settings(own_nats),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_{name}")))
    yield rt
    await rt.stop()


async def zombie(url: str, durable: str, until: Callable[[], Awaitable[Any]]) -> int:
    """A consumer process that takes each delivery and dies before settling it: it pulls,
    never acknowledges, and pulls again after the ack wait, until JetStream gives up."""
    deliveries = 0
    async with await nats.connect(url) as nc:
        js = nc.jetstream()
        await js.add_consumer(stream_name("referral"), ConsumerConfig(
            durable_name=durable, ack_policy=AckPolicy.EXPLICIT, ack_wait=1,
            max_deliver=MAX_DELIVER + 1, filter_subject=ref.CrimeSuspected.subject()))
        pull = await js.pull_subscribe_bind(durable, stream_name("referral"))
        while not await until():
            try:
                deliveries += len(await pull.fetch(1, timeout=0.5))
            except nats.errors.TimeoutError:
                continue
    return deliveries


async def test_a_message_jetstream_gave_up_on_is_parked_from_the_advisory(
        service: Runtime, own_nats: str) -> None:
    durable = f"test-zombie-{uuid.uuid4().hex[:6]}"
    register_durable(service.broker, stream_name("referral"), durable)  # the service's own
    await service.start()
    event = fresh(ref.CrimeSuspected)
    seq = await publish(own_nats, event)
    key = f"{stream_name('referral')}:{seq}:{durable}"

    async def parked() -> Any:
        return await service.dead_letters.collection.find_one({"_id": key})

    deliveries = await asyncio.wait_for(zombie(own_nats, durable, parked), 30)
    record = await parked()
    print(f"advisory: parked after {deliveries} unsettled deliveries")
    assert deliveries == MAX_DELIVER + 1
    assert (record["kind"], record["deliveries"]) == ("max_deliveries", MAX_DELIVER + 1)
    assert (record["subject"], record["stream_seq"]) == (event.subject(), seq)
    assert record["body"] == encode(event)[0] and record["headers"]["ce-id"] == str(event.event_id)
    assert "max-deliveries advisory" in record["reason"]
    labels = {"subject": event.subject(), "kind": "max_deliveries"}

    async def counted() -> float | None:  # counted just after the record is written
        return service.registry.get_sample_value("liandong_messages_rejected_total", labels)

    assert await eventually(counted, timeout=5) == 1


async def test_the_advisory_never_overwrites_what_the_service_parked_itself(
        service: Runtime, own_nats: str) -> None:
    await service.start()
    seq = await publish(own_nats, fresh(ref.CrimeSuspected))
    stream, durable = stream_name("referral"), "test-parked-first"
    await service.dead_letters.park(
        consumer=durable, subject=ref.CrimeSuspected.subject(), stream=stream, stream_seq=seq,
        deliveries=MAX_DELIVER, kind="exhausted", reason="ConnectionError: database away",
        headers={}, body=b"{}")
    advisory = {"stream": stream, "consumer": durable, "stream_seq": seq,
                "deliveries": MAX_DELIVER + 1}
    js = service.broker.config.connection_state.stream
    rejected = Counter("rejected", "", ["subject", "kind"], registry=CollectorRegistry())
    await park_exhausted(advisory, js, service.dead_letters, rejected)
    [record] = await service.dead_letters.collection.find({"stream_seq": seq}).to_list()
    assert (record["kind"], record["reason"]) == ("exhausted", "ConnectionError: database away")
    assert not list(rejected.collect()[0].samples), "counted twice"
