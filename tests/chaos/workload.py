"""The workload generator: real work through the services' HTTP APIs, or events published
straight to JetStream, every unit tagged (producer, sequence) and its acknowledgement kept.

A unit is acknowledged when the API answered 2xx (the state and its events committed) or
JetStream answered the publish with an ack. An HTTP call that failed or timed out is sent
but not acknowledged: its effect may or may not exist, and neither is an error.
"""

import asyncio
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import nats

from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgKind, OrgRef
from tests.support import acting

TOWN = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")
URBAN = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="示例区城市管理局")
MATERIALS = {"transfer_letter": "https://files.example/letter.pdf",
             "case_source": ["https://files.example/record.pdf"],
             "preliminary_evidence": ["https://files.example/photo.jpg"]}


@dataclass
class Unit:
    """One piece of work: what it is, its tag, and what came back."""

    kind: str  # "case" | "transfer" | "complaint" | "event"
    producer: str
    seq: int
    key: str = ""  # the case or complaint id once known
    acked: bool = False
    event_id: str = ""  # for an event published straight to JetStream


@dataclass
class Workload:
    urls: dict[str, str]
    units: list[Unit] = field(default_factory=list)
    seq: int = 0
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def new_unit(self, kind: str, producer: str) -> Unit:
        self.seq += 1
        unit = Unit(kind, producer, self.seq)
        self.units.append(unit)
        return unit

    def _post(self, unit: Unit, url: str, body: dict, org: str, key: str | None = None) -> None:
        try:
            answer = self.http.post(url, json=body, headers=acting(org))
        except httpx.HTTPError:
            return
        if answer.is_success:
            unit.acked = True
            unit.key = key or answer.json().get("case_id") or answer.json()["complaint_id"]

    def case(self, urgent: bool = False, found_at: datetime | None = None) -> Unit:
        """A finding on a matter the township does not own: FindingRecorded."""
        unit = self.new_unit("case", "referral")
        self._post(unit, self.urls["referral"] + "/cases", {
            "matter_code": "M-URB-009", "locality": TOWN.id, "urgent": urgent,
            "found_at": (found_at or datetime.now(UTC)).isoformat(),
            "summary": f"chaos unit referral/{unit.seq}"}, TOWN.id)
        return unit

    def transfer(self, case: Unit) -> Unit:
        """The case handed to its owner: CaseTransferred, which closes the deadline."""
        unit = self.new_unit("transfer", "referral")
        self._post(unit, f"{self.urls['referral']}/cases/{case.key}/transfer",
                   {"materials": MATERIALS}, TOWN.id, key=case.key)
        return unit

    def complaint(self) -> Unit:
        """A complaint received: ComplaintReceived, shared as one category-7 item."""
        unit = self.new_unit("complaint", "complaint")
        self._post(unit, self.urls["complaint"] + "/complaints", {
            "channel": "phone", "received_at": datetime.now(UTC).isoformat(),
            "matter_code": "M-URB-001", "locality": TOWN.id,
            "summary": f"chaos unit complaint/{unit.seq}",
            "complainant": {"name": "测试人", "phone": "13800000000"}}, URBAN.id)
        return unit

    def mixed(self, rounds: int, pace_s: float = 0.05) -> None:
        """Per round: a case, its transfer every other round, a complaint if one runs."""
        for i in range(rounds):
            if "referral" in self.urls:
                case = self.case()
                if i % 2 == 0 and case.acked:
                    self.transfer(case)
            if "complaint" in self.urls:
                self.complaint()
            time.sleep(pace_s)

    def in_background(self, rounds: int, pace_s: float = 0.05) -> "Background":
        return Background(self, rounds, pace_s)

    def direct(self, count: int, nats_url: str) -> list[ref.FindingRecorded]:
        """FindingRecorded events published straight to JetStream, each awaiting its ack."""
        events = [finding() for _ in range(count)]
        units = [self.new_unit("event", "referral") for _ in events]
        acks = asyncio.run(publish(nats_url, events))
        for unit, event, ack in zip(units, events, acks, strict=True):
            unit.key, unit.event_id = event.case_id, str(event.event_id)
            unit.acked = ack is not None
        return events

    @property
    def acked(self) -> list[Unit]:
        return [u for u in self.units if u.acked]


class Background(threading.Thread):
    """`mixed` in a thread; `join` raises what the thread raised."""

    def __init__(self, workload: Workload, rounds: int, pace_s: float) -> None:
        super().__init__(daemon=True)
        self.workload, self.rounds, self.pace_s = workload, rounds, pace_s
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.workload.mixed(self.rounds, self.pace_s)
        except BaseException as exc:
            self.error = exc

    def join(self, timeout: float | None = 90) -> None:
        super().join(timeout)
        assert not self.is_alive(), "the workload did not finish in time"
        if self.error is not None:
            raise self.error


def finding(urgent: bool = False, found_at: datetime | None = None) -> ref.FindingRecorded:
    case_id = f"case-chaos-{uuid.uuid4().hex[:10]}"
    at = found_at or datetime.now(UTC)
    return ref.FindingRecorded(
        occurred_at=at, actor=TOWN, correlation_id=case_id, case_id=case_id,
        matter_code="M-URB-009", locality=TOWN, owner=URBAN, found_at=at, urgent=urgent,
        summary="chaos direct event")


async def publish(nats_url: str, events: list[Event]) -> list[object | None]:
    """Each event with Nats-Msg-Id = event id; the PubAck, or None when none came."""
    acks: list[object | None] = []
    async with await nats.connect(nats_url) as nc:
        js = nc.jetstream()
        for event in events:
            body, headers = encode(event)
            try:
                acks.append(await js.publish(event.subject(), body, headers=headers, timeout=5))
            except (nats.errors.Error, TimeoutError):
                acks.append(None)
    return acks
