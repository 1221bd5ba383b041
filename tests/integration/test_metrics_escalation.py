"""Escalation's /metrics after a real breach: business, HTTP and consumer-lag series.

The app runs in-process against the session's NATS and database with a 2-second DSP-1
limit; the dispute is between Shiqiao township and culture and tourism, a pair no other
test uses, so the values for these labels are exact.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from escalation.bootstrap import EscalationSettings, build_app
from escalation.entrypoints.consumers import WATCHED
from liandong_runtime.settings import MongoSettings, NatsSettings
from tests.support import acting

SHIQIAO, CULTURE = acting("town-shiqiao"), acting("dept-culture-tourism")
MINE = {"rule": "DSP-1", "organisation": "town-shiqiao"}
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
async def desk(nats_url: str, mongo_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = EscalationSettings(
        nats=NatsSettings(url=nats_url),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_escm_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05, watch_interval_s=0.1, business_metrics_interval_s=0.1,
        limits={"DSP-1": "2s"})
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        # the district government's desk, unless a request names another caller
        async with httpx.AsyncClient(transport=transport, base_url="http://t",
                                     headers=acting("district-gov")) as client:
            yield client


async def scrape(desk: httpx.AsyncClient) -> Samples:
    text = (await desk.get("/metrics")).text
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def scrape_until(desk: httpx.AsyncClient, ok: Callable[[Samples], bool]) -> Samples:
    for _ in range(300):  # 30 s: a loaded CI machine is slow, a passing run is not
        if ok(samples := await scrape(desk)):
            return samples
        await asyncio.sleep(0.1)
    raise AssertionError("the metrics never showed it")


def consumers(samples: Samples) -> set[str]:
    return {dict(labels)["consumer"] for name, labels in samples
            if name == "liandong_consumer_pending"}


async def raise_dispute(desk: httpx.AsyncClient) -> str:
    body = {"other_party": "dept-culture-tourism", "matter_code": "M-URB-009",
            "subject_id": "case-metrics", "reason": "演出场地违建归属不清"}
    answer = await desk.post("/disputes", json=body, headers=SHIQIAO)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["dispute_id"])


async def test_a_breach_shows_in_the_business_and_http_metrics(desk) -> None:
    # a dispute opens a DSP-1 duty for Shiqiao; a second one is settled at once
    breached = await raise_dispute(desk)
    settled = await raise_dispute(desk)
    for headers in (CULTURE, SHIQIAO):
        await desk.post(f"/disputes/{settled}/agreement", json={"owner": "town-shiqiao"},
                        headers=headers)
    samples = await scrape_until(desk, lambda s: value(s, "liandong_duties_open", **MINE) == 1)
    assert value(samples, "liandong_duty_completion_working_hours_count", rule="DSP-1") >= 1
    # the limit passes: one breach, the government notified, the duty overdue, not open
    # (an open duty past its due time counts as overdue before the watcher breaches it, so
    # wait for the breach and the next refresh of the gauges)
    samples = await scrape_until(
        desk, lambda s: value(s, "liandong_breaches_total", **MINE) == 1
        and value(s, "liandong_duties_open", **MINE) is None
        and value(s, "liandong_disputes", state="escalated") == 1)
    assert value(samples, "liandong_duties_overdue", **MINE) == 1
    breaches = sum(v for (name, _), v in samples.items() if name == "liandong_breaches_total")
    assert value(samples, "liandong_notifications_total") == breaches >= 1
    assert value(samples, "liandong_disputes", state="settled") == 1
    # HTTP: route templates, never the dispute id, and 404s of unknown paths pooled
    await desk.get(f"/disputes/{breached}")
    await desk.get(f"/nowhere/{breached}")
    samples = await scrape(desk)
    http = "liandong_http_requests_total"
    assert value(samples, http, method="POST", route="/disputes", status="201") == 2
    assert value(samples, http, method="POST", route="/disputes/{dispute_id}/agreement",
                 status="200") == 2
    assert value(samples, http, method="GET", route="/disputes/{dispute_id}", status="200") == 1
    assert value(samples, http, method="GET", route="unmatched", status="404") == 1
    assert not any(breached in str(labels) for _, labels in samples)


async def test_consumer_lag_and_dead_letters_are_sampled_at_start(desk) -> None:
    samples = await scrape_until(desk, lambda s: len(consumers(s)) == len(WATCHED))
    assert "escalation-referral-case-transferred" in consumers(samples)
    assert all(("liandong_consumer_ack_pending", labels) in samples
               for name, labels in samples if name == "liandong_consumer_pending")
    assert value(samples, "liandong_dead_letters") == 0
    years = {dict(labels)["year"] for name, labels in samples
             if name == "liandong_calendar_official_data_missing"}
    assert len(years) == 2
