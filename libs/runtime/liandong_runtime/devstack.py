"""`make run`: the whole district on one machine, embedded servers included.

Starts nats-server and secantusd-py with data under `.var/` (unless NATS_URL and
MONGODB_URL point elsewhere), waits until both answer, starts every service as its own
process and prints where each one listens. Ctrl-C stops everything; the data stays.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, EmbeddedServer
from liandong_runtime.settings import REPO_ROOT

SERVICES = {"referral": 8101, "complaint": 8102, "sharing": 8103, "assistance": 8104,
            "escalation": 8105}


def start_servers(var: Path) -> tuple[dict[str, str], list[EmbeddedServer]]:
    env, servers = {}, []
    if "NATS_URL" not in os.environ:
        nats = EmbeddedNats("nats", 4222, var / "nats").start()
        servers.append(nats)
        env["NATS_URL"] = nats.url
    if "MONGODB_URL" not in os.environ:
        mongo = EmbeddedMongo("secantus", 27017, var / "secantus").start()
        servers.append(mongo)
        env["MONGODB_URL"] = mongo.url
    return env, servers


def start_service(name: str, port: int, env: dict[str, str], var: Path) -> subprocess.Popen[bytes]:
    log = (var / f"{name}.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", name],
                            env={**os.environ, **env, "HTTP_PORT": str(port)},
                            stdout=log, stderr=subprocess.STDOUT)


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"service on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"service on port {port} not ready within {timeout} s")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    began = time.monotonic()
    var = REPO_ROOT / ".var"
    var.mkdir(exist_ok=True)
    env, servers = start_servers(var)
    processes = {name: start_service(name, port, env, var) for name, port in SERVICES.items()}
    try:
        for name, port in SERVICES.items():
            wait_ready(port, processes[name])
        print(f"\nliandong is up in {time.monotonic() - began:.1f} s (logs in {var}/)\n")
        for name, port in SERVICES.items():
            base = f"http://127.0.0.1:{port}"
            print(f"  {name:<11} {base}   docs {base}/docs   metrics {base}/metrics"
                  f"   asyncapi {base}/asyncapi.json")
        print(f"\n  NATS {env.get('NATS_URL', os.environ.get('NATS_URL'))}   "
              f"MongoDB {env.get('MONGODB_URL', os.environ.get('MONGODB_URL'))}\n"
              "  Ctrl-C stops everything; the data stays for the next run.\n")
        signal.signal(signal.SIGTERM, _interrupt)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping ...")
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            process.wait(30)
        for server in reversed(servers):
            server.stop()


if __name__ == "__main__":
    main()
