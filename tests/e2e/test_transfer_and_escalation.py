"""A township transfers a case to a department; a second case misses its limit.

Referral and escalation run as separate processes over the real NATS server and the
real database; the district government's webhook is a small HTTP server in the test.
"""

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import nats
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy

from liandong_contracts.escalation_v1 import DistrictGovernmentNotified
from tests.support import acting, poll, webhook_receiver

SECRET = "test-secret"
TOWN = acting("town-hexi", "staff-007")
URBAN = acting("dept-urban")
MATERIALS = {"transfer_letter": "https://files.example/letter.pdf",
             "case_source": ["https://files.example/record.pdf"],
             "preliminary_evidence": ["https://files.example/photo.jpg"]}


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    with webhook_receiver(SECRET) as hook:
        yield hook


def record(client: httpx.Client, referral: str, urgent: bool) -> str:
    finding = {"matter_code": "M-URB-009", "locality": "town-hexi", "urgent": urgent,
               "found_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
               "summary": "无证建设"}
    answer = client.post(f"{referral}/cases", json=finding, headers=TOWN)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


@pytest.mark.rule("REF-4")
@pytest.mark.rule("REF-5")
@pytest.mark.rule("REF-9")
@pytest.mark.rule("ESC-1")
@pytest.mark.rule("ESC-3")
def test_a_transfer_done_in_time_is_quiet_and_a_missed_one_is_reported_once(
        start_service, webhook, nats_url: str) -> None:
    hook_url, hook_calls = webhook
    referral = start_service("referral").url
    escalation = start_service("escalation", LIMITS='{"REF-5": "4s"}', WATCH_INTERVAL_S="0.5",
                               WEBHOOK_URL=hook_url, WEBHOOK_SECRET=SECRET).url
    notified = NatsWatcher(nats_url, DistrictGovernmentNotified.subject())
    try:
        _play_the_day(httpx.Client(timeout=10), referral, escalation, hook_calls, notified)
    finally:
        notified.close()


def _play_the_day(client: httpx.Client, referral: str, escalation: str,
                  hook_calls: list[dict[str, object]], notified: "NatsWatcher") -> None:

    # Hexi township finds unlicensed construction (owned by urban management) and transfers it
    first = record(client, referral, urgent=False)
    poll(lambda: _deadline(client, escalation, first))
    answer = client.post(f"{referral}/cases/{first}/transfer", json={"materials": MATERIALS},
                         headers=TOWN)
    assert answer.status_code == 202, answer.text
    # the department sees it in its inbox and accepts
    inbox = client.get(f"{referral}/cases/inbox", headers=URBAN).json()
    assert first in [c["case_id"] for c in inbox]
    assert client.post(f"{referral}/cases/{first}/accept", headers=URBAN).status_code == 202
    poll(lambda: _deadline(client, escalation, first) is None)  # ESC-3: the clock stopped
    # the timeline is shown to the parties and the district government, to no one else
    timeline = client.get(f"{referral}/cases/{first}", headers=acting("district-gov"))
    assert [t["event"] for t in timeline.json()["timeline"]] == [
        "FindingRecorded", "CaseTransferred", "CaseTransferAccepted"]
    outsider = client.get(f"{referral}/cases/{first}", headers=acting("dept-water"))
    assert outsider.status_code == 404

    # a second, urgent case is never transferred: its 4-second limit passes
    second = record(client, referral, urgent=True)
    notices = poll(lambda: [n for n in _notifications(client, escalation)
                            if n["correlation_id"] == second], timeout=30)
    time.sleep(3)  # give a duplicate every chance to appear
    notices = [n for n in _notifications(client, escalation) if n["correlation_id"] == second]
    assert len(notices) == 1
    assert notices[0]["rule"] == "REF-5" and notices[0]["responsible"]["id"] == "town-hexi"
    assert "河西镇" in notices[0]["message"]
    poll(lambda: [c for c in hook_calls if c["body"]["correlation_id"] == second])
    assert [c["signed"] for c in hook_calls if c["body"]["correlation_id"] == second] == [True]
    assert notified.count(second) == 1
    assert not [n for n in _notifications(client, escalation) if n["correlation_id"] == first]


@pytest.mark.rule("REF-9")
@pytest.mark.rule("REF-7")
def test_a_refusal_on_jurisdiction_opens_a_dispute_and_bad_input_names_the_rule(
        start_service) -> None:
    referral = start_service("referral").url
    escalation = start_service("escalation").url
    client = httpx.Client(timeout=10)
    case = record(client, referral, urgent=False)
    incomplete = {"materials": {**MATERIALS, "preliminary_evidence": []}}
    answer = client.post(f"{referral}/cases/{case}/transfer", json=incomplete, headers=TOWN)
    assert answer.status_code == 422
    assert answer.json() == {"rule": "REF-7", "field": "materials.preliminary_evidence",
                             "detail": "a transfer carries all three kinds of material"}
    client.post(f"{referral}/cases/{case}/transfer", json={"materials": MATERIALS}, headers=TOWN)
    refusal = {"grounds": "jurisdiction", "reason": "该事项已划转乡镇"}
    answer = client.post(f"{referral}/cases/{case}/refuse", json=refusal, headers=URBAN)
    assert answer.status_code == 202, answer.text
    gov = acting("district-gov")
    disputes = poll(lambda: [d for d in client.get(f"{escalation}/disputes", headers=gov).json()
                             if d["subject_id"] == case])
    assert disputes[0]["origin"] == "transfer_refused"
    assert {p["id"] for p in disputes[0]["parties"]} == {"town-hexi", "dept-urban"}


def _deadline(client: httpx.Client, escalation: str, case_id: str) -> dict[str, object] | None:
    open_ones = client.get(f"{escalation}/deadlines", headers=acting("town-hexi")).json()
    return next((d for d in open_ones if d["correlation_id"] == case_id), None)


def _notifications(client: httpx.Client, escalation: str) -> list[dict[str, object]]:
    return client.get(f"{escalation}/notifications", headers=acting("district-gov")).json()


class NatsWatcher:
    """Counts DistrictGovernmentNotified events in the stream, per case.

    A JetStream consumer, not a core subscription: a core subscriber also sees publishes
    that the stream discards as duplicates (same Nats-Msg-Id), which no consumer gets.
    """

    def __init__(self, url: str, subject: str) -> None:
        self.seen: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(url, subject), daemon=True)
        self.thread.start()
        self.ready.wait(10)

    def _run(self, url: str, subject: str) -> None:
        async def main() -> None:
            self.nc = await nats.connect(url)
            await self.nc.jetstream().subscribe(
                subject, cb=self._on, ordered_consumer=True,
                config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW))
            self.ready.set()

        self.loop.run_until_complete(main())
        self.loop.run_forever()

    async def _on(self, msg) -> None:
        self.seen.append(json.loads(msg.data)["correlation_id"])

    def count(self, case_id: str) -> int:
        return self.seen.count(case_id)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.nc.close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.mark.rule("ESC-1")
def test_two_escalation_replicas_notify_the_district_government_once(
        start_service, nats_url: str) -> None:
    referral = start_service("referral").url
    shared = {"MONGODB_DATABASE": f"liandong_escalation_pair_{time.time_ns()}",
              "LIMITS": '{"REF-5": "3s"}', "WATCH_INTERVAL_S": "0.2"}
    first, second = start_service("escalation", **shared), start_service("escalation", **shared)
    notified = NatsWatcher(nats_url, DistrictGovernmentNotified.subject())
    try:
        client = httpx.Client(timeout=10)
        cases = [record(client, referral, urgent=True) for _ in range(5)]
        poll(lambda: all(notified.count(c) for c in cases), timeout=30)
        time.sleep(3)  # give a duplicate every chance to appear
        assert [notified.count(c) for c in cases] == [1] * 5
        for replica in (first, second):
            listed = [n["correlation_id"] for n in _notifications(client, replica.url)]
            assert sorted(c for c in listed if c in cases) == sorted(cases)
    finally:
        notified.close()
