"""The benchmark's own NATS server (sync_interval: always) and database, on free ports."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, EmbeddedServer, free_port


@dataclass
class Servers:
    nats: EmbeddedServer
    mongo: EmbeddedServer
    root: Path

    @property
    def pids(self) -> dict[str, int]:
        assert self.nats.process and self.mongo.process
        return {"nats-server": self.nats.process.pid, "database": self.mongo.process.pid}


@contextmanager
def servers() -> Iterator[Servers]:
    root = Path(tempfile.mkdtemp(prefix="liandong-bench-"))
    started: list[EmbeddedServer] = []
    try:
        started.append(EmbeddedNats("nats", free_port(), root / "nats").start())
        started.append(EmbeddedMongo("secantus", free_port(), root / "secantus").start())
        yield Servers(started[0], started[1], root)
    finally:
        for server in reversed(started):
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
