"""liandong_client: an organisation's own system on the liandong bus.

    client = await OrgClient.connect("nats://…", "dept-urban", password="…")  # or creds=
    answer = await client.command("referral", "accept", id=case_id, command_id="accept-1")
    async with client.events(slot=1) as events:
        await events.consume(handle, seen)   # typed events, acked once handled

- Events are the contracts of `liandong_contracts` (pydantic models), decoded and checked
  from the CloudEvents headers and body; what an organisation receives is exactly what is
  addressed to it (`liandong.to.<org>.<producer>.<event>.v<N>`).
- `consume` acks an event once the handler returns, skips (and acks) one the `Seen` store
  already knows (delivery is at least once), asks again later for one whose handler
  raised, and terminates one that is not a valid event (it will not get better).
- `command` sends a command by request-reply and returns `Accepted` or `Refusal` (status,
  rule ID, field), never raises for a refusal. Send a repeat with the same `command_id`:
  within a day it gets the first answer again and changes nothing.
"""

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import ValidationError

from liandong_contracts.cloudevents import ContractViolation, from_message
from liandong_contracts.envelope import Event
from liandong_runtime.addressing import ADDRESSED_STREAM, org_subjects, original_subject
from liandong_runtime.bus_commands import command_subject
from liandong_runtime.nats_permissions import org_durables
from liandong_runtime.settings import inbox_of

__all__ = ["Accepted", "Delivery", "Events", "FileSeen", "MemorySeen", "OrgClient", "Refusal"]
log = logging.getLogger("liandong_client")
WAITING_S = 0.01  # how long `fetch` lingers for the rest of a batch after the first


@dataclass(frozen=True)
class Accepted:
    status: int
    result: dict[str, Any]
    ok: bool = True


@dataclass(frozen=True)
class Refusal:
    """What the HTTP API would have answered: status, the rule (if any), the field."""

    status: int
    detail: str
    field: str | None = None
    rule: str | None = None
    ok: bool = False


@dataclass(frozen=True)
class Delivery:
    event: Event
    subject: str  # the event's own subject, `liandong.<producer>.<event>.v<N>`
    sequence: int  # its place in the organisation's addressed stream
    msg: Msg = field(repr=False)


class MemorySeen:
    """The event ids handled, in memory (a process that restarts handles repeats)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def __contains__(self, event_id: object) -> bool:
        return event_id in self.ids

    def add(self, event_id: str) -> None:
        self.ids.add(event_id)


class FileSeen(MemorySeen):
    """The event ids handled, kept in a file (one a line) across restarts."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        if path.exists():
            self.ids = set(path.read_text().split())

    def add(self, event_id: str) -> None:
        super().add(event_id)
        with self.path.open("a") as out:
            out.write(f"{event_id}\n")


Seen = MemorySeen


class Events:
    """Pulls an organisation's addressed events through one of its durables."""

    def __init__(self, client: "OrgClient", durable: str, sub: Any) -> None:
        self.client, self.durable, self.sub = client, durable, sub

    async def fetch(self, batch: int = 16, timeout: float = 1.0) -> list[Delivery | Msg]:
        """The next events (a `Msg` for one that is not a valid event), [] when idle.

        The first is waited for at most `timeout`; then whatever else is already waiting,
        up to `batch`. (nats-py's fetch of n, once one message came, waits out its whole
        timeout for the other n - 1: the first event would be late by up to `timeout`.)"""
        try:
            msgs = await self.sub.fetch(1, timeout=timeout)
        except (nats.errors.TimeoutError, TimeoutError):
            return []
        if batch > 1:
            try:
                msgs += await self.sub.fetch(batch - 1, timeout=WAITING_S)
            except (nats.errors.TimeoutError, TimeoutError):
                pass
        return [self._decode(msg) for msg in msgs]

    def _decode(self, msg: Msg) -> Delivery | Msg:
        try:
            org, subject = original_subject(msg.subject)
            event = from_message(msg.headers, msg.data)
        except (ContractViolation, ValidationError, ValueError, UnicodeDecodeError) as exc:
            log.error("not a liandong event on %s: %s", msg.subject, exc)
            return msg
        if org != self.client.org or event.subject() != subject:
            log.error("event %s on %s is not addressed to %s", event.event_id, msg.subject,
                      self.client.org)
            return msg
        return Delivery(event, subject, msg.metadata.sequence.stream, msg)

    async def consume(self, handle: Callable[[Delivery], Awaitable[None]], seen: MemorySeen,
                      *, stop: asyncio.Event | None = None, retry_s: float = 2.0) -> None:
        """Until `stop` is set: each new event to `handle`, acked once handled."""
        while stop is None or not stop.is_set():
            for item in await self.fetch():
                if not isinstance(item, Delivery):
                    await item.term()  # not an event: redelivering cannot mend it
                    continue
                event_id = str(item.event.event_id)
                if event_id in seen:
                    await item.msg.ack()
                    continue
                try:
                    await handle(item)
                except Exception:
                    log.exception("handling %s failed; asked again in %s s", event_id, retry_s)
                    await item.msg.nak(delay=retry_s)
                    continue
                seen.add(event_id)
                await item.msg.ack()


class OrgClient:
    def __init__(self, nc: NatsClient, org: str) -> None:
        self.nc, self.org = nc, org
        self.js = nc.jetstream(timeout=5)

    @classmethod
    async def connect(cls, url: str, org: str, *, password: str | None = None,
                      creds: str | None = None, **options: Any) -> "OrgClient":
        """As the organisation's NATS user: a user and password (embedded server) or the
        .creds of its nsc user (production)."""
        login: dict[str, Any] = {"user_credentials": creds} if creds else {
            "user": org, "password": password}
        nc = await nats.connect(url, inbox_prefix=inbox_of(org), name=f"liandong-client {org}",
                                **login, **options)
        return cls(nc, org)

    async def close(self) -> None:
        await self.nc.drain()

    @asynccontextmanager
    async def events(self, slot: int = 1, *, only: str = ">",
                     ack_wait_s: float = 30) -> AsyncIterator[Events]:
        """One of the organisation's durables (`<org>-<slot>`), created if missing, on its
        addressed events (`only`: a narrower filter below them, e.g. `referral.>`)."""
        durable = org_durables(self.org)[slot - 1]
        config = ConsumerConfig(
            name=durable, durable_name=durable,
            filter_subject=org_subjects(self.org)[:-1] + only,
            ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.ALL,
            ack_wait=ack_wait_s, max_ack_pending=1000)
        await self.js.add_consumer(ADDRESSED_STREAM, config)
        sub = await self.js.pull_subscribe_bind(durable=durable, stream=ADDRESSED_STREAM)
        try:
            yield Events(self, durable, sub)
        finally:
            await sub.unsubscribe()

    async def command(self, service: str, command: str, *, id: str | None = None,
                      input: dict[str, Any] | None = None, person: str | None = None,
                      command_id: str | None = None,
                      timeout: float = 10) -> Accepted | Refusal:
        """Send a command in the organisation's name; the answer, or the refusal."""
        message = {"command_id": command_id or uuid.uuid4().hex, "input": input or {},
                   **({"id": id} if id else {}), **({"person": person} if person else {})}
        reply = await self.nc.request(command_subject(self.org, service, command),
                                      json.dumps(message).encode(), timeout=timeout)
        answer = json.loads(reply.data)
        if answer.get("ok"):
            return Accepted(answer["status"], answer.get("result") or {})
        return Refusal(answer["status"], answer.get("detail", ""), answer.get("field"),
                       answer.get("rule"))
