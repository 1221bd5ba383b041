"""MongoDB access: one client per process, and the transaction every change runs in.

A change runs in `Store.transaction(...)`: the state it writes, the events it emits
(outbox) and the id of the event it consumed (inbox, unique) commit together or not at
all, with the change's entry in the audit journal (`audit.py`; the sealer chains it). A
consumed event already in the inbox makes the whole change a no-op. What must happen once
and only after the commit (a log line, a counter) goes to `Tx.after_commit`: a retried
attempt never runs it twice.
"""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from pymongo import ASCENDING, AsyncMongoClient, WriteConcern
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from liandong_contracts.cloudevents import encode
from liandong_contracts.envelope import Event
from liandong_runtime import audit, telemetry
from liandong_runtime.acting import Acting
from liandong_runtime.settings import MongoSettings

T = TypeVar("T")
log = logging.getLogger("liandong.storage")


def connect(settings: MongoSettings) -> AsyncMongoClient[dict[str, Any]]:
    """A client with the durable write concern; it connects lazily, on first use."""
    return AsyncMongoClient(
        settings.url,
        tz_aware=True,
        uuidRepresentation="standard",
        w=settings.write_concern,
        serverSelectionTimeoutMS=5000,
    )


ATTEMPTS = 5


class ConcurrentUpdate(Exception):
    """Someone saved the same aggregate first (its version moved on); the transaction is
    run again from the start, up to ATTEMPTS times."""


class AlreadyProcessed(Exception):
    """The consumed event is in the inbox: this delivery is a redelivery."""


@dataclass
class Tx:
    """One open transaction: the database bound to a session, plus what it emits."""

    db: AsyncDatabase[dict[str, Any]]
    session: AsyncClientSession
    emitted: list[Event] = field(default_factory=list)
    committed: list[Callable[[], None]] = field(default_factory=list)

    def emit(self, *events: Event) -> None:
        self.emitted.extend(events)

    def after_commit(self, effect: Callable[[], None]) -> None:
        """Run `effect` (a log line, a metric) once this transaction has committed: never
        for an attempt that was rolled back and run again."""
        self.committed.append(effect)

    async def _write_outbox(self) -> None:
        if not self.emitted:
            return
        now = datetime.now(UTC)
        docs = [_outbox_doc(event, now) for event in self.emitted]
        await self.db.outbox.insert_many(docs, ordered=True, session=self.session)


def _outbox_doc(event: Event, now: datetime) -> dict[str, Any]:
    """`trace`: the W3C context the event was emitted in, which the relay publishes it in."""
    body, headers = encode(event)
    return {
        "_id": str(event.event_id),
        "subject": event.subject(),
        "body": body,
        "headers": headers,
        "trace": telemetry.carrier(),
        "created_at": now,
        "pending_since": now,
    }


class Store:
    """A service's database and its transaction helper."""

    def __init__(self, client: AsyncMongoClient[dict[str, Any]], database: str) -> None:
        self.client = client
        self.db = client.get_database(database, write_concern=WriteConcern("majority"))
        self.on_commit: list[Callable[[Tx], None]] = []  # the relay's and sealer's pokes

    async def ensure_indexes(self) -> None:
        await self.db.outbox.create_index([("pending_since", ASCENDING)], sparse=True)

    async def ping(self) -> None:
        await self.client.admin.command("ping")

    async def transaction(
        self,
        work: Callable[[Tx], Awaitable[T]],
        *,
        consumed: tuple[str, str] | None = None,
        acting: Acting | None = None,
    ) -> T:
        """Run `work` in a transaction; `consumed` = (consumer, event id) for the inbox,
        `acting` = who asked for it (the audit entry names them even if nothing is emitted).

        Raises AlreadyProcessed, changing nothing, when the consumer saw the event before.
        A ConcurrentUpdate raised by `work` runs it again from the start.
        """
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self.client.start_session() as session:
                    result, tx = await session.with_transaction(
                        lambda s: self._attempt(work, s, consumed, acting))
            except ConcurrentUpdate:
                if attempt == ATTEMPTS:
                    raise
                continue
            for effect in tx.committed:
                try:
                    effect()
                except Exception:  # the change is committed: an effect's failure is only logged
                    log.exception("after-commit effect %r failed", effect)
            for poke in self.on_commit:
                poke(tx)
            return result
        raise AssertionError("unreachable")

    async def _attempt(
        self,
        work: Callable[[Tx], Awaitable[T]],
        session: AsyncClientSession,
        consumed: tuple[str, str] | None,
        acting: Acting | None,
    ) -> tuple[T, Tx]:
        tx = Tx(self.db, session)
        if consumed is not None:
            await _record_inbox(tx, *consumed)
        result = await work(tx)
        await tx._write_outbox()
        await audit.append(tx, consumed, acting)
        return result, tx


async def _record_inbox(tx: Tx, consumer: str, event_id: str) -> None:
    """The unique _id is the guard: a redelivery fails the insert and changes nothing."""
    key = f"{consumer}:{event_id}"
    doc = {"_id": key, "consumer": consumer, "event_id": event_id,
           "processed_at": datetime.now(UTC)}
    try:
        await tx.db.inbox.insert_one(doc, session=tx.session)
    except DuplicateKeyError as exc:
        raise AlreadyProcessed(key) from exc
