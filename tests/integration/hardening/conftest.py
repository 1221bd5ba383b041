"""The five services served over real HTTP (uvicorn), on the session's database and a NATS
server of their own, for requests that try to break them."""

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from liandong_runtime.embedded import EmbeddedNats, free_port
from tests.fuzz.district import District


@pytest.fixture(scope="package")
def district(servers: dict[str, str]) -> Iterator[District]:
    root = Path(servers["root"]) / f"hardening-{uuid.uuid4().hex[:6]}"
    nats = EmbeddedNats("nats-hardening", free_port(), root / "nats").start()
    district = District(nats.url, servers["MONGODB_URL"])
    try:
        yield district.start()
    finally:
        with contextlib.suppress(Exception):
            district.stop()
        nats.stop()


@pytest.fixture(scope="package")
def http(district: District) -> Iterator[dict[str, httpx.Client]]:
    """A client of each service, by name."""
    clients = {name: httpx.Client(base_url=url, timeout=30)
               for name, url in district.urls.items()}
    try:
        yield clients
    finally:
        for client in clients.values():
            client.close()
