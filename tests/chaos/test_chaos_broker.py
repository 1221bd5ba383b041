"""Publishers, the duplicate window, a slow handler and a deadline across a crash
(cases 3, 6, 7 and 9)."""

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta

import nats
import pytest
from nats.js.api import DeliverPolicy

from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.escalation_v1 import DistrictGovernmentNotified
from tests.chaos.checker import Verdict
from tests.chaos.conftest import check, poll
from tests.chaos.workload import Workload, finding, publish

pytestmark = pytest.mark.chaos


def test_publisher_dying_before_the_ack_retries_with_the_same_id(chaos, report) -> None:
    """Case 3: half the events reach the broker but the publisher dies before reading the
    ack, half never leave it; the publisher comes back and publishes every one again."""
    cluster = chaos()
    cluster.start("escalation")
    work = Workload({})
    events = [finding() for _ in range(20)]
    asyncio.run(_die_before_the_ack(cluster.nats.url, events))
    acks = asyncio.run(publish(cluster.nats.url, events))  # the retry, same event ids
    for event, ack in zip(events, acks, strict=True):
        unit = work.new_unit("event", "referral")
        unit.key, unit.event_id, unit.acked = event.case_id, str(event.event_id), bool(ack)
    flagged = sum(bool(getattr(ack, "duplicate", False)) for ack in acks)
    stored = asyncio.run(_stream_messages(cluster.nats.url, "LIANDONG_REFERRAL"))
    verdict = check(cluster, work)
    assert flagged == 10 and stored == 20, f"{flagged} retries flagged duplicate, {stored} stored"
    counts = cluster.counts()
    report("3 publisher dies before ack", verdict,
           int(counts["liandong_messages_redelivered_total"]),
           f"retry acks flagged duplicate {flagged}/20, stream holds {stored}")


async def _die_before_the_ack(url: str, events: list[ref.FindingRecorded]) -> None:
    nc = await nats.connect(url)
    for i, event in enumerate(events):
        if i % 2 == 0:  # reaches the broker, whose ack nobody reads
            body, headers = encode(event)
            await nc.publish(event.subject(), body, reply=nc.new_inbox(), headers=headers)
    await nc.flush()
    await nc.close()  # the publisher dies; the odd half never left it


async def _stream_messages(url: str, stream: str) -> int:
    async with await nats.connect(url) as nc:
        return int((await nc.jetstream().stream_info(stream)).state.messages)


def test_same_event_inside_and_after_the_duplicate_window_applies_once(chaos, report) -> None:
    """Case 7: the broker drops the copy inside its 2-s duplicate window; the copy after it
    is stored and delivered, and the consumer's inbox absorbs it."""
    cluster = chaos(NATS_DUPLICATE_WINDOW_S="2")
    cluster.start("escalation")
    work = Workload({})
    events = work.direct(10, cluster.nats.url)
    inside = asyncio.run(publish(cluster.nats.url, events))
    time.sleep(2.5)
    after = asyncio.run(publish(cluster.nats.url, events))
    assert all(a.duplicate for a in inside), "a copy inside the window was stored"
    assert not any(a.duplicate for a in after), "a copy after the window was dropped"
    poll(lambda: cluster.metrics("escalation")["liandong_messages_duplicate_total"] >= 10,
         what="the inbox recognising the 10 copies published after the window")
    verdict = check(cluster, work)
    stored = asyncio.run(_stream_messages(cluster.nats.url, "LIANDONG_REFERRAL"))
    counts = cluster.counts()
    report("7 republish in/after 2-s window", verdict,
           int(counts["liandong_messages_redelivered_total"]),
           f"stream holds {stored}; inbox absorbed "
           f"{int(counts['liandong_messages_duplicate_total'])}")


def test_escalation_killed_just_before_a_deadline_notifies_once(chaos, report) -> None:
    """Case 9: urgent findings (REF-5 = 4 s); escalation is killed 1 s before the limit and
    restarted after it: one notification each, in the collection and in the stream."""
    limits = json.dumps({"REF-5": "4s"})
    cluster = chaos(LIMITS=limits, WATCH_INTERVAL_S="0.3")
    cluster.start("referral", "escalation")
    work = Workload({"referral": cluster.url("referral")})
    found_at = datetime.now(UTC)
    cases = [work.case(urgent=True, found_at=found_at) for _ in range(3)]
    due = found_at + timedelta(seconds=4)
    deadlines = cluster.database("escalation").deadlines
    poll(lambda: deadlines.count_documents({"rule": "REF-5", "state": "open"}) == 3,
         what="three REF-5 deadlines open")
    _sleep_until(due - timedelta(seconds=1))
    cluster.kill9("escalation")
    _sleep_until(due + timedelta(seconds=1))
    cluster.restart("escalation")
    notices = cluster.database("escalation").notifications
    poll(lambda: notices.count_documents({}) >= 3, what="the three notifications")
    time.sleep(3)  # every chance for a second notification to appear
    stored = [n["correlation_id"] for n in notices.find({})]
    streamed = asyncio.run(_notified_in_stream(cluster.nats.url))
    verdict = Verdict(sent=len(work.units), acknowledged=len(work.acked))
    for case in cases:
        seen = (stored.count(case.key), streamed.count(case.key))
        verdict.applied += min(seen) >= 1
        if max(seen) > 1:
            verdict.duplicated.append(f"{case.key}: {seen}")
        elif min(seen) == 0:
            verdict.lost.append(f"{case.key}: {seen}")
    assert not verdict.lost and not verdict.duplicated, verdict.explain()
    assert len(stored) == len(streamed) == 3, (stored, streamed)
    report("9 kill -9 escalation 1 s before due", verdict, 0,
           "notifications: collection 3, stream 3")


def _sleep_until(moment: datetime) -> None:
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))


async def _notified_in_stream(url: str) -> list[str]:
    """Correlation ids of every DistrictGovernmentNotified the stream holds."""
    async with await nats.connect(url) as nc:
        sub = await nc.jetstream().subscribe(DistrictGovernmentNotified.subject(),
                                             ordered_consumer=True,
                                             deliver_policy=DeliverPolicy.ALL)
        found = []
        while True:
            try:
                msg = await sub.next_msg(timeout=2)
            except nats.errors.TimeoutError:
                return found
            found.append(json.loads(msg.data)["correlation_id"])
