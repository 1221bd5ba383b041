"""The five services in-process: uvicorn in one background thread, lifespans run."""

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import uvicorn

from liandong_runtime.embedded import EmbeddedNats, free_port
from liandong_runtime.settings import MongoSettings, NatsSettings

SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")


class District:
    """The five apps served from one event loop in a thread; `urls[name]` reaches each."""

    def __init__(self, nats_url: str, mongo_url: str) -> None:
        run = uuid.uuid4().hex[:8]
        self.apps, self.urls, self.servers = {}, {}, []
        for name in SERVICES:
            bootstrap = import_module(f"{name}.bootstrap")
            settings_class = next(v for k, v in vars(bootstrap).items()
                                  if k.endswith("Settings") and k != "ServiceSettings")
            settings = settings_class(
                nats=NatsSettings(url=nats_url),
                mongodb=MongoSettings(url=mongo_url, database=f"liandong_fuzz_{name}_{run}"),
                outbox_poll_s=0.05)
            self.apps[name] = bootstrap.build_app(settings)
            port = free_port()
            self.urls[name] = f"http://127.0.0.1:{port}"
            self.servers.append(uvicorn.Server(uvicorn.Config(
                self.apps[name], host="127.0.0.1", port=port, log_level="warning",
                lifespan="on")))
        self.thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _serve(self) -> None:
        await asyncio.gather(*(server.serve() for server in self.servers))

    def start(self, timeout: float = 60) -> "District":
        self.thread.start()
        waited = 0.0
        while not all(server.started for server in self.servers):
            assert self.thread.is_alive(), "a service failed to start: see the log above"
            assert waited < timeout, f"services not started within {timeout} s"
            threading.Event().wait(0.05)
            waited += 0.05
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.should_exit = True
        self.thread.join(30)


@contextlib.contextmanager
def own_district(servers: dict[str, str], name: str) -> Iterator[District]:
    """The five services on the session's database and a NATS server of their own, so that
    the events hostile requests cause never reach the session's streams."""
    root = Path(servers["root"]) / f"{name}-{uuid.uuid4().hex[:6]}"
    nats = EmbeddedNats(f"nats-{name}", free_port(), root / "nats").start()
    district = District(nats.url, servers["MONGODB_URL"])
    try:
        yield district.start()
    finally:
        with contextlib.suppress(Exception):
            district.stop()
        nats.stop()
