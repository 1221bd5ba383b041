"""Integration fixtures: a runtime wired to the session's real NATS and database."""

import uuid
from collections.abc import AsyncIterator

import pytest

from liandong_runtime.runtime import Runtime, build_runtime
from liandong_runtime.settings import MongoSettings, NatsSettings, ServiceSettings


def settings_for(nats_url: str, mongo_url: str, **nats: object) -> ServiceSettings:
    name = f"it{uuid.uuid4().hex[:8]}"
    return ServiceSettings(
        service=name,
        nats=NatsSettings(url=nats_url, **nats),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_{name}"),
        outbox_poll_s=0.05,
    )


@pytest.fixture
async def runtime(nats_url: str, mongo_url: str) -> AsyncIterator[Runtime]:
    rt = build_runtime(settings_for(nats_url, mongo_url, ack_wait_s=2, max_deliver=3))
    yield rt
    await rt.stop()
