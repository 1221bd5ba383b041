"""Services as separate processes over the session's real NATS and database."""

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import free_port


class Service:
    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", name],
                env={**os.environ, **env, "HTTP_PORT": str(self.port), "LOG_LEVEL": "INFO"},
                stdout=out, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def start_service(servers: dict[str, str]) -> Iterator[Callable[..., Service]]:
    started: list[Service] = []
    run = uuid.uuid4().hex[:8]

    def start(name: str, **env: str) -> Service:
        base = {"NATS_URL": servers["NATS_URL"], "MONGODB_URL": servers["MONGODB_URL"],
                "MONGODB_DATABASE": f"liandong_{name}_{run}"}
        service = Service(name, {**base, **env}, Path(servers["root"]) / f"{name}-{run}.log")
        started.append(service)
        try:
            wait_ready(service.port, service.process, timeout=60)
        except Exception:
            print(service.log.read_text(errors="replace")[-4000:])
            raise
        return service

    try:
        yield start
    finally:  # whatever failed, every service started is stopped
        for service in started:
            service.stop()
            # shown by pytest only when the test failed
            print(f"--- {service.name} log ---\n{service.log.read_text(errors='replace')[-3000:]}")
