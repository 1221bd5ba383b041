"""One trace from a finding posted to referral to the deadline escalation opens for it.

Both apps run in-process on the session's NATS and database; their spans go to one
in-memory exporter. The event crosses the outbox and the relay, so the trace survives
only if the emit stores the context and the relay publishes in it.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TypeVar

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from escalation.bootstrap import EscalationSettings
from escalation.bootstrap import build_app as build_escalation
from liandong_runtime.settings import MongoSettings, NatsSettings
from referral.bootstrap import ReferralSettings
from referral.bootstrap import build_app as build_referral
from tests.support import acting

T = TypeVar("T")
FOUND = "liandong.referral.finding_recorded.v1"
TOWN = acting("town-hexi")
# a matter no other test moves to the township by a catalogue correction
FINDING = {"matter_code": "M-ENV-005", "locality": "town-hexi", "summary": "无证排污",
           "found_at": "2026-11-27T10:00:00+08:00"}


def traced(app: FastAPI, exporter: InMemorySpanExporter) -> httpx.AsyncClient:
    app.state.runtime.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


@pytest.fixture
async def district(nats_url: str, mongo_url: str) -> AsyncIterator[tuple]:
    run = uuid.uuid4().hex[:8]
    nats = NatsSettings(url=nats_url)
    referral = build_referral(ReferralSettings(
        nats=nats, outbox_poll_s=0.05,
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_trace_ref_{run}")))
    escalation = build_escalation(EscalationSettings(
        nats=nats, outbox_poll_s=0.05, watch_interval_s=5,
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_trace_esc_{run}")))
    exporter = InMemorySpanExporter()
    async with AsyncExitStack() as stack:
        for app in (referral, escalation):
            await stack.enter_async_context(app.router.lifespan_context(app))
        ref = await stack.enter_async_context(traced(referral, exporter))
        esc = await stack.enter_async_context(traced(escalation, exporter))
        yield ref, esc, exporter


async def eventually(check: Callable[[], Awaitable[T]], what: str, tries: int = 100) -> T:
    for _ in range(tries):
        if found := await check():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {tries / 10:.0f} s: {what}")


def in_trace(exporter: InMemorySpanExporter, trace_id: int) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.context.trace_id == trace_id]


def service(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


async def test_one_trace_spans_the_finding_in_referral_and_its_deadline_in_escalation(
    district: tuple,
) -> None:
    ref, esc, exporter = district
    # a township records a finding over HTTP
    answer = await ref.post("/cases", json=FINDING, headers=TOWN)
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["case_id"]

    # escalation consumes the event and opens the REF-4 transfer deadline
    async def deadline_open() -> bool:
        deadlines = (await esc.get("/deadlines", headers=TOWN)).json()
        return any(d["_id"] == f"transfer:{case_id}" for d in deadlines)
    await eventually(deadline_open, "escalation opens the transfer deadline")

    [request] = [s for s in exporter.get_finished_spans()
                 if s.kind is SpanKind.SERVER and s.name == "POST /cases"
                 and service(s) == "referral"]

    async def consumed() -> list[ReadableSpan]:
        return [s for s in in_trace(exporter, request.context.trace_id)
                if s.name == f"{FOUND} process" and service(s) == "escalation"]
    [consume] = await eventually(consumed, "escalation's consume span ends")

    trace = in_trace(exporter, request.context.trace_id)
    [publish] = [s for s in trace if s.name == f"{FOUND} publish"]
    assert service(publish) == "referral" and publish.kind is SpanKind.PRODUCER
    assert consume.kind is SpanKind.CONSUMER
    assert consume.attributes["messaging.destination_publish.name"] == FOUND
    # the chain: request -> (outbox, relay) create -> publish; create -> escalation's process
    spans = {s.context.span_id: s for s in trace}
    assert spans[publish.parent.span_id].parent.span_id == request.context.span_id
    assert consume.parent.span_id == publish.parent.span_id
