"""The test session's own NATS server and database, on free ports, stopped at the end;
and at the very end a check that no process the session started is still running."""

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, EmbeddedServer, free_port
from tests.processes import SESSION_MARK, kill_all, survivors
from tests.support import ISSUER

# Every process the session starts inherits this mark: the session-end check finds by it
# whatever is left running, children of children and orphans included.
os.environ[SESSION_MARK] = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

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
    started: list[EmbeddedServer] = []
    try:  # a server that fails to start leaves none running
        nats = EmbeddedNats("nats", free_port(), root / "nats")
        started.append(nats.start())
        mongo = EmbeddedMongo("secantus", free_port(), root / "secantus")
        started.append(mongo.start())
        yield {"NATS_URL": nats.url, "MONGODB_URL": mongo.url, "root": str(root)}
    finally:
        for server in reversed(started):
            server.stop()
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




def pytest_sessionfinish(session: pytest.Session) -> None:
    """Every fixture has stopped what it started by now: a process of this session still
    running is a leak. It is named, killed, and the session fails."""
    left = survivors(SESSION_MARK, os.environ[SESSION_MARK])
    if not left:
        return
    kill_all(left)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"  pid {pid}: {command[:200]}" for pid, command in left.items()]
    message = "\n".join([f"{len(left)} process(es) started by the tests outlived them "
                         "(killed now):", *lines])
    if reporter is not None:
        reporter.write_line(f"\n{message}", red=True, bold=True)
    else:
        print(message)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
