"""The test session's own NATS server and database, on free ports, stopped at the end."""

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, free_port
from tests.support import ISSUER

# Every service the tests start, in this process or as a child, trusts the session's issuer
# (set before any test module builds its settings).
_KEYS = Path(tempfile.mkdtemp(prefix="liandong-test-keys-"))
atexit.register(shutil.rmtree, _KEYS, True)
os.environ["AUTH_JWKS_URL"] = ISSUER.write_jwks(_KEYS / "jwks.json").as_uri()

# No per-example time limit: a busy CI machine must not turn slowness into failures.
settings.register_profile("liandong", deadline=None)
settings.load_profile("liandong")


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, str]]:
    root = Path(tempfile.mkdtemp(prefix="liandong-test-"))
    nats = EmbeddedNats("nats", free_port(), root / "nats").start()
    mongo = EmbeddedMongo("secantus", free_port(), root / "secantus").start()
    try:
        yield {"NATS_URL": nats.url, "MONGODB_URL": mongo.url, "root": str(root)}
    finally:
        mongo.stop()
        nats.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def nats_url(servers: dict[str, str]) -> str:
    return servers["NATS_URL"]


@pytest.fixture(scope="session")
def mongo_url(servers: dict[str, str]) -> str:
    return servers["MONGODB_URL"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/<kind>/ carries the <kind> marker."""
    for item in items:
        kind = Path(str(item.fspath)).relative_to(Path(__file__).parent).parts[0]
        if kind in ("unit", "integration", "e2e", "contracts"):
            item.add_marker("unit" if kind == "contracts" else kind)


