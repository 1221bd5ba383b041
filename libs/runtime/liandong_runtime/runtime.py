"""The parts every service is built from, wired once; nothing connects until `start`."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from faststream.nats import NatsBroker, NatsCredentials, NatsSecurity, NatsUserPassword
from faststream.nats.prometheus import NatsPrometheusMiddleware
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from liandong_runtime import telemetry
from liandong_runtime.audit_seal import AuditSealer
from liandong_runtime.consuming import ConsumeMetrics, ContractCheck, Correlation, reliability
from liandong_runtime.deadletters import DeadLetters, watch_max_deliveries
from liandong_runtime.metrics import RuntimeGauges, durables, sample_forever
from liandong_runtime.refdata import ReferenceData, load_reference_data
from liandong_runtime.relay import OutboxRelay
from liandong_runtime.settings import NatsSettings, ServiceSettings
from liandong_runtime.storage import Store, connect
from liandong_runtime.streams import ensure_streams
from liandong_runtime.workdays import WorkingCalendar, load_calendar

log = logging.getLogger("liandong.runtime")


@dataclass
class Runtime:
    settings: ServiceSettings
    registry: CollectorRegistry
    client: AsyncMongoClient[dict[str, Any]]
    store: Store
    broker: NatsBroker
    dead_letters: DeadLetters
    relay: OutboxRelay
    sealer: AuditSealer
    calendar: WorkingCalendar
    refdata: ReferenceData
    tracer_provider: TracerProvider = field(default_factory=TracerProvider)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    background: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def start(self) -> None:
        await self.store.ensure_indexes()
        await self.dead_letters.ensure_indexes()
        for hook in self.on_start:
            await hook()
        await self.broker.connect()
        await ensure_streams(self.broker.config.connection_state.stream, self.settings.nats,
                             own=self.settings.service)
        await self.broker.start()
        self.spawn(self.relay.run())
        self.spawn(self.sealer.run())
        for loop in self.background:
            self.spawn(loop())
        log.info("%s started", self.settings.service)

    def spawn(self, coro: Any) -> None:
        self.tasks.append(asyncio.create_task(coro))

    async def stop(self) -> None:
        await self.broker.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks.clear()
        await self.client.close()
        await asyncio.to_thread(self.tracer_provider.shutdown)  # flushes the exporter


def keep_documents_out_of_logs() -> None:
    """CMP-8: at DEBUG the MongoDB driver logs every command and reply with its documents,
    complainant records included; its command log stays at INFO whatever the root level."""
    driver = logging.getLogger("pymongo.command")
    if driver.level < logging.INFO:
        driver.setLevel(logging.INFO)


def nats_security(nats: NatsSettings) -> NatsSecurity | None:
    """The service's own NATS identity: an nsc .creds file, or a user and password."""
    if nats.credentials_file:
        return NatsCredentials(nats.credentials_file)
    if nats.user:
        return NatsUserPassword(nats.user, nats.password.get_secret_value() if nats.password
                                else "")
    return None


def build_runtime(settings: ServiceSettings) -> Runtime:
    keep_documents_out_of_logs()
    registry = CollectorRegistry()
    client = connect(settings.mongodb)
    store = Store(client, settings.database)
    gauges = RuntimeGauges(registry)
    dead_letters = DeadLetters(store.db, gauges.dead_letters)
    tracing = telemetry.tracer_provider(settings.service, settings.otel_exporter_otlp_endpoint)
    consume_metrics = ConsumeMetrics(registry)
    guard = reliability(dead_letters, consume_metrics, settings.nats.max_deliver)
    broker = NatsBroker(
        settings.nats.servers,
        security=nats_security(settings.nats),
        inbox_prefix=settings.nats.inbox_prefix,
        middlewares=[telemetry.broker_middleware(tracing), Correlation, guard,
                     NatsPrometheusMiddleware(registry=registry), ContractCheck],
        logger=logging.getLogger("liandong.broker"),  # lines formatted like the others
        log_level=logging.DEBUG,
        graceful_timeout=15.0,
    )
    relay = OutboxRelay(store, broker, registry, settings.outbox_poll_s)
    sealer = AuditSealer(store.db, registry, settings.outbox_poll_s)
    store.on_commit += [relay.poke, sealer.poke]
    rt = Runtime(
        settings=settings, registry=registry, client=client, store=store, broker=broker,
        dead_letters=dead_letters, relay=relay, sealer=sealer, tracer_provider=tracing,
        calendar=load_calendar(settings.calendar_file),
        refdata=load_reference_data(settings.refdata_dir),
    )
    gauges.show_calendar(rt.calendar)
    rt.background.append(lambda: sample_forever(gauges, rt))
    rt.background.append(lambda: watch_max_deliveries(
        broker.config.connection_state.connection, broker.config.connection_state.stream,
        durables(broker), dead_letters, consume_metrics.rejected))
    return rt
