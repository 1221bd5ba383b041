"""`python -m bench.console`: how fast 工作台 renders with many duties (figures, not a test).

Escalation and the console run as their own processes, exactly as `make run` starts them,
on the benchmark's servers. The escalation database is filled directly with DUTIES open
duties of one township (written as escalation writes them) and BOARD duties across the
district, due over the last and the next weeks, some done, some breached; then a clerk's
我的待办 (first page) and the district government's board are each requested REQUESTS times
over a signed-in session and the p50/p95 of the full answer are printed (and kept in
bench/results/console.json).
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from pymongo import AsyncMongoClient

from bench.servers import servers
from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import free_port
from liandong_runtime.refdata import load_reference_data
from liandong_runtime.settings import ServiceSettings
from liandong_runtime.tokens import Issuer

RESULTS = Path(__file__).parent / "results"
RULES = ("REF-4", "REF-5", "REF-9", "CMP-2", "CMP-7", "SHR-4", "AST-1", "JNT-6", "DSP-1")
KINDS = ("transfer", "answer", "register", "complaint", "share", "assistance", "call",
         "dispute", "request")


def duty(i: int, org: dict[str, str], now: datetime) -> dict[str, Any]:
    started = now - timedelta(hours=i % 200)
    due = started + timedelta(days=3)
    state = ("open", "open", "done", "breached")[i % 4] if org["id"] != "town-hexi" else "open"
    return {"_id": f"{KINDS[i % len(KINDS)]}:bench-{i}", "schema_version": 1, "version": 1,
            "rule": RULES[i % len(RULES)], "duty": f"基准事项 {i}", "responsible": org,
            "correlation_id": f"c-{i}", "started_at": started, "due_at": due, "state": state,
            "warned": False, "done_at": due - timedelta(hours=1) if state == "done" else None,
            "breached_at": due if state == "breached" else None, "recorded_at": started,
            "counted_from": "started_at", "start_note": "", "pauses": []}


async def fill(mongo_url: str, database: str, duties: int, board: int) -> None:
    directory = load_reference_data(ServiceSettings().refdata_dir).directory
    orgs = [{"id": o.id, "kind": o.kind.value, "name": o.name} for o in directory]
    hexi = next(o for o in orgs if o["id"] == "town-hexi")
    now = datetime.now(UTC)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    deadlines = client[database].deadlines
    batch: list[dict[str, Any]] = []
    for i in range(board):
        batch.append(duty(i, hexi if i < duties else orgs[i % len(orgs)], now))
        if len(batch) == 2000:
            await deadlines.insert_many(batch)
            batch = []
    if batch:
        await deadlines.insert_many(batch)
    await client.close()


def signed_in(console: str, org: str) -> httpx.Client:
    web = httpx.Client(base_url=console, timeout=120)
    form = web.get("/signin").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "no sign-in form"
    answer = web.post("/signin", data={"csrf_token": token[1], "org": org, "person": "bench"})
    assert answer.status_code == 303, answer.text
    return web


def timed(web: httpx.Client, path: str, requests: int,
          headers: dict[str, str] | None = None) -> dict[str, float]:
    web.get(path, headers=headers)  # warm
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        answer = web.get(path, headers=headers)
        times.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, answer.status_code
    times.sort()
    return {"p50_ms": statistics.median(times),
            "p95_ms": times[max(0, round(len(times) * 0.95) - 1)], "requests": requests}


def main() -> None:
    cli = argparse.ArgumentParser(prog="python -m bench.console")
    cli.add_argument("--duties", type=int, default=10_000, help="open duties of one township")
    cli.add_argument("--board", type=int, default=100_000, help="duties in the district")
    cli.add_argument("--requests", type=int, default=20)
    args = cli.parse_args()
    issuer, keys = Issuer.generate(), Path(tempfile.mkdtemp(prefix="liandong-bench-keys-"))
    # the console signs with the same key the services trust
    (keys / "issuer.pem").write_bytes(issuer.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    run = uuid.uuid4().hex[:8]
    with servers() as s:
        env = {**os.environ, "NATS_URL": s.nats.url, "MONGODB_URL": s.mongo.url,
               "AUTH_JWKS_URL": issuer.write_jwks(keys / "jwks.json").as_uri()}
        database = f"bench_escalation_{run}"
        asyncio.run(fill(s.mongo.url, database, args.duties, args.board))
        started: list[subprocess.Popen[bytes]] = []
        try:
            port = free_port()
            escalation = subprocess.Popen(
                [sys.executable, "-m", "escalation"],
                env={**env, "HTTP_PORT": str(port), "MONGODB_DATABASE": database,
                     "WATCH_INTERVAL_S": "10"},
                stdout=(s.root / "escalation.log").open("ab"), stderr=subprocess.STDOUT)
            started.append(escalation)
            wait_ready(port, escalation, timeout=120)
            console_port = free_port()
            console = subprocess.Popen(
                [sys.executable, "-m", "console"],
                env={**env, "HTTP_PORT": str(console_port), "ISSUER_KEYS": str(keys),
                     "ESCALATION_URL": f"http://127.0.0.1:{port}", "SERVICE_TIMEOUT_S": "120"},
                stdout=(s.root / "console.log").open("ab"), stderr=subprocess.STDOUT)
            started.append(console)
            wait_ready(console_port, console, timeout=60)
            url = f"http://127.0.0.1:{console_port}"
            clerk, gov = signed_in(url, "town-hexi"), signed_in(url, "district-gov")
            api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300)
            as_town = {"Authorization": f"Bearer {issuer.issue('town-hexi', 'bench')}"}
            as_gov = {"Authorization": f"Bearer {issuer.issue('district-gov', 'bench')}"}
            try:
                results = {"todo_first_page": timed(clerk, "/", args.requests),
                           "escalation_deadlines_alone": timed(
                               api, "/deadlines", args.requests, as_town),
                           "board": timed(gov, "/board", args.requests),
                           "escalation_on_time_alone": timed(
                               api, "/board/on-time", args.requests, as_gov),
                           "duties": args.duties, "board_duties": args.board,
                           "at": datetime.now(UTC).isoformat()}
            finally:
                for web in (clerk, gov, api):
                    web.close()
        finally:
            for process in started:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(keys, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "console.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
