"""The five services served over real HTTP (uvicorn), on the session's database and a NATS
server of their own, for requests that try to break them."""

from collections.abc import Iterator

import httpx
import pytest

from tests.fuzz.district import District, own_district


@pytest.fixture(scope="package")
def district(servers: dict[str, str]) -> Iterator[District]:
    with own_district(servers, "hardening") as district:
        yield district


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
