"""How every JetStream subscriber of liandong consumes: explicitly, and never loses.

Subscribers use `AckPolicy.MANUAL`; the `Reliability` middleware decides each outcome:
- handled (or already handled: the inbox said so) -> ack;
- the message violates its contract (`ContractCheck`, before the handler) -> dead-letter,
  terminate, count (no redelivery);
- any other error -> negative ack with back-off, until the consumer's maximum
  deliveries, then dead-letter and terminate.

A pull fetches up to PULL_BATCH messages and FastStream handles them concurrently (a backlog
drains with many transactions at the database at once); messages of one aggregate (the same
`ce-subject`, the key the relay publishes them in order by) are handled one at a time, in
the order they were fetched. An idle pull waits PULL_TIMEOUT_S at the server: a message is
delivered the moment it arrives, and an idle service wakes up rarely.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import unquote

from faststream import AckPolicy
from faststream.middlewares import BaseMiddleware
from faststream.nats import ConsumerConfig, NatsBroker, PullSub
from faststream.nats.message import NatsMessage
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy
from prometheus_client import CollectorRegistry, Counter
from pydantic import ValidationError

from liandong_contracts.cloudevents import MAX_EVENT_BYTES, ContractViolation, from_message
from liandong_contracts.envelope import Event
from liandong_runtime.deadletters import DeadLetters
from liandong_runtime.logs import correlated
from liandong_runtime.metrics import register_durable
from liandong_runtime.settings import NatsSettings
from liandong_runtime.storage import AlreadyProcessed
from liandong_runtime.streams import jstream, stream_name

log = logging.getLogger("liandong.consuming")
CONTRACT_ERRORS = (ValidationError, ContractViolation, UnicodeDecodeError)
PULL_BATCH = 64
PULL_TIMEOUT_S = 5.0


class KeyedLocks:
    """One FIFO lock a key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str | None) -> AsyncIterator[None]:
        if key is None:
            yield
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]


def backoff_s(deliveries: int) -> float:
    """1 s, 2 s, 4 s ... capped at 60 s."""
    return float(min(60, 2 ** max(0, deliveries - 1)))


class ConsumeMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.rejected = Counter(
            "liandong_messages_rejected", "Messages dead-lettered, by subject and kind",
            ["subject", "kind"], registry=registry,
        )
        self.redelivered = Counter(
            "liandong_messages_retried", "Negative acks for a transient error, by subject",
            ["subject"], registry=registry,
        )
        self.duplicates = Counter(
            "liandong_messages_duplicate", "Redeliveries the inbox recognised, by subject",
            ["subject"], registry=registry,
        )
        self.redeliveries = Counter(
            "liandong_messages_redelivered", "Deliveries after the first (num_delivered > 1)",
            ["subject"], registry=registry,
        )


def reliability(
    dead_letters: DeadLetters, metrics: ConsumeMetrics, max_deliver: int
) -> type[BaseMiddleware]:
    """The middleware class bound to this service's dead-letter store and metrics."""
    aggregates = KeyedLocks()

    class Reliability(BaseMiddleware):
        async def consume_scope(self, call_next: Callable[..., Any], msg: NatsMessage) -> Any:
            async with aggregates.hold((msg.raw_message.headers or {}).get("ce-subject")):
                return await self._consume(call_next, msg)

        async def _consume(self, call_next: Callable[..., Any], msg: NatsMessage) -> Any:
            meta = msg.raw_message.metadata
            if meta.num_delivered > 1:
                metrics.redeliveries.labels(msg.raw_message.subject).inc()
            try:
                result = await call_next(msg)
            except AlreadyProcessed:
                metrics.duplicates.labels(msg.raw_message.subject).inc()
                result = None
            except CONTRACT_ERRORS as exc:
                await _give_up(msg, "contract", _reason(exc))
                return None
            except Exception as exc:
                if meta.num_delivered >= max_deliver:
                    await _give_up(msg, "exhausted", f"{type(exc).__name__}: {exc}")
                else:
                    log.warning("retrying %s after %s", msg.raw_message.subject, exc)
                    metrics.redelivered.labels(msg.raw_message.subject).inc()
                    await msg.nack(delay=backoff_s(meta.num_delivered))
                return None
            await msg.ack()
            return result

    async def _give_up(msg: NatsMessage, kind: str, reason: str) -> None:
        raw = msg.raw_message
        log.error("dead-lettered %s (%s): %s", raw.subject, kind, reason)
        await dead_letters.park(
            consumer=raw.metadata.consumer or "", subject=raw.subject,
            stream=raw.metadata.stream, stream_seq=raw.metadata.sequence.stream,
            deliveries=raw.metadata.num_delivered, kind=kind,  # type: ignore[arg-type]
            reason=reason, headers=dict(raw.headers or {}), body=raw.data,
        )
        metrics.rejected.labels(raw.subject, kind).inc()
        await msg.reject()

    return Reliability


class ContractCheck(BaseMiddleware):
    """The innermost middleware: a message that breaks its contract raises before the
    handler, inside the messaging metrics (counted as a handler exception) and inside
    `Reliability` (parked on first delivery with the reason)."""

    async def consume_scope(self, call_next: Callable[..., Any], msg: NatsMessage) -> Any:
        check_contract(msg.raw_message)
        return await call_next(msg)


def check_contract(raw: Msg) -> None:
    """The whole contract, before the handler runs: size, UTF-8, JSON, type and version,
    fields, CloudEvents headers agreeing with the body, and the subject it came on."""
    if len(raw.data) > MAX_EVENT_BYTES:
        raise ContractViolation(f"payload of {len(raw.data)} bytes is over the limit of "
                                f"{MAX_EVENT_BYTES}", code="too_large")
    event = from_message(raw.headers, raw.data)
    if event.subject() != raw.subject:
        raise ContractViolation(f"a {event.subject()} event published on {raw.subject}",
                                code="header_mismatch")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ContractViolation):
        return f"{exc.code}: {exc.reason}"
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:10]
        )
    return f"{type(exc).__name__}: {exc}"


def subscriber(
    broker: NatsBroker, event: type[Event], *, consumer: str, settings: NatsSettings
) -> Callable[..., Any]:
    """A durable pull subscriber on `event`'s subject; replicas share the consumer."""
    register_durable(broker, stream_name(event.producer), consumer)
    return broker.subscriber(
        event.subject(),
        stream=jstream(event.producer),
        durable=consumer,
        pull_sub=PullSub(batch_size=PULL_BATCH, timeout=PULL_TIMEOUT_S),
        inbox_prefix=f"{settings.inbox_prefix}.".encode(),
        ack_policy=AckPolicy.MANUAL,
        config=ConsumerConfig(
            ack_wait=settings.ack_wait_s,
            max_deliver=settings.max_deliver + 1,
            deliver_policy=DeliverPolicy.ALL,
        ),
        title=f"{consumer}:{event.subject()}",
    )


class Correlation(BaseMiddleware):
    """Log lines written while a message is consumed carry its event's correlation id."""

    async def consume_scope(self, call_next: Callable[..., Any], msg: NatsMessage) -> Any:
        given = (msg.headers or {}).get("ce-correlationid")
        with correlated(unquote(given) if given else None):
            return await call_next(msg)
