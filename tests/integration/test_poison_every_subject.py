"""Poison on every subject a service subscribes to (invalid JSON, wrong schema version,
missing fields, oversized, invalid UTF-8, another event's body): refused on first
delivery, parked with its stream sequence and reason, counted; no redelivery; the
service stays ready and its state does not change.

The subjects come from the AsyncAPI documents (docs/asyncapi/*.json), checked against the
durable consumers the running apps declare. The four consuming apps run in-process on
the session's database and a NATS server of their own, so the poison stays out of the
session's streams (a durable consumer created later would read it).
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from nats.errors import MaxPayloadError

from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import MAX_EVENT_BYTES, encode
from liandong_contracts.envelope import Event
from liandong_contracts.registry import model_for
from liandong_contracts.samples import sample_of
from liandong_runtime.embedded import EmbeddedNats, free_port
from liandong_runtime.metrics import durables
from liandong_runtime.settings import REPO_ROOT, MongoSettings, NatsSettings
from liandong_runtime.streams import stream_for_subject
from tests.support import acting

ASYNCAPI = REPO_ROOT / "docs" / "asyncapi"
ACK_WAIT_S = 2.0


def subscriptions() -> dict[str, dict[str, str]]:
    """service -> {durable: subject}, from each service's AsyncAPI document."""
    found: dict[str, dict[str, str]] = {}
    for document in sorted(ASYNCAPI.glob("*.json")):
        spec = json.loads(document.read_text())
        for name, operation in spec.get("operations", {}).items():
            if operation["action"] == "receive":
                channel = spec["channels"][operation["channel"]["$ref"].split("/")[-1]]
                found.setdefault(document.stem, {})[name.split(":")[0]] = channel["address"]
    return found


SUBSCRIBED = subscriptions()
SUBJECTS = sorted({s for durables_ in SUBSCRIBED.values() for s in durables_.values()})


def fresh(model: type[Event]) -> tuple[dict[str, Any], dict[str, str]]:
    """The sample event under a new id (so JetStream does not de-duplicate it)."""
    body, headers = encode(sample_of(model).model_copy(update={"event_id": uuid.uuid4()}))
    return json.loads(body), headers


def without_a_field(model: type[Event]) -> tuple[bytes, dict[str, str]]:
    data, headers = fresh(model)
    own = [name for name, f in model.model_fields.items()
           if f.is_required() and name not in Event.model_fields]
    del data[(own or ["occurred_at"])[0]]
    return json.dumps(data).encode(), headers


def wrong_version(model: type[Event]) -> tuple[bytes, dict[str, str]]:
    data, headers = fresh(model)
    return json.dumps({**data, "schema_version": 7}).encode(), headers


def oversized(model: type[Event]) -> tuple[bytes, dict[str, str]]:
    data, headers = fresh(model)
    return json.dumps({**data, "padding": "x" * MAX_EVENT_BYTES}).encode(), headers


def another_event(model: type[Event]) -> tuple[bytes, dict[str, str]]:
    """A valid event, but not the one the subject carries."""
    other = next(m for m in (ref.CaseClosed, ref.CaseTransferAccepted) if m is not model)
    body, headers = encode(sample_of(other).model_copy(update={"event_id": uuid.uuid4()}))
    return body, headers


def bare(body: bytes) -> Callable[[type[Event]], tuple[bytes, dict[str, str]]]:
    return lambda _: (body, {"Nats-Msg-Id": str(uuid.uuid4())})


# kind -> (message for a subject's model, a word the parked reason must contain)
POISONS: dict[str, tuple[Callable[[type[Event]], tuple[bytes, dict[str, str]]], str]] = {
    "invalid_json": (bare(b'{"event_id": "x", "type": '), "json"),
    "wrong_version": (wrong_version, "schema_version"),
    "missing_fields": (without_a_field, "required"),
    "oversized": (oversized, "over the limit"),
    "invalid_utf8": (bare(b'{"type": "\xff\xfe\xfd"}'), "utf"),
    "another_event": (another_event, "published on"),
}


@dataclass
class Poisoned:
    apps: dict[str, Any]
    clients: dict[str, httpx.AsyncClient]
    nats_url: str
    seq: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, subject) -> seq
    before: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    waited_s: float = 0.0

    def runtime(self, service: str) -> Any:
        return self.apps[service].state.runtime


async def state_of(rt: Any) -> dict[str, list[Any]]:
    """Every collection but the dead letters, in full (the apps are fresh: it is small)."""
    names = sorted(n for n in await rt.store.db.list_collection_names() if n != "dead_letters")
    return {n: await rt.store.db[n].find().sort("_id").to_list() for n in names}


async def start_apps(stack: AsyncExitStack, nats_url: str, mongo_url: str) -> Poisoned:
    run, apps, clients = uuid.uuid4().hex[:8], {}, {}
    for name in SUBSCRIBED:
        bootstrap = import_module(f"{name}.bootstrap")
        settings_class = next(v for k, v in vars(bootstrap).items()
                              if k.endswith("Settings") and k != "ServiceSettings")
        apps[name] = app = bootstrap.build_app(settings_class(
            nats=NatsSettings(url=nats_url, ack_wait_s=ACK_WAIT_S),
            mongodb=MongoSettings(url=mongo_url, database=f"liandong_poison_{name}_{run}"),
            outbox_poll_s=0.05))
        await stack.enter_async_context(app.router.lifespan_context(app))
        clients[name] = await stack.enter_async_context(httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"))
    return Poisoned(apps, clients, nats_url)


@pytest.fixture(scope="module")
async def poisoned(servers: dict[str, str]) -> AsyncIterator[Poisoned]:
    root = Path(servers["root"]) / f"poison-{uuid.uuid4().hex[:6]}"
    broker = EmbeddedNats("nats-poison", free_port(), root / "nats").start()
    try:
        async with AsyncExitStack() as stack:
            result = await start_apps(stack, broker.url, servers["MONGODB_URL"])
            await publish_every_poison(result)
            yield result
    finally:
        broker.stop()


async def publish_every_poison(poisoned: Poisoned) -> None:
    for service in SUBSCRIBED:
        poisoned.before[service] = await state_of(poisoned.runtime(service))
    started = asyncio.get_running_loop().time()
    async with await nats.connect(poisoned.nats_url, max_reconnect_attempts=1) as nc:
        js = nc.jetstream()
        for kind, (make, _) in POISONS.items():
            for subject in SUBJECTS:
                body, headers = make(model_for(subject))
                ack = await js.publish(subject, body, headers=headers)
                poisoned.seq[(kind, subject)] = ack.seq
    expected = sum(len(mine) for mine in SUBSCRIBED.values()) * len(POISONS)
    while (parked := await count_parked(poisoned)) < expected:
        waited = asyncio.get_running_loop().time() - started
        assert waited < 60, f"{parked} of {expected} poison deliveries parked after 60 s"
        await asyncio.sleep(0.1)
    poisoned.waited_s = asyncio.get_running_loop().time() - started
    print(f"poison: {len(POISONS)} kinds x {len(SUBJECTS)} subjects = {len(poisoned.seq)} "
          f"messages, {expected} parked by {sum(map(len, SUBSCRIBED.values()))} durable "
          f"consumers {poisoned.waited_s:.1f} s after the first publish")
    await asyncio.sleep(ACK_WAIT_S * 2)  # a redelivery, if any, would come in this time


async def count_parked(poisoned: Poisoned) -> int:
    return sum([await poisoned.runtime(s).dead_letters.count() for s in SUBSCRIBED])


def test_the_documents_name_the_consumers_the_apps_declare(poisoned: Poisoned) -> None:
    for service, mine in SUBSCRIBED.items():
        declared = durables(poisoned.runtime(service).broker)
        assert declared == {d: stream_for_subject(s) for d, s in mine.items()}, service


@pytest.mark.parametrize("kind", POISONS)
async def test_each_poison_is_parked_on_first_delivery_with_sequence_and_reason(
        poisoned: Poisoned, kind: str) -> None:
    word = POISONS[kind][1]
    for service, mine in SUBSCRIBED.items():
        store = poisoned.runtime(service).dead_letters.collection
        for durable, subject in mine.items():
            stream, seq = stream_for_subject(subject), poisoned.seq[(kind, subject)]
            parked = await store.find_one({"_id": f"{stream}:{seq}:{durable}"})
            assert parked is not None, f"{service}/{durable}: {kind} on {subject} not parked"
            assert (parked["kind"], parked["deliveries"]) == ("contract", 1), parked
            assert (parked["subject"], parked["stream_seq"]) == (subject, seq)
            assert word in parked["reason"].lower(), f"{kind}: {parked['reason']!r}"
    print(f"{kind}: {parked['reason'][:150]}")


async def test_no_poison_is_delivered_again(poisoned: Poisoned) -> None:
    for service, mine in SUBSCRIBED.items():
        rt = poisoned.runtime(service)
        js = rt.broker.config.connection_state.stream
        for durable, subject in mine.items():
            info = await js.consumer_info(stream_for_subject(subject), durable)
            assert (info.num_redelivered, info.num_ack_pending) == (0, 0), (durable, info)
            assert rt.registry.get_sample_value(
                "liandong_messages_redelivered_total", {"subject": subject}) is None
        assert all(d["deliveries"] == 1 for d in await rt.dead_letters.list(1000))


async def test_each_rejection_is_counted_by_subject(poisoned: Poisoned) -> None:
    for service, mine in SUBSCRIBED.items():
        registry = poisoned.runtime(service).registry
        for subject in set(mine.values()):
            consumers = list(mine.values()).count(subject)
            counted = registry.get_sample_value(
                "liandong_messages_rejected_total", {"subject": subject, "kind": "contract"})
            assert counted == consumers * len(POISONS), (service, subject, counted)


async def test_the_services_stay_ready_and_list_the_dead_letters(poisoned: Poisoned) -> None:
    for service, client in poisoned.clients.items():
        ready = await client.get("/readyz")
        assert ready.status_code == 200, (service, ready.text)
        listed = (await client.get("/dead-letters", params={"limit": 1000},
                                   headers=acting("district-gov"))).json()
        assert len(listed) == len(SUBSCRIBED[service]) * len(POISONS)


async def test_nothing_changed(poisoned: Poisoned) -> None:
    for service in SUBSCRIBED:
        assert await state_of(poisoned.runtime(service)) == poisoned.before[service], service


async def test_a_payload_over_the_broker_limit_never_reaches_a_consumer(
        poisoned: Poisoned) -> None:
    """Between MAX_EVENT_BYTES (256 KiB) and the server's max_payload (1 MiB) a message is
    the consumers' to refuse (above); over max_payload the client refuses to send it."""
    async with await nats.connect(poisoned.nats_url) as nc:
        limit = nc.max_payload
        with pytest.raises(MaxPayloadError):
            await nc.jetstream().publish(SUBJECTS[0], b"x" * (limit + 1))
    assert limit > MAX_EVENT_BYTES
