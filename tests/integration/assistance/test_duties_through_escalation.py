"""Assistance duties end to end through the real broker: the assistance and escalation
apps in-process on the session's NATS and database, with limits of seconds.

JNT-5: a supervision addresses two departments; the one that answers is done, the silent
one is reported. JNT-1: a scheduled meeting with minutes is done, one without is reported.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from escalation.bootstrap import EscalationSettings
from escalation.bootstrap import build_app as build_escalation
from liandong_runtime.settings import MongoSettings, NatsSettings
from tests.integration.assistance.conftest import TOWN, Service, running, settings_for
from tests.support import acting, eventually

LIMITS = {"JNT-5": "3s", "JNT-1": "3s"}
MINUTES = {"title": "会议纪要", "uri": "https://files.example/minutes/9.pdf"}


@pytest.fixture
async def deadlines(nats_url: str, mongo_url: str) -> AsyncIterator[AsyncDatabase[Any]]:
    """The escalation service's database, while it runs and watches every 0.1 s."""
    settings = EscalationSettings(
        nats=NatsSettings(url=nats_url),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_esc_ast{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05, watch_interval_s=0.1, limits=LIMITS)
    app = build_escalation(settings)
    async with app.router.lifespan_context(app):
        yield app.state.runtime.store.db


@pytest.fixture
async def assistance(nats_url: str, mongo_url: str) -> AsyncIterator[Service]:
    async with running(settings_for(nats_url, mongo_url, **LIMITS)) as service:
        yield service


async def state_of(db: AsyncDatabase[Any], deadline_id: str) -> str | None:
    doc = await db.deadlines.find_one({"_id": deadline_id}, {"state": 1})
    return doc["state"] if doc else None


async def becomes(db: AsyncDatabase[Any], deadline_id: str, state: str) -> None:
    async def reached() -> bool:
        return await state_of(db, deadline_id) == state

    await eventually(reached, timeout=30, what=f"{deadline_id} {state}")


async def reported(db: AsyncDatabase[Any], deadline_id: str) -> list[dict[str, Any]]:
    return await db.notifications.find({"deadline_id": deadline_id}).to_list()


@pytest.mark.rule("JNT-5")
@pytest.mark.rule("ESC-1")
async def test_a_supervised_department_that_never_answers_is_reported(
        assistance: Service, deadlines: AsyncDatabase[Any]) -> None:
    # Hexi township supervises urban management and water on the river works
    made = await assistance.http.post("/supervisions", headers=TOWN, json={
        "kind": "supervision", "about": "dept-urban", "addressed": ["dept-urban", "dept-water"],
        "text": "河道两侧违建整治进度滞后，请限期完成"})
    assert made.status_code == 201, made.text
    sid = made.json()["supervision_id"]
    # water answers at once; urban stays silent past the limit
    answered = await assistance.http.post(f"/supervisions/{sid}/answer",
                                          headers=acting("dept-water"),
                                          json={"text": "已拆除违建三处"})
    assert answered.status_code == 202, answered.text
    await becomes(deadlines, f"supervision:{sid}:dept-water", "done")
    await becomes(deadlines, f"supervision:{sid}:dept-urban", "breached")
    [notice] = await reported(deadlines, f"supervision:{sid}:dept-urban")
    assert notice["rule"] == "JNT-5" and notice["responsible"]["id"] == "dept-urban"
    assert await reported(deadlines, f"supervision:{sid}:dept-water") == []


@pytest.mark.rule("JNT-1")
@pytest.mark.rule("ESC-1")
async def test_a_scheduled_meeting_without_minutes_is_reported(
        assistance: Service, deadlines: AsyncDatabase[Any]) -> None:
    at = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    body = {"topic": "月度联席会议", "participants": ["town-hexi", "dept-urban"],
            "scheduled_at": at}
    kept, missed = [(await assistance.http.post("/scheduled-meetings", headers=TOWN,
                                                json=body)).json()["meeting_id"]
                    for _ in range(2)]
    # the minutes of one are recorded at once; the other's never are
    held = await assistance.http.post("/meetings", headers=TOWN, json={
        "schedule": "scheduled", "held_at": at, "topic": "月度联席会议", "meeting_id": kept,
        "participants": ["town-hexi", "dept-urban"], "minutes": MINUTES})
    assert held.status_code == 201, held.text
    await becomes(deadlines, f"minutes:{kept}", "done")
    await becomes(deadlines, f"minutes:{missed}", "breached")
    [notice] = await reported(deadlines, f"minutes:{missed}")
    assert notice["rule"] == "JNT-1" and notice["responsible"]["id"] == "town-hexi"
