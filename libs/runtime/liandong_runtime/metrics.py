"""What every service measures beside FastStream's messaging metrics: HTTP requests, the
lag of its durable consumers, its dead letters and the calendar's missing years.

Names and labels follow the metric catalogue the alerts and dashboards are written
against. Label values stay bounded and carry no personal data: a route is the matched
route's template (`/cases/{case_id}`, or `unmatched`), a method one of the standard
ones, a consumer one of the service's durable names, a year this one or the next.
"""

import asyncio
import logging
import time
from contextlib import suppress
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from fastapi import FastAPI
from faststream.nats import NatsBroker
from nats.js.errors import NotFoundError
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from liandong_runtime.workdays import SHANGHAI, WorkingCalendar

if TYPE_CHECKING:
    from liandong_runtime.runtime import Runtime

log = logging.getLogger("liandong.metrics")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
NOT_COUNTED = frozenset({"/metrics"})  # Prometheus's own scrapes would swamp the rest
SAMPLE_INTERVAL_S = 15.0  # Prometheus scrapes every 15 s: sampling more often is waste
_DURABLES: "WeakKeyDictionary[NatsBroker, dict[str, str]]" = WeakKeyDictionary()


class HttpMetrics:
    """The two HTTP series; one per service registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "liandong_http_requests", "HTTP requests by method, route template and status",
            ["method", "route", "status"], registry=registry)
        self.duration = Histogram(
            "liandong_http_request_duration_seconds",
            "HTTP request latency by method and route template",
            ["method", "route"], registry=registry)

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_template(scope)
        if route in NOT_COUNTED:
            return
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        self.requests.labels(method, route, str(status)).inc()
        self.duration.labels(method, route).observe(seconds)


def route_template(scope: Scope) -> str:
    """The path template of the route the router matched; never the raw path."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(template) if template else UNMATCHED


class HttpMetricsMiddleware:
    """Pure ASGI middleware: the router has set `scope["route"]` by the time it returns."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            self.metrics.observe(scope, status, time.perf_counter() - started)


def install_http_metrics(app: FastAPI, registry: CollectorRegistry) -> None:
    app.add_middleware(HttpMetricsMiddleware, metrics=HttpMetrics(registry))


def register_durable(broker: NatsBroker, stream: str, durable: str) -> None:
    """Called as each subscriber is declared, so the lag sampler knows what to ask about."""
    _DURABLES.setdefault(broker, {})[durable] = stream


def durables(broker: NatsBroker) -> dict[str, str]:
    return dict(_DURABLES.get(broker, {}))


class RuntimeGauges:
    """Dead letters, consumer lag and missing calendar years, sampled every few seconds."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.dead_letters = Gauge(
            "liandong_dead_letters", "Dead letters stored", registry=registry)
        self.pending = Gauge(
            "liandong_consumer_pending", "Messages not yet delivered to the durable consumer",
            ["consumer"], registry=registry)
        self.ack_pending = Gauge(
            "liandong_consumer_ack_pending", "Messages delivered but not yet acknowledged",
            ["consumer"], registry=registry)
        self.calendar_missing = Gauge(
            "liandong_calendar_official_data_missing",
            "1 when the official working-day calendar of the year is missing",
            ["year"], registry=registry)

    def show_calendar(self, calendar: WorkingCalendar, today: date | None = None) -> None:
        """This year and the next, by the calendar's own clock (Asia/Shanghai)."""
        today = today or datetime.now(SHANGHAI).date()
        missing = set(calendar.missing_years(today))
        self.calendar_missing.clear()
        for year in (today.year, today.year + 1):
            self.calendar_missing.labels(str(year)).set(year in missing)

    async def sample_consumers(self, js: Any, consumers: dict[str, str]) -> None:
        for durable, stream in consumers.items():
            try:
                info = await js.consumer_info(stream, durable, timeout=2)
            except NotFoundError:  # not created yet, or deleted by an operator
                for gauge in (self.pending, self.ack_pending):
                    with suppress(KeyError):
                        gauge.remove(durable)
                continue
            self.pending.labels(durable).set(info.num_pending or 0)
            self.ack_pending.labels(durable).set(info.num_ack_pending or 0)


async def sample_forever(gauges: RuntimeGauges, rt: "Runtime",
                         interval_s: float = SAMPLE_INTERVAL_S) -> None:
    """A background loop of the runtime: each round samples everything it can."""
    while True:
        try:
            await sample_once(gauges, rt)
        except Exception:
            log.exception("sampling operator metrics failed; retrying")
        await asyncio.sleep(interval_s)


async def sample_once(gauges: RuntimeGauges, rt: "Runtime") -> None:
    """The database and the broker are asked side by side: one away spoils nothing else."""
    gauges.show_calendar(rt.calendar)
    js = rt.broker.config.connection_state.stream
    counted, sampled = await asyncio.gather(
        rt.dead_letters.count(), gauges.sample_consumers(js, durables(rt.broker)),
        return_exceptions=True)
    if isinstance(counted, int):
        gauges.dead_letters.set(counted)
    for failure in (counted, sampled):
        if isinstance(failure, BaseException):
            log.warning("operator metrics not sampled: %s: %s", type(failure).__name__, failure)
