"""P-2: latency at a steady offered rate, and overload.

Referral and escalation run as processes (bench/district.py). CASES findings of Hexi
township (a matter urban management owns) are recorded first, not timed. Then transfers to
urban management are offered open-loop at RATE per second for SECONDS: each is sent at its
time whether or not the earlier ones were answered. A transfer's 202 is the commit of the
case in the receiver's inbox (the inbox is read from the state that transaction writes): its
latency is from sending to that answer, and the inbox is checked to hold every accepted one.
Meanwhile deadlines fall due at escalation, spread over the run: from each due time to its
notification's commit. Then 3x the rate for OVERLOAD_S: every answer must be a 202 or a
fast 503 (never a 500 or a time-out), and after the load ends a transfer must be answered
202 within 250 ms three times in a row: the time until then is the recovery.
"""

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from bench import district
from bench.duties import open_duty
from bench.servers import servers

FINDING = {"matter_code": "M-URB-009", "locality": "town-hexi", "summary": "无证建设（基准）"}
MATERIALS = {"materials": {"transfer_letter": "https://files.example/letter.pdf",
                           "case_source": ["https://files.example/record.pdf"],
                           "preliminary_evidence": ["https://files.example/photo.jpg"]}}
DUE_DURING = 20  # deadlines falling due during the steady load
PROBES = 300


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def record_cases(http: httpx.AsyncClient, count: int, clients: int = 16) -> list[str]:
    ids: list[str] = []

    async def worker(n: int) -> None:
        for _ in range(n):
            ids.append(await district.record_finding(http, FINDING))
    await asyncio.gather(*(worker(count // clients + 1) for _ in range(clients)))
    return ids


async def offer(http: httpx.AsyncClient, cases: list[str], rate: float,
                seconds: float) -> list[tuple[int, float]]:
    """(status, ms) of each transfer, sent open-loop at `rate`; status 0: timed out or failed."""
    results: list[tuple[int, float]] = []

    async def one(case_id: str) -> None:
        started = time.perf_counter()
        try:
            status = (await http.post(f"/cases/{case_id}/transfer", json=MATERIALS)).status_code
        except httpx.HTTPError:
            status = 0
        results.append((status, (time.perf_counter() - started) * 1000))
    tasks = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(cases.pop())))
    await asyncio.gather(*tasks)
    return results


async def notified_after_due(mongo_url: str, database: str,
                             seconds: float) -> list[float]:
    """DUE_DURING deadlines due during the load; ms from each due time to its notice."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    db = client[database]
    now = datetime.now(UTC)
    dues = {f"bench-{20_000_000 + i}": now + timedelta(seconds=2 + i * seconds / DUE_DURING)
            for i in range(DUE_DURING)}
    await db.deadlines.insert_many([open_duty(20_000_000 + i, due, due_at=due)
                                    for i, due in enumerate(dues.values())])
    seen: dict[str, float] = {}
    limit = time.monotonic() + seconds + 60
    while len(seen) < len(dues) and time.monotonic() < limit:
        async for doc in db.notifications.find({"deadline_id": {"$in": list(dues)}},
                                               {"deadline_id": 1}):
            seen.setdefault(doc["deadline_id"], (datetime.now(UTC) - dues[doc["deadline_id"]])
                            .total_seconds() * 1000)
        await asyncio.sleep(0.05)
    await client.close()
    return sorted(seen.values())


async def recovery(http: httpx.AsyncClient, cases: list[str]) -> float:
    """Seconds from the end of the overload until three transfers in a row got 202 fast."""
    ended, fine = time.perf_counter(), 0
    while cases and time.perf_counter() - ended < 60:
        started = time.perf_counter()
        try:
            status = (await http.post(f"/cases/{cases.pop()}/transfer",
                                      json=MATERIALS)).status_code
        except httpx.HTTPError:
            status = 0
        fine = fine + 1 if status == 202 and time.perf_counter() - started <= 0.25 else 0
        if fine == 3:
            return started - ended - 0.2  # from the first of the three
        await asyncio.sleep(0.1)
    return float("inf")


async def run(rate: float, seconds: float, overload_s: float) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:8]
    overload_rate = 3 * rate
    needed = int(rate * seconds + overload_rate * overload_s) + PROBES
    with servers() as s, district.district(s.nats.url, s.mongo.url, s.root,
                                           ("referral", "escalation"), run_id) as stack:
        finder = stack["issuer"].issue("town-hexi", "bench")
        async with httpx.AsyncClient(base_url=stack["referral"], timeout=30,
                                     limits=httpx.Limits(max_connections=1000),
                                     headers={"Authorization": f"Bearer {finder}"}) as http:
            cases = await record_cases(http, needed)
            mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(s.mongo.url)
            opened = mongo[f"bench_escalation_{run_id}"].deadlines
            while await opened.count_documents({}) < len(cases):  # noqa: ASYNC110
                await asyncio.sleep(0.2)  # escalation has caught up: nothing in the background
            due_task = asyncio.create_task(notified_after_due(
                s.mongo.url, f"bench_escalation_{run_id}", seconds))
            steady = await offer(http, cases, rate, seconds)
            due = await due_task
            accepted = [ms for status, ms in steady if status == 202]
            in_inbox = await mongo[f"bench_referral_{run_id}"].cases.count_documents(
                {"owner_id": "dept-urban", "status": "transferred"})
            over = await offer(http, cases, overload_rate, overload_s)
            recovered_s = await recovery(http, cases)
            await mongo.close()
    statuses: dict[str, int] = {}
    for status, _ in over:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {"rate": rate, "seconds": seconds, "offered": len(steady),
            "accepted_share": len(accepted) / len(steady), "in_inbox": in_inbox,
            "p50_ms": quantile(accepted, 0.5), "p95_ms": quantile(accepted, 0.95),
            "p99_ms": quantile(accepted, 0.99),
            "due_notified": len(due), "due_p50_ms": quantile(due, 0.5),
            "due_p99_ms": quantile(due, 0.99),
            "overload_rate": overload_rate, "overload_s": overload_s,
            "overload_statuses": statuses,
            "overload_503_p99_ms": quantile([ms for st, ms in over if st == 503], 0.99),
            "overload_202_p99_ms": quantile([ms for st, ms in over if st == 202], 0.99),
            "recovery_s": recovered_s}
