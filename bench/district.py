"""liandong's own hop: findings over HTTP at referral, deadlines opened at escalation.

Both services run as their own processes against the benchmark's servers, exactly as
`make run` starts them (INFO logging, the embedded identity provider's kind of token).
"""

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import free_port
from liandong_runtime.tokens import Issuer

SERVICES = ("referral", "escalation")
# a matter the township does not own: recording it starts the REF-4 duty at escalation
FINDING = {"matter_code": "M-ENV-005", "locality": "town-hexi", "summary": "无证排污（基准）"}


@contextmanager
def district(nats_url: str, mongo_url: str, logs: Path, services: tuple[str, ...] = SERVICES,
             run: str | None = None) -> Iterator[dict[str, Any]]:
    """The services as processes; their databases are bench_<service>_<run>."""
    issuer, keys = Issuer.generate(), Path(tempfile.mkdtemp(prefix="liandong-bench-keys-"))
    run = run or uuid.uuid4().hex[:8]
    env = {**os.environ, "NATS_URL": nats_url, "MONGODB_URL": mongo_url, "LOG_LEVEL": "INFO",
           "AUTH_JWKS_URL": issuer.write_jwks(keys / "jwks.json").as_uri()}
    started: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        for name in services:
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", name],
                env={**env, "HTTP_PORT": str(port), "MONGODB_DATABASE": f"bench_{name}_{run}"},
                stdout=(logs / f"{name}-{run}.log").open("ab"), stderr=subprocess.STDOUT)
            started[name] = (process, port)
            wait_ready(port, process, timeout=60)
        yield {"token": issuer.issue("town-hexi", "bench"), "issuer": issuer,
               **{name: f"http://127.0.0.1:{port}" for name, (_, port) in started.items()},
               "escalation_db": f"bench_escalation_{run}",
               "pids": {name: process.pid for name, (process, _) in started.items()}}
    finally:
        for process, _ in started.values():
            process.terminate()
        for process, _ in started.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(keys, ignore_errors=True)


async def run(stack: dict[str, Any], mongo_url: str, events: int, clients: int) -> float:
    """Seconds from the first request to the last deadline opened at escalation."""
    headers = {"Authorization": f"Bearer {stack['token']}"}
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    deadlines = mongo[stack["escalation_db"]].deadlines
    already = await deadlines.count_documents({})
    async with httpx.AsyncClient(base_url=stack["referral"], headers=headers,
                                 timeout=60) as http:
        started = time.perf_counter()
        await asyncio.gather(*(post_findings(http, events // clients) for _ in range(clients)))
        # another process's database: polled, there is nothing to wait on here
        while await deadlines.count_documents({}) < already + events:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
    await mongo.close()
    return elapsed


async def post_findings(http: httpx.AsyncClient, count: int) -> None:
    for _ in range(count):
        await record_finding(http, FINDING)


async def record_finding(http: httpx.AsyncClient, finding: dict[str, Any]) -> str:
    """One finding recorded a minute after it was found; a 503 is retried after the time
    its Retry-After says. Returns the case id."""
    found_at = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    while True:
        answer = await http.post("/cases", json={**finding, "found_at": found_at})
        if answer.status_code != 503:
            break
        await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
    answer.raise_for_status()
    return str(answer.json()["case_id"])
