"""The sharing app in-process over the session's real NATS server and database."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
import pytest
from nats.js.errors import NotFoundError

from liandong_runtime.limits import Limits
from liandong_runtime.runtime import Runtime
from liandong_runtime.settings import MongoSettings, NatsSettings
from sharing.bootstrap import SharingSettings, build_app
from tests.support import acting, eventually

STREAM = "LIANDONG_SHARING"


@dataclass
class Message:
    subject: str
    headers: dict[str, str]
    data: bytes


@dataclass
class Sharing:
    http: httpx.AsyncClient
    rt: Runtime

    def due(self, formed_at: datetime) -> datetime:
        return Limits().due("SHR-4", formed_at, self.rt.calendar)

    async def publish(self, org: str, **fields: Any) -> httpx.Response:
        body = {"category": "other", "title": "执法工作简报", "audience": "all",
                "formed_at": ago(minutes=5), "summary": "简报", **fields}
        return await self.http.post("/info", json=body, headers=acting(org))

    async def get(self, path: str, org: str, **params: Any) -> httpx.Response:
        return await self.http.get(path, params=params, headers=acting(org))

    async def settled(self) -> None:
        """Every committed event has left the outbox."""
        outbox = self.rt.store.db.outbox
        await eventually(lambda: _none_pending(outbox))


async def _none_pending(outbox: Any) -> bool:
    return await outbox.count_documents({"pending_since": {"$exists": True}}) == 0


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


async def stream_messages(url: str, stream: str = STREAM) -> list[Message]:
    """Every message the stream holds, in order."""
    async with await nats.connect(url) as nc:
        js = nc.jetstream()
        state = (await js.stream_info(stream)).state
        found = []
        for seq in range(state.first_seq, state.last_seq + 1):
            try:
                raw = await js.get_msg(stream, seq)
            except NotFoundError:
                continue
            found.append(Message(str(raw.subject), dict(raw.headers or {}), raw.data or b""))
        return found


async def events_of(url: str, correlation_id: str) -> list[str]:
    """The types of the events about one piece of information, in stream order."""
    return [m.subject.split(".")[2] for m in await stream_messages(url)
            if m.headers.get("ce-subject") == correlation_id]


@pytest.fixture
async def sharing(nats_url: str, mongo_url: str) -> AsyncIterator[Sharing]:
    settings = SharingSettings(
        nats=NatsSettings(url=nats_url),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_sharing_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05)
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield Sharing(client, app.state.runtime)
