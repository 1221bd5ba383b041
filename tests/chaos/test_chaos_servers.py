"""The broker and the database themselves fail under load (cases 4 and 5)."""

import asyncio
import time
from collections import Counter

import pytest

from liandong_contracts import referral_v1 as ref
from liandong_runtime.consuming import subscriber
from liandong_runtime.runtime import Runtime, build_runtime
from liandong_runtime.settings import MongoSettings, NatsSettings, ServiceSettings
from liandong_runtime.storage import Tx
from tests.chaos.cluster import Cluster
from tests.chaos.conftest import check
from tests.chaos.workload import Workload

pytestmark = pytest.mark.chaos
FOUR = ("referral", "complaint", "escalation", "sharing")
OUTAGE_S = 30
PROBE = "chaos-probe"


def test_nats_killed_under_load_and_restarted_loses_nothing(chaos, report) -> None:
    """Case 4: kill -9 nats-server mid-run; it restarts on the same port and store dir."""
    cluster = chaos()
    cluster.start(*FOUR)
    work = Workload({s: cluster.url(s) for s in ("referral", "complaint")})
    running = work.in_background(rounds=40, pace_s=0.05)
    time.sleep(1.0)
    cluster.nats.kill()
    time.sleep(2.0)  # requests still commit; relays and consumers meet a dead broker
    cluster.nats.start()  # same port, same store dir
    work.direct(10, cluster.nats.url)  # acknowledged by the restarted broker
    running.join()
    verdict = check(cluster, work)
    counts = cluster.counts()
    report("4 kill -9 nats-server, restart", verdict,
           int(counts["liandong_messages_redelivered_total"]),
           f"down 2 s on port {cluster.nats.port}")


async def test_database_stopped_30_s_terminates_nothing(chaos, report) -> None:
    """Case 5: the database stops for 30 s under load; nothing is terminated or
    dead-lettered, everything is applied once when it returns.

    The services' handlers wait out a short outage inside PyMongo's with_transaction (a
    server selection error in a transaction is transient, retried for 120 s), so a probe
    consumer in this process reads before its transaction, as a handler may: its error
    reaches the consumer's policy, which must nak and retry it. FastStream's default,
    REJECT_ON_ERROR, would terminate those messages: this case fails then.
    The production ack wait (30 s) here: every attempt waits 5 s for a server."""
    cluster = chaos(NATS_ACK_WAIT_S="30")
    await asyncio.to_thread(cluster.start, *FOUR)
    calls: Counter[str] = Counter()
    probe = _probe(cluster, calls)
    await probe.start()
    try:
        work, down = await asyncio.to_thread(_outage_under_load, cluster)
        verdict = await asyncio.to_thread(check, cluster, work, 90)
        findings = {u.key for u in work.units if u.kind in ("case", "event") and u.acked}
        applied = await _probed(probe, findings, timeout=60)
        retried = probe.registry.get_sample_value(
            "liandong_messages_retried_total", {"subject": ref.FindingRecorded.subject()})
    finally:
        await probe.stop()
    assert set(applied.values()) == {1}, f"the probe applied some twice: {applied}"
    assert retried, "the probe never met the outage: the case proves nothing"
    counts = await asyncio.to_thread(cluster.counts)
    parked = {name: cluster.database(name).dead_letters.count_documents({})
              for name in (*cluster.services, "probe")}
    assert not any(parked.values()), f"dead-lettered: {parked}"
    assert counts["liandong_messages_rejected_total"] == 0, counts
    report(f"5 database down {down:.0f} s", verdict,
           int(counts["liandong_messages_redelivered_total"]),
           f"dead letters 0, rejected 0; probe: {len(applied)} applied once, "
           f"{int(retried)} naks, {max(calls.values())} deliveries at most")


def _outage_under_load(cluster: Cluster) -> tuple[Workload, float]:
    work = Workload({s: cluster.url(s) for s in ("referral", "complaint")})
    work.mixed(rounds=8)
    running = work.in_background(rounds=1, pace_s=0)  # each call waits ~5 s, then fails
    began = time.monotonic()
    cluster.mongo.stop()
    work.direct(15, cluster.nats.url)  # acknowledged by JetStream, undeliverable for now
    running.join()
    time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - began)))
    cluster.mongo.start()  # same port, same data dir
    down = time.monotonic() - began
    work.mixed(rounds=5)
    return work, down


async def _probed(probe: Runtime, findings: set[str], timeout: float) -> dict[str, int]:
    """The probe's effects once every acknowledged finding has one (naks back off)."""
    deadline = time.monotonic() + timeout
    while True:
        applied = {d["_id"]: d["n"] async for d in probe.store.db.effects.find({})}
        missing = findings - set(applied)
        if not missing:
            return applied
        assert time.monotonic() < deadline, f"the probe never applied {sorted(missing)[:5]}"
        await asyncio.sleep(0.5)


def _probe(cluster: Cluster, calls: Counter[str]) -> Runtime:
    """A consumer of every FindingRecorded that reads before its transaction."""
    rt = build_runtime(ServiceSettings(
        service="probe", nats=NatsSettings(url=cluster.nats.url, ack_wait_s=30),
        mongodb=MongoSettings(url=cluster.mongo.url, database="liandong_probe")))

    @subscriber(rt.broker, ref.FindingRecorded, consumer=PROBE, settings=rt.settings.nats)
    async def apply(event: ref.FindingRecorded) -> None:
        calls[event.case_id] += 1
        await rt.store.db.effects.find_one({"_id": event.case_id})  # fails while it is away

        async def work(tx: Tx) -> None:
            await tx.db.effects.update_one({"_id": event.case_id}, {"$inc": {"n": 1}},
                                           upsert=True, session=tx.session)

        await rt.store.transaction(work, consumed=(PROBE, str(event.event_id)))

    return rt
