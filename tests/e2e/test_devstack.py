"""`make run` (liandong-stack) watches its children: on free ports and a data folder of its
own, a service killed with `kill -9` is reported within 5 s and comes back; SIGINT (even
when the shell that started it made it ignore SIGINT) and SIGTERM stop every process it
started; a service that cannot start stops the stack with exit code 1; a healthy start
logs no ERROR in any service."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from liandong_runtime.devstack import MAX_FAILURES, SERVICES
from liandong_runtime.embedded import free_port
from tests.processes import with_env
from tests.support import poll


def children_of(pid: int) -> dict[int, str]:
    """The living processes whose parent is `pid`, with their command lines."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes() \
                    .replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
    return found


def ignore_sigint() -> None:  # what a non-interactive shell does to a job it puts in the background
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Stack:
    def __init__(self, var: Path, services: list[str], *, sigint_ignored: bool = False,
                 ports: dict[str, int] | None = None) -> None:
        self.var = var
        self.ports = {name: free_port() for name in services} | (ports or {})
        env = {**os.environ, "LIANDONG_VAR_DIR": str(var),
               "LIANDONG_NATS_PORT": str(free_port()), "LIANDONG_MONGODB_PORT": str(free_port()),
               "LIANDONG_STACK_SERVICES": ",".join(services),
               **{f"LIANDONG_{name.upper()}_PORT": str(port) for name, port in self.ports.items()}}
        for name in ("NATS_URL", "MONGODB_URL"):  # the stack's own embedded servers
            env.pop(name, None)
        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "liandong_runtime.devstack"], env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            preexec_fn=ignore_sigint if sigint_ignored else None)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip()))

    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def line(self, *parts: str, after: float = 0, timeout: float = 60) -> float:
        """When the first line holding every part appeared (after `after`)."""
        def seen() -> float | None:
            assert self.process.poll() is None or any(
                all(p in line for p in parts) for _, line in self.lines), self.output()
            return next((at for at, line in self.lines
                         if at >= after and all(p in line for p in parts)), None)
        return poll(seen, timeout, f"a line with {parts}")  # type: ignore[return-value]

    def children(self) -> dict[int, str]:
        return children_of(self.process.pid)

    def pid_of(self, service: str) -> int:
        return next(pid for pid, cmd in self.children().items() if f"-m {service}" in cmd)

    def left(self) -> list[int]:
        """Processes of this stack still alive: any child, grandchild or orphan of it."""
        return list(with_env("LIANDONG_VAR_DIR", str(self.var)))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pid in self.left():
            os.kill(pid, signal.SIGKILL)


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def error_lines(log: Path) -> list[str]:
    found = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            level = json.loads(line).get("level")
        except (ValueError, AttributeError):
            level = "ERROR" if "Traceback" in line or " ERROR " in line else None
        if level in ("ERROR", "CRITICAL"):
            found.append(line)
    return found


@pytest.fixture
def stacks(tmp_path: Path):
    made: list[Stack] = []

    def make(services: list[str], **options: object) -> Stack:
        made.append(Stack(tmp_path / f"var{len(made)}", services, **options))
        return made[-1]

    yield make
    for stack in made:
        stack.stop()


def test_a_killed_service_is_reported_within_5_s_and_comes_back_and_sigint_stops_all(
        stacks) -> None:
    stack = stacks(list(SERVICES), sigint_ignored=True)
    stack.line("liandong is up", timeout=180)
    assert all(ready(port) for port in stack.ports.values())
    assert len(stack.children()) == len(SERVICES) + 2  # and nats-server, secantusd-py

    time.sleep(3)  # past the first pull fetches' timeout (1 s): a healthy start logs no ERROR
    for name in SERVICES:
        assert error_lines(stack.var / f"{name}.log") == [], name

    victim = stack.pid_of("referral")
    killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    reported = stack.line("referral", "killed by SIGKILL", after=killed, timeout=10)
    assert reported - killed < 5, stack.output()
    stack.line("referral: ready again", after=killed, timeout=60)
    assert ready(stack.ports["referral"])
    assert stack.pid_of("referral") != victim

    stack.process.send_signal(signal.SIGINT)  # ignored by default in a background job
    assert stack.process.wait(60) == 0, stack.output()
    assert stack.left() == []
    assert "SIGINT received" in stack.output()


def test_sigterm_stops_every_process_of_the_stack(stacks) -> None:
    stack = stacks(["sharing"])
    stack.line("liandong is up", timeout=120)
    children = stack.children()
    assert len(children) == 3, children
    stack.process.send_signal(signal.SIGTERM)
    assert stack.process.wait(60) == 0, stack.output()
    assert stack.left() == []


def test_a_service_that_cannot_start_stops_the_stack_with_exit_code_1(stacks) -> None:
    with socket.socket() as taken:  # its port is held by another program: every start fails
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        stack = stacks(["assistance"], ports={"assistance": taken.getsockname()[1]})
        assert stack.process.wait(120) == 1, stack.output()
    assert stack.output().count("restarting in") == MAX_FAILURES - 1
    assert "giving up" in stack.output()
    assert stack.left() == []
