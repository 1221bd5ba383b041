"""P-4: `make run` ready time once the environment exists.

`liandong-stack` is started twice on free ports with its own data folder: the first start
makes the environment (passwords, keys, data); the second is timed from launch until every
service's /readyz answers 200. Then it is stopped (SIGINT, as Ctrl-C)."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from liandong_runtime.devstack import SERVICES, is_ready
from liandong_runtime.embedded import free_port


def start_once(env: dict[str, str], ports: list[int], log: Path) -> float:
    started = time.perf_counter()
    stack = subprocess.Popen([str(Path(sys.executable).with_name("liandong-stack"))], env=env,
                             stdout=log.open("ab"), stderr=subprocess.STDOUT)
    try:
        while not all(is_ready(port) for port in ports):
            if stack.poll() is not None or time.perf_counter() - started > 180:
                raise RuntimeError(f"liandong-stack did not get ready: see {log}")
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        stack.send_signal(signal.SIGINT)
        try:
            stack.wait(60)
        except subprocess.TimeoutExpired:
            stack.kill()
            stack.wait()


def ready_time() -> dict[str, float]:
    var = Path(tempfile.mkdtemp(prefix="liandong-bench-stack-"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("NATS_URL", "MONGODB_URL", "AUTH_JWKS_URL")}
    env["LIANDONG_VAR_DIR"] = str(var)
    ports = []
    for name in SERVICES:
        ports.append(free_port())
        env[f"LIANDONG_{name.upper()}_PORT"] = str(ports[-1])
    env["LIANDONG_NATS_PORT"], env["LIANDONG_MONGODB_PORT"] = str(free_port()), str(free_port())
    try:
        first = start_once(env, ports, var / "bench-stack.log")
        second = start_once(env, ports, var / "bench-stack.log")
    finally:
        shutil.rmtree(var, ignore_errors=True)
    return {"first_start_s": first, "ready_s": second}
