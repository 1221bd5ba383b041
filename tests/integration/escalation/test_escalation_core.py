"""The escalation core in-process on the session's real NATS and database: recording times
of events that arrive through the broker (ESC-5), a duty paused by a dispute and resumed by
the desk (ESC-3), and a refusal reported to the district government (a notice, the webhook,
the counter), never counted as a breach."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from escalation.bootstrap import EscalationSettings, build_app
from escalation.service.duties import Open, Pause, Report
from escalation.service.engine import DeadlineEngine
from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.settings import MongoSettings, NatsSettings
from tests.support import acting, eventually, webhook_receiver

SECRET = "core-secret"
# organisations no other escalation test charges, so counts per label are exact
TOWN = OrgRef(id="street-nanmen", kind=OrgKind.STREET_OFFICE, name="南门街道办事处")
DEPT = {"id": "dept-water", "kind": "department", "name": "示例区水务局"}


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    with webhook_receiver(SECRET) as hook:
        yield hook


@pytest.fixture
async def app(nats_url: str, mongo_url: str, webhook) -> AsyncIterator[FastAPI]:
    settings = EscalationSettings(
        nats=NatsSettings(url=nats_url),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_core_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05, watch_interval_s=0.1, webhook_url=webhook[0],
        webhook_secret=SECRET)
    application = build_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def desk(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t",
                                 headers=acting("district-gov")) as client:
        yield client


async def apply(app: FastAPI, *actions: Any, correlation_id: str = "core") -> None:
    engine: DeadlineEngine = app.state.engine

    async def work(tx) -> None:
        await engine.apply(tx, actions, correlation_id)

    await engine.store.transaction(work)


async def publish(nats_url: str, event: ref.ReferralEvent) -> None:
    body, headers = encode(event)
    async with await nats.connect(nats_url) as nc:
        await nc.jetstream().publish(event.subject(), body, headers=headers)


def finding(case_id: str, found_at: datetime, occurred_at: datetime) -> ref.FindingRecorded:
    return ref.FindingRecorded(
        occurred_at=occurred_at, actor=TOWN, correlation_id=case_id, case_id=case_id,
        matter_code="M-URB-009", locality=TOWN, owner=OrgRef.model_validate(DEPT),
        urgent=True, found_at=found_at, summary="无证建设")


async def deadline_of(desk: httpx.AsyncClient, org: str, deadline_id: str) -> dict | None:
    answer = await desk.get("/deadlines", params={"org": org})
    assert answer.status_code == 200, answer.text
    return next((d for d in answer.json() if d["_id"] == deadline_id), None)


@pytest.mark.rule("ESC-5")
async def test_a_deadline_opened_through_the_broker_shows_its_declared_and_recorded_times(
        nats_url: str, desk: httpx.AsyncClient) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    case = f"case-core-{uuid.uuid4().hex[:8]}"
    await publish(nats_url, finding(case, now - timedelta(hours=1), now))
    shown = await eventually(lambda: deadline_of(desk, TOWN.id, f"transfer:{case}"),
                             what="the REF-5 deadline")
    assert datetime.fromisoformat(shown["started_at"]) == now - timedelta(hours=1)
    assert datetime.fromisoformat(shown["recorded_at"]) == now
    assert shown["counted_from"] == "started_at"
    assert datetime.fromisoformat(shown["due_at"]) == now + timedelta(hours=23)


@pytest.mark.rule("ESC-5")
async def test_a_start_declared_far_after_its_recording_neither_dead_letters_nor_escapes(
        nats_url: str, desk: httpx.AsyncClient) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    case = f"case-core-{uuid.uuid4().hex[:8]}"
    await publish(nats_url, finding(case, datetime(2199, 12, 31, tzinfo=UTC), now))
    shown = await eventually(lambda: deadline_of(desk, TOWN.id, f"transfer:{case}"),
                             what="the REF-5 deadline")
    assert shown["counted_from"] == "recorded_at"
    assert datetime.fromisoformat(shown["due_at"]) == now + timedelta(hours=24)
    assert "after the recording time" in shown["start_note"]


@pytest.mark.rule("ESC-3")
async def test_a_paused_duty_waits_for_the_dispute_and_then_falls_to_the_owner_it_names(
        app: FastAPI, desk: httpx.AsyncClient) -> None:
    raised = await desk.post("/disputes", headers=acting("street-nanmen"), json={
        "other_party": "dept-water", "matter_code": "M-URB-009", "subject_id": "case-core",
        "subject_kind": "case", "reason": "河道违建归属不清"})
    assert raised.status_code == 201, raised.text
    dispute_id = raised.json()["dispute_id"]
    long_ago = datetime.now(UTC) - timedelta(hours=30)  # REF-5 would be 6 hours late
    deadline_id = f"transfer:case-core-{uuid.uuid4().hex[:8]}"
    await apply(app, Open(deadline_id, "REF-5", "移送", TOWN.model_dump(mode="json"), long_ago),
                Pause(deadline_id, dispute_id, long_ago + timedelta(hours=20)))
    paused = await deadline_of(desk, TOWN.id, deadline_id)
    assert paused is not None and paused["state"] == "paused"
    overdue = (await desk.get("/deadlines/overdue", headers=acting("street-nanmen"))).json()
    assert deadline_id not in [d["_id"] for d in overdue]
    for org in ("dept-water", "street-nanmen"):
        agreed = await desk.post(f"/disputes/{dispute_id}/agreement", headers=acting(org),
                                 json={"owner": "dept-water"})
        assert agreed.status_code == 200, agreed.text
    resumed = await deadline_of(desk, "dept-water", deadline_id)
    assert resumed is not None and resumed["state"] == "open"
    [pause] = resumed["pauses"]
    left = datetime.fromisoformat(resumed["due_at"]) - datetime.fromisoformat(pause["resumed_at"])
    assert left == timedelta(hours=4)  # 24 h limit, 20 h used before the dispute
    assert pause["held_by"]["id"] == TOWN.id and pause["handed_to"]["id"] == "dept-water"
    notices = (await desk.get("/notifications")).json()
    assert deadline_id not in [n["deadline_id"] for n in notices]


async def reported(desk: httpx.AsyncClient, report_id: str) -> list[dict]:
    answer = await desk.get("/notifications", params={"kind": "refusal_reported"})
    assert answer.status_code == 200, answer.text
    return [n for n in answer.json() if n.get("report_id") == report_id]


@pytest.mark.rule("AST-1")
@pytest.mark.rule("ESC-1")
async def test_a_reported_refusal_reaches_the_desk_the_webhook_and_the_counter_once(
        app: FastAPI, desk: httpx.AsyncClient, webhook) -> None:
    _, received = webhook
    report_id = f"rep-{uuid.uuid4().hex[:8]}"
    action = Report(report_id, "AST-1", "书面答复执法协助请求", DEPT, "人手不足，无法派员",
                    datetime.now(UTC))
    await apply(app, action)
    await apply(app, action)  # the same report again: one notice
    [notice] = await eventually(lambda: reported(desk, report_id), what="the reported refusal")
    assert notice["kind"] == "refusal_reported" and notice["reason"] == "人手不足，无法派员"
    assert notice["late_by_seconds"] == 0 and notice["responsible"]["id"] == "dept-water"
    breaches = (await desk.get("/notifications", params={"kind": "breach"})).json()
    assert report_id not in [n.get("report_id") for n in breaches]
    bad = await desk.get("/notifications", params={"kind": "gossip"})
    assert bad.status_code == 422 and "kind" in bad.text

    async def hooked() -> list[dict]:
        return [r for r in received if r["body"].get("report_id") == report_id]

    [call] = await eventually(hooked, what="the webhook call")
    assert call["signed"] and call["body"]["kind"] == "refusal_reported"
    metrics = (await desk.get("/metrics")).text
    samples = {(s.name, frozenset(s.labels.items())): s.value
               for family in text_string_to_metric_families(metrics) for s in family.samples}
    labels = frozenset({"rule": "AST-1", "organisation": "dept-water"}.items())
    assert samples[("liandong_refusals_reported_total", labels)] == 1
    assert ("liandong_breaches_total", labels) not in samples
