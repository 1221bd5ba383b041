"""The processes a test session starts, found by a mark in their environment: the root
conftest sets SESSION_MARK in os.environ, and every child (server, service, stack, their
children, orphans too) inherits it. Linux /proc only."""

import os
import signal
import time
from pathlib import Path

SESSION_MARK = "LIANDONG_TEST_SESSION"


def alive(pid: int) -> bool:
    """Running, not a zombie (a zombie is dead; it only waits for its parent to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def with_env(name: str, value: str) -> dict[int, str]:
    """The living processes (but this one) whose environment has name=value, with their
    command lines."""
    wanted = f"{name}={value}".encode()
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        pid = int(proc.name)
        try:
            if pid == os.getpid() or wanted not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if alive(pid):
            found[pid] = command.strip()
    return found


def survivors(name: str, value: str, grace: float = 10) -> dict[int, str]:
    """Those still alive after `grace` seconds (time for the ones stopping to go)."""
    deadline = time.monotonic() + grace
    while (found := with_env(name, value)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def kill_all(pids: dict[int, str]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
