"""A NATS server that admits only the generated users: the services, the operator and one
user per organisation of the directory (as `make run` runs it)."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from liandong_runtime import nats_permissions
from liandong_runtime.embedded import EmbeddedNats, free_port

Guarded = tuple[EmbeddedNats, dict[str, str]]


@pytest.fixture(scope="module")
def guarded(servers: dict[str, str]) -> Iterator[Guarded]:
    grants = nats_permissions.everyone()
    passwords = nats_permissions.new_passwords(grant.user for grant in grants)
    root = Path(servers["root"]) / f"orgbus-{uuid.uuid4().hex[:6]}"
    server = EmbeddedNats("nats-orgbus", free_port(), root / "nats", authorization=(
        nats_permissions.authorization(grants, passwords))).start()
    yield server, passwords
    server.stop()
