"""`python -m bench.addressed`: delivery latency from a state change to an organisation's
own consumer, at a steady rate with many organisations subscribed (issue 14).

The referral service runs as its own process, on a district of 50 organisations (the
sample district and townships added up to 50). Every organisation has its durable
`<org>-1` on LIANDONG_ADDRESSED, pulled by `liandong_client`. Findings are recorded over
HTTP at `--rate` per second, each by one of the townships in turn. A FindingRecorded
concerns the township and the owning department, so each one is delivered twice. The
latency of each delivery is measured from the moment the HTTP request was sent (an upper
bound: it includes the request and the commit) and from the moment its answer came back
(the commit is done by then). Writes bench/results/addressed-latest.json.
"""

import argparse
import asyncio
import csv
import json
import os
import platform
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
import nats

from bench.__main__ import RESULTS, commit
from bench.cpu import load_average
from bench.servers import servers
from liandong_client import Delivery, OrgClient
from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import free_port
from liandong_runtime.refdata import default_dir
from liandong_runtime.tokens import Issuer

MATTER = "M-URB-009"  # owned by dept-urban, handed over to no township


def district_of(size: int, into: Path) -> list[str]:
    """The sample district with townships added until it has `size` organisations."""
    for file in default_dir().glob("*.csv"):
        shutil.copy(file, into / file.name)
    orgs = into / "organisations.csv"
    with orgs.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    extra = size - len(rows)
    with orgs.open("a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for n in range(1, extra + 1):
            writer.writerow([f"town-bench-{n:02d}", "township", f"基准乡{n:02d}", "", "", ""])
    return [row["id"] for row in rows] + [f"town-bench-{n:02d}" for n in range(1, extra + 1)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(nats_url: str, referral: str, issuer: Issuer, orgs: list[str],
                  townships: list[str], rate: float, seconds: float) -> dict[str, Any]:
    nc = await nats.connect(nats_url)
    sent: dict[str, tuple[float, float]] = {}  # case -> (request sent, answer received)
    received: list[tuple[str, str, float]] = []
    refused: list[int] = []  # 503 answers (back-pressure) before a request went through
    stop = asyncio.Event()

    async def consume(org: str) -> None:
        async with OrgClient(nc, org).events(slot=1) as events:
            while not stop.is_set():
                for item in await events.fetch(batch=64, timeout=0.5):
                    now = time.perf_counter()
                    if isinstance(item, Delivery):
                        received.append((org, item.event.correlation_id, now))
                        await item.msg.ack()

    consumers = [asyncio.create_task(consume(org)) for org in orgs]
    await asyncio.sleep(2)  # every durable exists before the first event
    tokens = {town: {"Authorization": f"Bearer {issuer.issue(town, 'bench')}"}
              for town in townships}
    async with httpx.AsyncClient(base_url=referral, timeout=30) as http:
        async def record(n: int) -> None:
            town = townships[n % len(townships)]
            body = {"matter_code": MATTER, "locality": town, "summary": "基准",
                    "found_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()}
            began = time.perf_counter()
            while True:  # the service's back-pressure (503) is counted, and waited out
                answer = await http.post("/cases", json=body, headers=tokens[town])
                if answer.status_code != 503:
                    break
                refused.append(n)
                await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
            answer.raise_for_status()
            sent[answer.json()["case_id"]] = (began, time.perf_counter())

        total, started, posts = int(rate * seconds), time.perf_counter(), []
        for n in range(total):  # a steady rate, whatever each request takes
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
            posts.append(asyncio.create_task(record(n)))
        await asyncio.gather(*posts)
    deadline = time.perf_counter() + 30
    while len(received) < 2 * total and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*consumers)
    await nc.close()
    from_request = [at - sent[case][0] for _, case, at in received if case in sent]
    from_answer = [at - sent[case][1] for _, case, at in received if case in sent]
    ms = 1000.0
    return {
        "events": total, "http_503_retries": len(refused),
        "deliveries_expected": 2 * total, "deliveries": len(from_request),
        "organisations_subscribed": len(orgs), "rate_per_s": rate, "seconds": seconds,
        "p50_ms_from_request": statistics.median(from_request) * ms,
        "p99_ms_from_request": percentile(from_request, 0.99) * ms,
        "max_ms_from_request": max(from_request) * ms,
        "p50_ms_from_commit": statistics.median(from_answer) * ms,
        "p99_ms_from_commit": percentile(from_answer, 0.99) * ms,
    }


def main(rate: float, seconds: float, size: int) -> dict[str, Any]:
    with servers() as s:
        refdata = Path(tempfile.mkdtemp(prefix="liandong-bench-district-"))
        orgs = district_of(size, refdata)
        townships = [org for org in orgs if org.startswith(("town-", "street-"))]
        issuer, keys = Issuer.generate(), Path(tempfile.mkdtemp(prefix="liandong-bench-keys-"))
        port = free_port()
        env = {**os.environ, "NATS_URL": s.nats.url, "MONGODB_URL": s.mongo.url,
               "LOG_LEVEL": "INFO", "REFDATA_DIR": str(refdata), "HTTP_PORT": str(port),
               "MONGODB_DATABASE": f"bench_addressed_{uuid.uuid4().hex[:8]}",
               "AUTH_JWKS_URL": issuer.write_jwks(keys / "jwks.json").as_uri()}
        with (s.root / "referral.log").open("ab") as log:
            process = subprocess.Popen([sys.executable, "-m", "referral"], env=env, stdout=log,
                                       stderr=subprocess.STDOUT)
        try:
            wait_ready(port, process, timeout=60)
            return asyncio.run(measure(s.nats.url, f"http://127.0.0.1:{port}", issuer, orgs,
                                       townships, rate, seconds))
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
            shutil.rmtree(refdata, ignore_errors=True)
            shutil.rmtree(keys, ignore_errors=True)


if __name__ == "__main__":
    cli = argparse.ArgumentParser(prog="python -m bench.addressed", description=__doc__)
    cli.add_argument("--rate", type=float, default=50, help="state changes per second")
    cli.add_argument("--seconds", type=float, default=20)
    cli.add_argument("--organisations", type=int, default=50)
    args = cli.parse_args()
    before = load_average()
    figures = main(args.rate, args.seconds, args.organisations)
    figures.update(load_before=before, load_after=load_average(), commit=commit(),
                   at=datetime.now(UTC).isoformat(), machine=platform.node())
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "addressed-latest.json").write_text(json.dumps(figures, indent=2) + "\n")
