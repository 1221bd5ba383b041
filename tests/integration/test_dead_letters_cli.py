"""The operator's `liandong-dead-letters`, run as a program against the session's database:
list, show, replay (the event id kept, so the inbox guards a second replay) and purge.

On a NATS server of its own, with a 3-second duplicate window, so a replay inside and one
after the window both happen within the test.
"""

import asyncio
import json
import os
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.samples import sample_of
from liandong_runtime.consuming import subscriber
from liandong_runtime.embedded import EmbeddedNats, executable, free_port
from liandong_runtime.runtime import Runtime, build_runtime
from liandong_runtime.settings import MongoSettings, NatsSettings, ServiceSettings
from liandong_runtime.storage import Tx

WINDOW_S = 3.0
CONSUMER = "cli-test-crime"


@pytest.fixture(scope="module")
def own_nats(servers: dict[str, str]) -> Iterator[str]:
    root = Path(servers["root"]) / f"cli-{uuid.uuid4().hex[:6]}"
    server = EmbeddedNats("nats-cli", free_port(), root / "nats").start()
    yield server.url
    server.stop()


@pytest.fixture
async def service(own_nats: str, mongo_url: str) -> AsyncIterator[Runtime]:
    name = f"cli{uuid.uuid4().hex[:8]}"
    rt = build_runtime(ServiceSettings(
        service=name, mongodb=MongoSettings(url=mongo_url, database=f"liandong_{name}"),
        nats=NatsSettings(url=own_nats, ack_wait_s=1, max_deliver=2,
                          duplicate_window_s=WINDOW_S)))
    yield rt
    await rt.stop()


def cli(rt: Runtime, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MONGODB_DATABASE"}
    env.update(MONGODB_URL=rt.settings.mongodb.url, NATS_URL=rt.settings.nats.url)
    return subprocess.run([executable("liandong-dead-letters"), *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def with_database(rt: Runtime, *args: str) -> subprocess.CompletedProcess[str]:
    return cli(rt, *args, "--database", rt.settings.database)


def failing_until_fixed(rt: Runtime) -> dict[str, bool]:
    """A consumer whose database is away until the test says it is back."""
    broken = {"database": True}

    @subscriber(rt.broker, ref.CrimeSuspected, consumer=CONSUMER, settings=rt.settings.nats)
    async def apply(event: ref.CrimeSuspected) -> None:
        if broken["database"]:
            raise ConnectionError("database away")

        async def work(tx: Tx) -> None:
            await tx.db.effects.update_one({"_id": event.case_id}, {"$inc": {"n": 1}},
                                           upsert=True, session=tx.session)

        await rt.store.transaction(work, consumed=(CONSUMER, str(event.event_id)))

    return broken


async def until(check, timeout: float = 30):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (found := await check()):
        assert loop.time() < deadline, f"not within {timeout} s"
        await asyncio.sleep(0.1)
    return found


async def test_an_operator_lists_shows_replays_and_purges_a_dead_letter(
        service: Runtime) -> None:
    broken = failing_until_fixed(service)
    await service.start()
    event = sample_of(ref.CrimeSuspected).model_copy(update={"event_id": uuid.uuid4()})
    body, headers = encode(event)
    loop = asyncio.get_running_loop()
    published_at = loop.time()
    await service.broker.publish(body, event.subject(), headers=headers,
                                 stream="LIANDONG_REFERRAL")
    # the consumer fails twice (NATS_MAX_DELIVER=2): the message is parked
    [parked] = await until(lambda: service.dead_letters.list())
    dead_id = parked["_id"]

    listed = with_database(service, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["_id"] for line in listed.stdout.splitlines()] == [dead_id]
    table = cli(service, "list", "--service", service.settings.service, "--limit", "5")
    assert dead_id in table.stdout and "exhausted" in table.stdout, table
    shown = with_database(service, "show", dead_id)
    assert json.loads(shown.stdout)["body"] == body.decode(), shown.stderr

    # the database is back; the duplicate window of the original publish has passed
    broken["database"] = False
    await asyncio.sleep(max(0.0, published_at + WINDOW_S + 0.5 - loop.time()))
    replayed = with_database(service, "replay", dead_id)
    assert replayed.returncode == 0, replayed.stderr
    await until(lambda: service.store.db.effects.find_one({"_id": event.case_id}))

    # a second replay at once: JetStream drops it (same Nats-Msg-Id, within the window)
    again = with_database(service, "replay", dead_id)
    assert again.returncode == 3 and "duplicate" in again.stderr, again
    # after the window it goes through, and the inbox (same event id) changes nothing
    await asyncio.sleep(WINDOW_S + 0.5)
    assert with_database(service, "replay", dead_id).returncode == 0
    duplicates = {"subject": event.subject()}
    await until(lambda: _positive(service.registry.get_sample_value(
        "liandong_messages_duplicate_total", duplicates)))
    effect = await service.store.db.effects.find_one({"_id": event.case_id})
    assert effect["n"] == 1
    record = await service.dead_letters.collection.find_one({"_id": dead_id})
    assert len(record["replays"]) == 2

    purged = with_database(service, "purge", dead_id)
    assert purged.returncode == 0 and await service.dead_letters.count() == 0, purged
    assert with_database(service, "purge", dead_id).returncode == 1
    assert with_database(service, "show", dead_id).returncode == 1


async def test_the_command_asks_which_database_when_it_cannot_tell(service: Runtime) -> None:
    answer = cli(service, "list")
    assert answer.returncode == 1 and "--service" in answer.stderr, answer


async def _positive(value: float | None) -> bool:
    return bool(value)
