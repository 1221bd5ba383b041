"""The business gauges from the real database: duties stored before the counters existed are
counted once at start, every later save moves the counts, a recount agrees with them, and
label sets that vanish are dropped."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from escalation.adapters import deadlines
from escalation.adapters.deadlines import DeadlineRepository
from escalation.adapters.duty_counts import ensure_counted
from escalation.adapters.metrics import DutyMetrics
from escalation.domain.deadline import Deadline
from liandong_runtime.storage import Store, Tx
from liandong_runtime.workdays import load_calendar

NOW = datetime.now(UTC)


@pytest.fixture
async def store(mongo_url: str) -> AsyncIterator[Store]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    yield Store(client, f"liandong_bm_{uuid.uuid4().hex[:8]}")
    await client.close()


def duty(rule: str, org: str, state: str, due_in_h: float, **more: Any) -> dict[str, Any]:
    return {"_id": uuid.uuid4().hex, "version": 1, "rule": rule, "duty": "某职责",
            "responsible": {"id": org, "name": "某单位"}, "correlation_id": "c",
            "state": state, "started_at": NOW - timedelta(days=3),
            "due_at": NOW + timedelta(hours=due_in_h), "done_at": None, "warned": False,
            "pauses": [], **more}


def gauge(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


async def complete(store: Store, deadline_id: str) -> None:
    async def work(tx: Tx) -> None:
        repo = DeadlineRepository(tx)
        d = await repo.get(deadline_id)
        assert d is not None
        d.complete(NOW)
        await repo.save(d)
    await store.transaction(work)


async def test_open_overdue_and_disputes_are_counted_and_vanished_label_sets_dropped(
        store: Store) -> None:
    db = store.db
    water = duty("AST-1", "dept-water", "open", 48)
    beishan_late = duty("CMP-7", "town-beishan", "breached", -5)
    await db.deadlines.insert_many([
        duty("REF-4", "town-hexi", "open", 24), duty("REF-4", "town-hexi", "open", -1),
        water, beishan_late,
        duty("CMP-7", "town-beishan", "breached", -5, done_at=NOW),  # done late: not overdue
        duty("REF-4", "town-hexi", "done", 5, done_at=NOW)])
    await db.disputes.insert_many([{"_id": "d1", "state": "negotiating"},
                                   {"_id": "d2", "state": "decided"}])
    await deadlines.ensure_indexes(db)  # the first start counts what is there
    registry = CollectorRegistry()
    metrics = DutyMetrics(registry, load_calendar())
    await metrics.refresh(db)
    assert gauge(registry, "liandong_duties_open", rule="REF-4", organisation="town-hexi") == 2
    assert gauge(registry, "liandong_duties_open", rule="AST-1", organisation="dept-water") == 1
    assert gauge(registry, "liandong_duties_overdue", rule="REF-4", organisation="town-hexi") == 1
    assert gauge(registry, "liandong_duties_overdue", rule="CMP-7",
                 organisation="town-beishan") == 1
    assert gauge(registry, "liandong_disputes", state="negotiating") == 1
    assert gauge(registry, "liandong_disputes", state="settled") == 0

    # Water's duty is done and Beishan's late one too: their series go; a new duty counts
    await complete(store, water["_id"])
    await complete(store, beishan_late["_id"])
    new = Deadline("new-duty", "REF-4", "某职责", {"id": "town-hexi", "name": "河西镇"}, "c2",
                   state="open", started_at=NOW, due_at=NOW + timedelta(days=2))

    async def open_new(tx: Tx) -> None:
        await DeadlineRepository(tx).save(new)
    await store.transaction(open_new)
    await metrics.refresh(db)
    assert gauge(registry, "liandong_duties_open", rule="AST-1", organisation="dept-water") is None
    assert gauge(registry, "liandong_duties_overdue", rule="CMP-7",
                 organisation="town-beishan") is None
    assert gauge(registry, "liandong_duties_open", rule="REF-4", organisation="town-hexi") == 3

    # the counts kept as duties changed are the counts a full recount finds
    before = {m.name: sorted((s.labels.items(), s.value) for s in m.samples)
              for m in registry.collect()}
    await ensure_counted(db, rebuild=True)
    await metrics.refresh(db)
    assert {m.name: sorted((s.labels.items(), s.value) for s in m.samples)
            for m in registry.collect()} == before


async def test_counting_survives_concurrent_saves_of_the_same_rule_and_organisation(
        store: Store) -> None:
    """Sharded counters: many transactions at once, each opening a duty, all counted."""
    await deadlines.ensure_indexes(store.db)

    async def open_one(i: int) -> None:
        d = Deadline(f"d{i}", "REF-4", "某职责", {"id": "town-hexi", "name": "河西镇"}, "c",
                     state="open", started_at=NOW, due_at=NOW + timedelta(days=1))

        async def work(tx: Tx) -> None:
            await DeadlineRepository(tx).save(d)
        await store.transaction(work)
    await asyncio.gather(*(open_one(i) for i in range(40)))
    registry = CollectorRegistry()
    await DutyMetrics(registry, load_calendar()).refresh(store.db)
    assert gauge(registry, "liandong_duties_open", rule="REF-4", organisation="town-hexi") == 40
