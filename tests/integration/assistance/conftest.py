"""The assistance app in-process over the session's real NATS and database, and a reader of
its JetStream stream."""

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import nats
import pytest

from assistance.bootstrap import AssistanceSettings, build_app
from liandong_contracts.envelope import stream_subjects
from liandong_runtime.runtime import Runtime
from liandong_runtime.settings import MongoSettings, NatsSettings
from liandong_runtime.streams import stream_name
from tests.support import acting, eventually

TOWN = acting("town-hexi", "staff-007")
MARKET = acting("dept-market")
LETTER = {"title": "协助函", "uri": "https://files.example/ast/letter.pdf"}
OPINION = {"title": "鉴定意见", "uri": "https://files.example/ast/opinion.pdf"}


def settings_for(nats_url: str, mongo_url: str, **limits: str) -> AssistanceSettings:
    database = f"liandong_assistance_it{uuid.uuid4().hex[:8]}"
    return AssistanceSettings(nats=NatsSettings(url=nats_url),
                              mongodb=MongoSettings(url=mongo_url, database=database),
                              outbox_poll_s=0.05, limits=limits)


@dataclass
class Service:
    http: httpx.AsyncClient
    rt: Runtime

    async def settled(self) -> None:
        """The relay has published everything committed: nothing is pending in the outbox."""
        pending = {"pending_since": {"$exists": True}}
        await eventually(lambda: self._none(pending))

    async def _none(self, query: dict[str, Any]) -> bool:
        return await self.rt.store.db.outbox.count_documents(query) == 0


@asynccontextmanager
async def running(settings: AssistanceSettings) -> AsyncIterator[Service]:
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield Service(client, app.state.runtime)


@pytest.fixture(scope="module")
async def svc(nats_url: str, mongo_url: str) -> AsyncIterator[Service]:
    async with running(settings_for(nats_url, mongo_url)) as service:
        yield service


class Stream:
    """Reads the assistance stream back, as the escalation service would receive it."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def events(self, correlation_id: str) -> list[dict[str, Any]]:
        """Every event of one aggregate now in the stream, in stream order."""
        async with await nats.connect(self.url) as nc:
            js = nc.jetstream()
            last = (await js.stream_info(stream_name("assistance"))).state.last_seq
            if last == 0:
                return []
            sub = await js.subscribe(stream_subjects("assistance"), ordered_consumer=True)
            found = []
            while True:
                msg = await sub.next_msg(timeout=5)
                body = {**json.loads(msg.data), "subject": msg.subject}
                if body["correlation_id"] == correlation_id:
                    found.append(body)
                if msg.metadata.sequence.stream >= last:
                    return found

    async def exactly(self, svc: "Service", correlation_id: str,
                      count: int) -> list[dict[str, Any]]:
        """The aggregate's events once `count` are there and the outbox is empty: all of them."""
        await eventually(lambda: self._at_least(correlation_id, count))
        await svc.settled()
        found = await self.events(correlation_id)
        assert len(found) == count, [e["type"] for e in found]
        return found

    async def _at_least(self, correlation_id: str, count: int) -> bool:
        return len(await self.events(correlation_id)) >= count


@pytest.fixture(scope="session")
def stream(nats_url: str) -> Stream:
    return Stream(nats_url)
