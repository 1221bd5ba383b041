"""The business gauges refreshed from the real database: aggregated, and label sets that
vanish are dropped."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from escalation.adapters.metrics import DutyMetrics
from liandong_runtime.workdays import load_calendar

NOW = datetime.now(UTC)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    yield client.get_database(f"liandong_bm_{uuid.uuid4().hex[:8]}")
    await client.close()


def duty(rule: str, org: str, state: str, due_in_h: float, **more: Any) -> dict[str, Any]:
    return {"_id": uuid.uuid4().hex, "rule": rule, "responsible": {"id": org, "name": "某单位"},
            "state": state, "due_at": NOW + timedelta(hours=due_in_h), "done_at": None, **more}


def gauge(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


async def test_open_overdue_and_disputes_are_counted_and_vanished_label_sets_dropped(
        db: AsyncDatabase[dict[str, Any]]) -> None:
    await db.deadlines.insert_many([
        duty("REF-4", "town-hexi", "open", 24), duty("REF-4", "town-hexi", "open", -1),
        duty("AST-1", "dept-water", "open", 48),
        duty("CMP-7", "town-beishan", "breached", -5),
        duty("CMP-7", "town-beishan", "breached", -5, done_at=NOW),  # done late: not overdue
        duty("REF-4", "town-hexi", "done", 5, done_at=NOW)])
    await db.disputes.insert_many([{"_id": "d1", "state": "negotiating"},
                                   {"_id": "d2", "state": "decided"}])
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

    # Water's duty is done and Beishan's late one too: their series go
    await db.deadlines.update_many({"rule": {"$in": ["AST-1", "CMP-7"]}},
                                   {"$set": {"state": "done", "done_at": NOW}})
    await metrics.refresh(db)
    assert gauge(registry, "liandong_duties_open", rule="AST-1", organisation="dept-water") is None
    assert gauge(registry, "liandong_duties_overdue", rule="CMP-7",
                 organisation="town-beishan") is None
    assert gauge(registry, "liandong_duties_open", rule="REF-4", organisation="town-hexi") == 2
