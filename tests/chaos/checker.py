"""The checker: reads back every service's state and says what was lost or done twice.

The truth of what was committed is each producer's outbox (and the acks of the events the
workload published itself). Every committed event must be in the inbox of every consumer
that subscribes to it, and its effect must be there exactly once:
- FindingRecorded opens the deadline `transfer:<case_id>` in escalation, CaseTransferred
  closes it; each applied event saves the deadline once, so its version counts them;
- a complaint event is shared by sharing as exactly one category-7 item (`caused_by`).
A unit (one HTTP call or one direct publish) is lost when it was acknowledged, or its
events committed, and an effect is missing; duplicated when an effect is there twice.
"""

import json
import time
from collections import Counter
from dataclasses import dataclass, field

from escalation.entrypoints.consumers import WATCHED
from liandong_contracts.envelope import Event, snake
from sharing.adapters.complaint_facts import FED
from tests.chaos.cluster import Cluster
from tests.chaos.workload import Unit, Workload

SUBSCRIBED: dict[str, tuple[type[Event], ...]] = {"escalation": WATCHED, "sharing": FED}
UNIT_EVENT = {"case": "FindingRecorded", "transfer": "CaseTransferred",
              "complaint": "ComplaintReceived", "event": "FindingRecorded"}


@dataclass
class Verdict:
    sent: int = 0
    acknowledged: int = 0
    applied: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)

    def explain(self) -> str:
        return (f"lost {len(self.lost)}: {self.lost[:8]}; "
                f"duplicated {len(self.duplicated)}: {self.duplicated[:8]}")


def consumer_name(service: str, event: type[Event]) -> str:
    return f"{service}-{event.producer}-{snake(event.event_name())}".replace("_", "-")


class Checker:
    def __init__(self, cluster: Cluster, workload: Workload) -> None:
        self.cluster, self.workload = cluster, workload

    def committed(self) -> dict[tuple[str, str], str]:
        """(event type, case or complaint id) -> event id, from the producers' outboxes."""
        found: dict[tuple[str, str], str] = {}
        for producer in ("referral", "complaint"):
            if producer not in self.cluster.services:
                continue
            for doc in self.cluster.database(producer).outbox.find({}, {"body": 1}):
                body = json.loads(doc["body"])
                key = body.get("case_id") or body.get("complaint_id")
                found[(body["type"], key)] = body["event_id"]
        for unit in self.workload.units:
            if unit.kind == "event" and unit.acked:
                found[("FindingRecorded", unit.key)] = unit.event_id
        return found

    def applied(self) -> dict[str, list[int]]:
        """Event id -> how many times each of its effects is there (0 missing, 2 twice):
        one inbox record per subscribing consumer, plus the effect on the state."""
        committed = self.committed()
        inbox: Counter[tuple[str, str]] = Counter()
        effects: dict[str, list[int]] = {event_id: [] for event_id in committed.values()}
        for service, watched in SUBSCRIBED.items():
            if service not in self.cluster.services:
                continue
            for doc in self.cluster.database(service).inbox.find({}, {"consumer": 1,
                                                                      "event_id": 1}):
                inbox[(doc["consumer"], doc["event_id"])] += 1
            names = {e.event_name(): consumer_name(service, e) for e in watched}
            for (kind, _), event_id in committed.items():
                if kind in names:
                    effects[event_id].append(inbox[(names[kind], event_id)])
        if "escalation" in self.cluster.services:
            self._deadline_effects(committed, effects)
        if "sharing" in self.cluster.services:
            shared = Counter(doc["caused_by"] for doc in self.cluster.database("sharing").info
                             .find({"caused_by": {"$ne": None}}, {"caused_by": 1}))
            for (kind, _), event_id in committed.items():
                if kind == "ComplaintReceived":
                    effects[event_id].append(shared[event_id])
        return effects

    def _deadline_effects(self, committed: dict[tuple[str, str], str],
                          effects: dict[str, list[int]]) -> None:
        """Opened by the finding, closed by the transfer; every applied event saves the
        deadline once, so a version above the applied events is an event applied twice."""
        deadlines = {d["_id"]: d for d in self.cluster.database("escalation").deadlines.find(
            {"_id": {"$regex": "^transfer:"}})}
        for (kind, case_id), event_id in committed.items():
            if kind != "FindingRecorded":
                continue
            d = deadlines.get(f"transfer:{case_id}") or {}
            effects[event_id].append(1 if d.get("started_at") else 0)
            saves = 1 if d.get("started_at") else 0
            transfer = committed.get(("CaseTransferred", case_id))
            if transfer:
                effects[transfer].append(1 if d.get("done_at") else 0)
                saves += 1 if d.get("done_at") else 0
            if d.get("version", 0) > saves:
                effects[event_id].append(1 + d["version"] - saves)

    def verdict(self) -> Verdict:
        committed, applied = self.committed(), self.applied()
        v = Verdict(sent=len(self.workload.units), acknowledged=len(self.workload.acked))
        for unit in self.workload.units:
            event_id = committed.get((UNIT_EVENT[unit.kind], unit.key)) if unit.key else None
            counts = (applied.get(event_id) or [0]) if event_id else [0]
            v.applied += min(counts) >= 1
            if max(counts) > 1:
                v.duplicated.append(tag(unit))
            elif min(counts) == 0 and (unit.acked or event_id):
                v.lost.append(tag(unit) + ("" if event_id else " (never committed)"))
        claimed = {committed.get((UNIT_EVENT[u.kind], u.key)) for u in self.workload.units}
        for event_id, counts in applied.items():
            if event_id not in claimed and counts and min(counts) == 0:
                v.lost.append(f"committed without an answer: {event_id}")
        return v

    def converge(self, timeout: float = 60, settle: float = 1.5) -> Verdict:
        """Poll until nothing is missing (or the time is up), then look once more."""
        deadline = time.monotonic() + timeout
        verdict = self.verdict()
        while verdict.lost and time.monotonic() < deadline:
            time.sleep(0.5)
            verdict = self.verdict()
        time.sleep(settle)  # room for a late duplicate to show
        return self.verdict()


def tag(unit: Unit) -> str:
    return f"{unit.producer}/{unit.seq} {unit.kind} {unit.key}"
