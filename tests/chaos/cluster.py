"""One fault case's own world: NATS, the database and services, each a process we can hurt.

Every case gets a fresh temp dir with its own nats-server and secantusd-py on free ports;
the services run as `python -m <name>` on fixed ports of their own, so a restarted process
answers where the old one did. `kill9`, `terminate`, `freeze` and the servers' `stop`/`kill`
are the faults; the metrics of each process are scraped before it dies so that the case can
report how many redeliveries it saw.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pymongo import MongoClient
from pymongo.database import Database

from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, free_port

COUNTED = ("liandong_messages_redelivered_total", "liandong_messages_duplicate_total",
           "liandong_messages_rejected_total", "liandong_messages_retried_total")


class Service:
    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name, self.env, self.log = name, env, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def spawn(self) -> None:
        with self.log.open("ab") as log:
            log.write(f"\n=== start {self.name} at {time.time():.3f}\n".encode())
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.name],
            env={**os.environ, **self.env, "HTTP_PORT": str(self.port)},
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        assert self.process is not None
        try:
            wait_ready(self.port, self.process, timeout=timeout)
        except Exception as exc:
            raise AssertionError(f"{self.name} did not become ready: {exc}\n{self.tail()}") from exc

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, chars: int = 3000) -> str:
        return f"--- {self.name} log ---\n{self.log.read_text(errors='replace')[-chars:]}"


class Cluster:
    """NATS + database + services of one case, in a temp dir removed at the end."""

    def __init__(self, case: str, **env: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix=f"liandong-chaos-{case}-"))
        self.nats = EmbeddedNats("nats", free_port(), self.root / "nats").start()
        try:
            self.mongo = EmbeddedMongo("secantus", free_port(), self.root / "secantus").start()
        except BaseException:  # no cluster to stop later: nothing of it may stay up
            self.nats.stop()
            raise
        self.env = {"NATS_URL": self.nats.url, "MONGODB_URL": self.mongo.url,
                    "LOG_LEVEL": "INFO", "LOG_FORMAT": "text", "OUTBOX_POLL_S": "0.1",
                    "NATS_ACK_WAIT_S": "5", **env}
        self.services: dict[str, Service] = {}
        self.counted: dict[str, float] = dict.fromkeys(COUNTED, 0.0)  # of processes gone
        self.db: MongoClient[dict[str, Any]] = MongoClient(
            self.mongo.url, tz_aware=True, serverSelectionTimeoutMS=20000)

    def start(self, *names: str, **env: str) -> None:
        """Start the named services together and wait until each is ready."""
        for name in names:
            service = Service(name, {**self.env, **env}, self.root / f"{name}.log")
            self.services[name] = service
            service.spawn()
        for name in names:
            self.services[name].wait_ready()

    def url(self, name: str) -> str:
        return self.services[name].url

    def database(self, name: str) -> Database[dict[str, Any]]:
        return self.db[f"liandong_{name}"]

    def kill9(self, name: str) -> None:
        """SIGKILL: no shutdown, no flush; the last scrape of its metrics is kept."""
        service = self.services[name]
        self._keep_counts(service)
        assert service.process is not None
        service.process.send_signal(signal.SIGKILL)
        service.process.wait(10)

    def terminate(self, name: str, timeout: float = 30) -> float:
        """SIGTERM and wait for the exit; returns the seconds the shutdown took."""
        service = self.services[name]
        self._keep_counts(service)
        assert service.process is not None
        began = time.monotonic()
        service.process.send_signal(signal.SIGTERM)
        try:
            service.process.wait(timeout)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"{name} still running {timeout} s after SIGTERM") from exc
        return time.monotonic() - began

    def restart(self, name: str) -> None:
        service = self.services[name]
        assert not service.alive(), f"{name} is still running"
        service.spawn()
        service.wait_ready()

    def metrics(self, name: str) -> dict[str, float]:
        """The counters of COUNTED of one running service, summed over their labels."""
        found = dict.fromkeys(COUNTED, 0.0)
        text = httpx.get(self.url(name) + "/metrics", timeout=3).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name in found:
                    found[sample.name] += sample.value
        return found

    def counts(self) -> dict[str, float]:
        """COUNTED over every process this case ran, the running ones scraped now."""
        total = dict(self.counted)
        for name, service in self.services.items():
            if service.alive():
                for key, value in self.metrics(name).items():
                    total[key] += value
        return total

    def _keep_counts(self, service: Service) -> None:
        # a service not answering (the database is away, say) loses its counts with it
        with contextlib.suppress(httpx.HTTPError):
            for key, value in self.metrics(service.name).items():
                self.counted[key] += value

    def logs(self) -> str:
        return "\n".join(s.tail() for s in self.services.values())

    def close(self) -> None:
        for service in self.services.values():
            if service.alive():
                assert service.process is not None
                service.process.kill()
                service.process.wait(10)
        self.db.close()
        self.mongo.stop()
        self.nats.stop()
        shutil.rmtree(self.root, ignore_errors=True)
