"""The complaint app in-process against the session's real NATS and database."""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

import httpx
import nats
import pytest
from fastapi import FastAPI
from nats.js.errors import NotFoundError

from complaint.bootstrap import ComplaintSettings, build_app
from liandong_runtime.settings import MongoSettings, NatsSettings
from tests.support import eventually

STREAM = "LIANDONG_COMPLAINT"


@pytest.fixture(scope="module")
async def app(nats_url: str, mongo_url: str) -> AsyncIterator[FastAPI]:
    settings = ComplaintSettings(
        nats=NatsSettings(url=nats_url, ack_wait_s=2, max_deliver=3),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_cmp_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05)
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


class Stream:
    """Every message on the complaint stream, read back from JetStream."""

    def __init__(self, nc: nats.NATS) -> None:
        self.js = nc.jetstream()

    async def messages(self) -> list[tuple[dict[str, str], bytes]]:
        state = (await self.js.stream_info(STREAM)).state
        found = []
        for seq in range(state.first_seq, state.last_seq + 1):
            try:
                msg = await self.js.get_msg(STREAM, seq)
            except NotFoundError:  # deleted or aged out
                continue
            headers = {k: unquote(v) for k, v in (msg.headers or {}).items()}
            found.append((headers, msg.data or b""))
        return found

    async def events_of(self, complaint_id: str) -> list[dict[str, Any]]:
        return [json.loads(body) for headers, body in await self.messages()
                if headers.get("ce-subject") == complaint_id]

    async def wait_for(self, complaint_id: str, count: int) -> list[dict[str, Any]]:
        async def enough() -> list[dict[str, Any]] | None:
            events = await self.events_of(complaint_id)
            return events if len(events) >= count else None

        return await eventually(enough)  # type: ignore[no-any-return]


@pytest.fixture
async def stream(nats_url: str) -> AsyncIterator[Stream]:
    nc = await nats.connect(nats_url)
    try:
        yield Stream(nc)
    finally:
        await nc.close()
