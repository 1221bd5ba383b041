"""The district government's figures as Prometheus metrics (names from the metric catalogue).

Counted as they happen, by the engine: breaches, reported refusals and notifications, and
the working hours a duty took. Refreshed from the database every
BUSINESS_METRICS_INTERVAL_S: open and overdue duties per rule and organisation, disputes
per state. Open and breached-undone duties are read from the counters every save keeps
(`duty_counts.py`), the open ones past due from an index range of those alone: a refresh
costs the same with ten open duties or a million. Labels are rule ids, organisation ids
of the directory and dispute states: bounded, and never personal data.
"""

import asyncio
import logging
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from pymongo.asynchronous.database import AsyncDatabase

from escalation.adapters.duty_counts import read_counts
from escalation.domain.deadline import Deadline
from liandong_runtime.limits import DEFAULT_LIMITS

log = logging.getLogger("liandong.escalation")
WORKING_HOUR_BUCKETS = (1, 2, 4, 8, 16, 24, 48, 72, 120, 240, 480)
DISPUTE_STATES = ("negotiating", "escalated", "settled", "decided")
REMEMBERED = 10_000


class WorkingHours(Protocol):
    def working_hours_between(self, start: datetime, end: datetime) -> float: ...


class DutyMetrics:
    """What the engine reports; a deadline counts once even if its transaction is retried."""

    def __init__(self, registry: CollectorRegistry, calendar: WorkingHours) -> None:
        self.calendar = calendar
        self._counted: OrderedDict[str, None] = OrderedDict()
        self.breaches = Counter("liandong_breaches", "Limits missed (the government notified)",
                                ["rule", "organisation"], registry=registry)
        self.notifications = Counter("liandong_notifications",
                                     "Notifications to the district government", registry=registry)
        self.reports = Counter(
            "liandong_refusals_reported",
            "Refusals reported to the district government (a notice, never a breach)",
            ["rule", "organisation"], registry=registry)
        self.completion = Histogram(
            "liandong_duty_completion_working_hours",
            "Working hours from a duty's start to its completion", ["rule"],
            buckets=WORKING_HOUR_BUCKETS, registry=registry)
        self.open = Gauge("liandong_duties_open", "Open deadlines",
                          ["rule", "organisation"], registry=registry)
        self.overdue = Gauge("liandong_duties_overdue", "Open or breached-undone past due",
                             ["rule", "organisation"], registry=registry)
        self.disputes = Gauge("liandong_disputes", "Jurisdiction disputes by state", ["state"],
                              registry=registry)
        for rule in DEFAULT_LIMITS:  # every series exists from the start: increase() sees the first
            self.completion.labels(rule)

    def breached(self, d: Deadline) -> None:
        if self._first(f"breach:{d.id}"):
            self.breaches.labels(d.rule, organisation(d)).inc()
            self.notifications.inc()

    def reported(self, rule: str, organisation: str) -> None:
        """Called after the commit of the notice, which is written once per report id."""
        self.reports.labels(rule, organisation).inc()
        self.notifications.inc()

    def completed(self, d: Deadline) -> None:
        if d.started_at is None or d.done_at is None or not d.rule:
            return
        if self._first(f"done:{d.id}"):
            hours = self.calendar.working_hours_between(d.started_at, d.done_at)
            self.completion.labels(d.rule).observe(hours)

    def _first(self, key: str) -> bool:
        if key in self._counted:
            return False
        self._counted[key] = None
        if len(self._counted) > REMEMBERED:
            self._counted.popitem(last=False)
        return True

    async def refresh(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        """Aggregate first, then replace every gauge's series at once (label sets that
        vanished go with them)."""
        now = datetime.now(UTC)
        counts = await read_counts(db)
        opened = counts.get("open", {})
        overdue = dict(counts.get("breached", {}))
        # open and past due: only between the due time and the watcher's next tick
        late = await _per_rule_and_org(db, {"state": "open", "done_at": None,
                                            "due_at": {"$lt": now}})
        for key, n in late.items():
            overdue[key] = overdue.get(key, 0) + n
        states = {s: await db.disputes.count_documents({"state": s}) for s in DISPUTE_STATES}
        _replace(self.open, opened)
        _replace(self.overdue, overdue)
        _replace(self.disputes, {(s,): states.get(s, 0) for s in DISPUTE_STATES})

    async def refresh_forever(self, db: AsyncDatabase[dict[str, Any]], interval_s: float) -> None:
        while True:
            try:
                await self.refresh(db)
            except Exception:
                log.exception("refreshing the business metrics failed; retrying")
            await asyncio.sleep(interval_s)


def organisation(d: Deadline) -> str:
    return str(d.responsible.get("id") or "unknown")


async def _per_rule_and_org(db: AsyncDatabase[dict[str, Any]],
                            match: dict[str, Any]) -> dict[tuple[str, str], int]:
    pipeline = [{"$match": match}, {"$group": {
        "_id": {"rule": "$rule", "org": "$responsible.id"}, "n": {"$sum": 1}}}]
    return {(doc["_id"]["rule"], doc["_id"].get("org") or "unknown"): doc["n"]
            async for doc in await db.deadlines.aggregate(pipeline)}


def _replace(gauge: Gauge, values: dict[tuple[str, ...], int]) -> None:
    """No await in here: a scrape sees the old series or the new ones, never none."""
    gauge.clear()
    for labels, value in values.items():
        gauge.labels(*labels).set(value)
