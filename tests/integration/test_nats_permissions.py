"""Nobody acts as someone else on NATS: on a server run with the generated users (as
`make run` runs it), a service publishes only its own events, uses only its own durable
consumers, deletes and purges nothing and changes no stream but its own, while a running
service is refused nothing it needs; the operator replays a dead letter. A refused
request gets no answer, and the server tells the client why.
"""

import asyncio
import os
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig

from liandong_contracts import escalation_v1 as esc
from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.envelope import Event
from liandong_contracts.samples import sample_of
from liandong_runtime import nats_permissions
from liandong_runtime.consuming import subscriber
from liandong_runtime.embedded import EmbeddedNats, executable, free_port
from liandong_runtime.runtime import build_runtime
from liandong_runtime.settings import MongoSettings, NatsSettings, ServiceSettings, inbox_of
from liandong_runtime.storage import connect
from liandong_runtime.streams import ensure_streams
from tests.support import eventually

pytestmark = pytest.mark.integration
ESCALATION, COMPLAINT, REFERRAL = "LIANDONG_ESCALATION", "LIANDONG_COMPLAINT", "LIANDONG_REFERRAL"
Guarded = tuple[EmbeddedNats, dict[str, str]]


@pytest.fixture(scope="module")
def guarded(servers: dict[str, str]) -> Iterator[Guarded]:
    grants = nats_permissions.declaration()
    passwords = nats_permissions.new_passwords(grant.user for grant in grants)
    root = Path(servers["root"]) / f"guarded-{uuid.uuid4().hex[:6]}"
    server = EmbeddedNats("nats-guarded", free_port(), root / "nats", authorization=(
        nats_permissions.authorization(grants, passwords))).start()
    yield server, passwords
    server.stop()


@asynccontextmanager
async def login(guarded: Guarded, user: str) -> AsyncIterator[tuple[JetStreamContext, list[str]]]:
    """JetStream as `user`, and the refusals the server sends it."""
    server, passwords = guarded
    refusals: list[str] = []

    async def on_error(exc: Exception) -> None:
        refusals.append(str(exc).lower())

    inbox = "_INBOX" if user == nats_permissions.OPERATOR else inbox_of(user)
    nc = await nats.connect(server.url, user=user, password=passwords[user], error_cb=on_error,
                            inbox_prefix=inbox)
    try:
        yield nc.jetstream(timeout=1), refusals
    finally:
        await nc.close()


async def refused(request: Any, refusals: list[str], subject: str) -> None:
    with pytest.raises(nats.errors.TimeoutError):
        await request
    told = f'permissions violation for publish to "{subject.lower()}"'
    assert any(refusal.endswith(told) for refusal in refusals), refusals


def violations(server: EmbeddedNats) -> list[str]:
    return [line for line in server.log_file.read_text().splitlines() if "Violation" in line]


def fresh(model: type[Event]) -> Event:
    return sample_of(model).model_copy(update={"event_id": uuid.uuid4()})


@pytest.fixture(scope="module")
async def streams(guarded: Guarded) -> None:
    """Created by referral, the first to start: a consumer may come before the producer."""
    async with login(guarded, "referral") as (js, refusals):
        await ensure_streams(js, NatsSettings(), own="referral")
        assert not refusals


async def test_a_service_publishes_its_own_events_and_no_one_elses(guarded, streams) -> None:
    async with login(guarded, "referral") as (js, refusals):
        assert (await js.publish("liandong.referral.case_noted.v1", b"{}")).stream == REFERRAL
        before = (await js.stream_info(COMPLAINT)).state.last_seq
        forged = "liandong.complaint.complaint_received.v1"
        await refused(js.publish(forged, b"{}"), refusals, forged)
        assert (await js.stream_info(COMPLAINT)).state.last_seq == before


async def test_no_service_deletes_or_purges_a_stream_or_changes_anothers(
        guarded, streams) -> None:
    async with login(guarded, "referral") as (js, refusals):
        config = (await js.stream_info(COMPLAINT)).config
        for stream in (COMPLAINT, REFERRAL):
            await refused(js.delete_stream(stream), refusals, f"$JS.API.STREAM.DELETE.{stream}")
            await refused(js.purge_stream(stream), refusals, f"$JS.API.STREAM.PURGE.{stream}")
        await refused(js.update_stream(config.evolve(max_msgs=1)), refusals,
                      f"$JS.API.STREAM.UPDATE.{COMPLAINT}")
        assert (await js.stream_info(COMPLAINT)).config.max_msgs == config.max_msgs


async def test_streams_are_created_by_anyone_and_changed_by_their_producer_only(
        guarded, streams) -> None:
    async with login(guarded, "complaint") as (js, refusals):
        await ensure_streams(js, NatsSettings(duplicate_window_s=30), own="complaint")
        assert not refusals
        assert (await js.stream_info(COMPLAINT)).config.duplicate_window == 30
        assert (await js.stream_info(REFERRAL)).config.duplicate_window == 120


async def test_a_service_consumes_only_its_own_durable_consumers(guarded, streams) -> None:
    own, others = "referral-dispute-settled", "complaint-escalation-dispute-settled"
    assert nats_permissions.wired_consumers("referral")[own] == ESCALATION
    async with login(guarded, "escalation") as (ejs, _):
        body, headers = encode(fresh(esc.DisputeSettled))
        seq = (await ejs.publish(esc.DisputeSettled.subject(), body, headers=headers)).seq
    async with login(guarded, "referral") as (js, refusals):
        await refused(js.add_consumer(ESCALATION, ConsumerConfig(durable_name=others)),
                      refusals, f"$JS.API.CONSUMER.DURABLE.CREATE.{ESCALATION}.{others}")
        await refused(js.consumer_info(ESCALATION, others), refusals,
                      f"$JS.API.CONSUMER.INFO.{ESCALATION}.{others}")
        await refused(js.add_consumer(COMPLAINT, ConsumerConfig()), refusals,
                      f"$JS.API.CONSUMER.CREATE.{COMPLAINT}")  # reading another's stream
        await refused(js.get_msg(COMPLAINT, 1), refusals, f"$JS.API.STREAM.MSG.GET.{COMPLAINT}")
        pulled = await js.pull_subscribe(esc.DisputeSettled.subject(), own, stream=ESCALATION)
        [message] = await pulled.fetch(1, timeout=5)
        await message.ack_sync()
        assert message.data == body and (await js.get_msg(ESCALATION, seq)).data == body
        assert not [refusal for refusal in refusals if own in refusal]


async def test_a_running_service_is_refused_nothing_it_needs(
        guarded, streams, mongo_url: str) -> None:
    server, passwords = guarded
    before = violations(server)
    nats_settings = NatsSettings(url=server.url, user="referral", password=passwords["referral"],
                                 ack_wait_s=1, max_deliver=3)
    rt = build_runtime(ServiceSettings(service="referral", nats=nats_settings, mongodb=(
        MongoSettings(url=mongo_url, database=f"liandong_perm{uuid.uuid4().hex[:8]}"))))
    seen: list[object] = []

    @subscriber(rt.broker, esc.DisputeDecided, consumer="referral-dispute-decided",
                settings=rt.settings.nats)  # the service's: its own reply inbox
    async def on_decided(event: esc.DisputeDecided) -> None:
        seen.append(event.event_id)
        if len(seen) == 1:
            raise ConnectionError("the database is away, once")  # a negative ack, a delay

    await rt.start()
    try:
        async with login(guarded, "escalation") as (ejs, _):
            body, headers = encode(fresh(esc.DisputeDecided))
            await ejs.publish(esc.DisputeDecided.subject(), body, headers=headers)
        own = fresh(ref.CaseTransferred)
        body, headers = encode(own)
        await rt.broker.publish(body, own.subject(), headers=headers, stream=REFERRAL, timeout=5)

        async def redelivered() -> bool:
            return len(seen) == 2

        await eventually(redelivered, what="the event handled on its second delivery")
    finally:
        await rt.stop()
    assert violations(server) == before


async def test_the_operator_replays_a_dead_letter_and_deletes_nothing(
        guarded, streams, mongo_url: str) -> None:
    server, passwords = guarded
    async with login(guarded, "complaint") as (js, _):
        seq = (await js.publish("liandong.complaint.complaint_verified.v1", b"{}")).seq
    database, letter = f"liandong_perm{uuid.uuid4().hex[:8]}", f"{COMPLAINT}:{seq}:sharing-x"
    client = connect(MongoSettings(url=mongo_url))
    await client[database].dead_letters.insert_one({
        "_id": letter, "stream": COMPLAINT, "stream_seq": seq, "subject": "", "body": b"",
        "body_size": 0, "headers": {}, "kind": "exhausted", "reason": "test", "deliveries": 3,
        "parked_at": datetime.now(UTC), "consumer": "sharing-x"})
    await client.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NATS_", "MONGODB_"))}
    env.update(NATS_URL=server.url, NATS_USER="operator", NATS_PASSWORD=passwords["operator"],
               MONGODB_URL=mongo_url)
    replayed = await asyncio.to_thread(subprocess.run, [
        executable("liandong-dead-letters"), "replay", letter, "--database", database],
        env=env, capture_output=True, text=True, timeout=60, check=False)
    assert replayed.returncode == 0, replayed.stderr
    async with login(guarded, "operator") as (js, refusals):
        assert (await js.stream_info(COMPLAINT)).state.last_seq == seq + 1
        await refused(js.delete_stream(COMPLAINT), refusals, f"$JS.API.STREAM.DELETE.{COMPLAINT}")


async def test_a_service_listens_to_its_own_replies_only(guarded) -> None:
    """Pulled messages come as replies: another service's inbox would be its deliveries."""
    async with login(guarded, "sharing") as (js, refusals):
        nc = js._nc
        for theirs in ("_INBOX.>", "_INBOX_escalation.>", ">"):
            await nc.subscribe(theirs)
        await nc.flush()

        async def all_refused() -> bool:
            return sum("permissions violation for subscription" in r for r in refusals) >= 3
        await eventually(all_refused, timeout=5, what="three subscriptions refused")

