"""SHR-4 over the real database and NATS: delays in time, refused delays, late publications."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.sharing.conftest import Sharing, events_of, stream_messages
from tests.support import acting

DEPT = acting("dept-ecology", "staff-12")


def delay_body(formed_at: datetime, new_due_at: datetime) -> dict[str, str]:
    return {"category": "department_dynamic_info", "title": "检查记录汇总",
            "formed_at": formed_at.isoformat(), "reason": "检查记录需汇总整理",
            "new_due_at": new_due_at.isoformat()}


@pytest.mark.rule("SHR-4")
@pytest.mark.rule("ESC-3")
async def test_a_delay_declared_in_time_moves_the_due_and_the_publication_follows(
        sharing: Sharing, nats_url: str) -> None:
    formed = datetime.now(UTC) - timedelta(minutes=1)
    due = sharing.due(formed)
    answer = await sharing.http.post("/info/delays", json=delay_body(formed, due + timedelta(
        days=2)), headers=DEPT)
    assert answer.status_code == 201, answer.text
    declared = answer.json()
    assert declared["status"] == "delayed"
    assert datetime.fromisoformat(declared["due_at"]) == due
    assert datetime.fromisoformat(declared["new_due_at"]) == due + timedelta(days=2)
    info_id = declared["info_id"]
    # the delayed information is not listed yet, but its producer can look it up
    assert (await sharing.get("/info", "town-hexi")).json()["items"] == []
    assert (await sharing.get(f"/info/{info_id}", "dept-ecology")).json()["status"] == "delayed"
    # published later under the same id: in time, one story on the bus
    body = {"category": "department_dynamic_info", "title": "检查记录汇总", "audience": "all",
            "formed_at": formed.isoformat(), "summary": "共检查12家", "info_id": info_id}
    answer = await sharing.http.post("/info", json=body, headers=DEPT)
    assert answer.status_code == 201, answer.text
    assert answer.json()["info_id"] == info_id and answer.json()["late"] is False
    again = await sharing.http.post("/info", json=body, headers=DEPT)
    assert again.status_code == 409
    await sharing.settled()
    assert await events_of(nats_url, info_id) == ["info_sharing_delayed", "info_published"]
    delayed = next(json.loads(m.data) for m in await stream_messages(nats_url)
                   if m.headers.get("ce-subject") == info_id)
    assert datetime.fromisoformat(delayed["new_due_at"]) == due + timedelta(days=2)
    assert delayed["actor"]["id"] == "dept-ecology" and delayed["acting_person"] == "staff-12"


@pytest.mark.rule("SHR-4")
async def test_a_delay_declared_after_the_due_time_is_refused_and_changes_nothing(
        sharing: Sharing, nats_url: str) -> None:
    await sharing.settled()
    before = len(await stream_messages(nats_url))
    formed = datetime.now(UTC) - timedelta(days=6)  # its day, and any weekend, are over
    answer = await sharing.http.post("/info/delays", json=delay_body(
        formed, datetime.now(UTC) + timedelta(days=1)), headers=DEPT)
    assert answer.status_code == 422
    assert (answer.json()["rule"], answer.json()["field"]) == ("SHR-4", "formed_at")
    assert await sharing.rt.store.db.info.count_documents({}) == 0
    await asyncio.sleep(0.3)
    assert len(await stream_messages(nats_url)) == before


@pytest.mark.rule("SHR-4")
async def test_a_delay_publication_under_an_unknown_or_foreign_id_is_refused(
        sharing: Sharing) -> None:
    formed = datetime.now(UTC) - timedelta(minutes=1)
    declared = (await sharing.http.post("/info/delays", json=delay_body(
        formed, sharing.due(formed) + timedelta(days=1)), headers=DEPT)).json()
    body = {"category": "department_dynamic_info", "title": "检查记录汇总", "audience": "all",
            "formed_at": formed.isoformat(), "info_id": declared["info_id"]}
    foreign = await sharing.http.post("/info", json=body, headers=acting("dept-water"))
    assert foreign.status_code == 403
    unknown = await sharing.http.post("/info", json={**body, "info_id": "inf-0000000000000000"},
                                      headers=DEPT)
    assert unknown.status_code == 404


@pytest.mark.rule("SHR-4")
async def test_a_late_publication_is_accepted_recorded_late_and_emits_only_itself(
        sharing: Sharing, nats_url: str) -> None:
    formed = datetime.now(UTC) - timedelta(days=6)
    answer = await sharing.publish("dept-ecology", formed_at=formed.isoformat())
    assert answer.status_code == 201, answer.text
    assert answer.json()["late"] is True
    assert datetime.fromisoformat(answer.json()["due_at"]) == sharing.due(formed)
    info_id = answer.json()["info_id"]
    assert (await sharing.get(f"/info/{info_id}", "dept-ecology")).json()["late"] is True
    await sharing.settled()
    assert await events_of(nats_url, info_id) == ["info_published"]
