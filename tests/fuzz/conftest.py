"""The five services for the fuzzer, on the session's database and a NATS server of
their own: the fuzzer's requests cause real events (transfers, dispute decisions with
catalogue corrections...) that would otherwise sit in the session's streams and be read
by every app a later test starts.
"""

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from liandong_runtime.embedded import EmbeddedNats, free_port
from tests.fuzz.district import District


@pytest.fixture(scope="module")
def district(servers: dict[str, str]) -> Iterator[District]:
    root = Path(servers["root"]) / f"fuzz-{uuid.uuid4().hex[:6]}"
    nats = EmbeddedNats("nats-fuzz", free_port(), root / "nats").start()
    district = District(nats.url, servers["MONGODB_URL"])
    try:
        yield district.start()
    finally:
        with contextlib.suppress(Exception):
            district.stop()
        nats.stop()
