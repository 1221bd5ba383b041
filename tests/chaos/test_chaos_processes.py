"""Services killed or stopped under load, then restarted (cases 1, 2 and 8)."""

import os
import random
import signal
import time

import pytest

from tests.chaos.conftest import check, poll
from tests.chaos.workload import Workload

pytestmark = pytest.mark.chaos
FOUR = ("referral", "complaint", "escalation", "sharing")


def test_consumers_killed_at_random_moments_lose_nothing(chaos, report) -> None:
    """Case 1: kill -9 escalation and sharing at random moments of the run, then restart.

    A consumer killed inside a transaction leaves it open on the database until the
    transaction lifetime (60 s, as MongoDB's default) reaps it; the redelivered message
    waits for that, so this case allows 90 s to catch up."""
    cluster = chaos()
    cluster.start(*FOUR)
    work = Workload({s: cluster.url(s) for s in ("referral", "complaint")})
    running = work.in_background(rounds=30, pace_s=0.1)
    rng = random.Random()
    for victim in ("escalation", "sharing", "escalation", "sharing"):
        time.sleep(rng.uniform(0.2, 1.2))
        cluster.kill9(victim)
        cluster.restart(victim)
    running.join()
    began = time.monotonic()
    verdict = check(cluster, work, timeout=90)
    counts = cluster.counts()
    report("1 kill -9 escalation+sharing x2", verdict,
           int(counts["liandong_messages_redelivered_total"]),
           f"caught up {time.monotonic() - began:.0f} s after the load")


def test_relay_killed_mid_batch_resends_without_doubles(chaos, report) -> None:
    """Case 2: referral (whose relay publishes its outbox) killed while publishing a backlog."""
    cluster = chaos()
    cluster.start("referral", "escalation")
    work = Workload({"referral": cluster.url("referral")})
    outbox = cluster.database("referral").outbox
    pending = {"pending_since": {"$exists": True}}
    # the broker stops answering: requests still commit, the outbox fills
    nats_pid = cluster.nats.process.pid  # type: ignore[union-attr]
    os.kill(nats_pid, signal.SIGSTOP)
    try:
        work.mixed(rounds=60, pace_s=0)
        backlog = outbox.count_documents(pending)
    finally:
        os.kill(nats_pid, signal.SIGCONT)
    # kill -9 the moment the relay is part-way through the backlog
    left = poll(lambda: (n := outbox.count_documents(pending)) < backlog and n, timeout=30,
                interval=0.002, what="the relay publishing the backlog")
    cluster.kill9("referral")
    at_kill = outbox.count_documents(pending)
    assert 0 < at_kill < backlog, f"not mid-batch: {at_kill} of {backlog} pending at the kill"
    cluster.restart("referral")
    verdict = check(cluster, work)
    counts = cluster.counts()
    report("2 kill -9 relay mid-batch", verdict,
           int(counts["liandong_messages_redelivered_total"]),
           f"backlog {backlog}, {left}->{at_kill} unpublished at the kill")


def test_sigterm_during_processing_finishes_or_redelivers(chaos, report) -> None:
    """Case 8: SIGTERM to escalation and sharing while they work through a backlog."""
    cluster = chaos()
    cluster.start("complaint", "escalation", "sharing")
    work = Workload({"complaint": cluster.url("complaint")})
    running = work.in_background(rounds=25, pace_s=0.05)
    work.direct(60, cluster.nats.url)
    inbox = cluster.database("escalation").inbox
    poll(lambda: inbox.count_documents({}) > 5, what="escalation consuming the backlog")
    shutdown = {"escalation": cluster.terminate("escalation")}
    mid = inbox.count_documents({})
    shutdown["sharing"] = cluster.terminate("sharing")
    cluster.restart("escalation")
    cluster.restart("sharing")
    running.join()
    verdict = check(cluster, work)
    counts = cluster.counts()
    assert mid < inbox.count_documents({}), "escalation had finished before the SIGTERM"
    report("8 SIGTERM escalation+sharing", verdict,
           int(counts["liandong_messages_redelivered_total"]),
           f"{mid} applied at SIGTERM; shutdown "
           + ", ".join(f"{k} {v:.1f} s" for k, v in shutdown.items()))
