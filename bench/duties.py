"""P-3: open duties that cost nothing while nothing is due.

N open deadlines (due in the coming weeks, none soon) are written straight into
escalation's database, then escalation starts as its own process and counts them once.
Measured: CPU of escalation and of the database while idle (IDLE_S), escalation's memory,
one organisation's first list page and its overdue page over HTTP, and a burst of 100
deadlines due at the same moment: from their due time to each notification's record.
"""

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from bench import district
from bench.cpu import CpuMeter
from bench.servers import servers
from escalation.adapters import deadlines
from escalation.adapters.deadlines import to_doc
from escalation.adapters.duty_counts import ensure_counted
from escalation.domain.deadline import Deadline
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata import default_dir, load_reference_data

# every body of the directory but the district government, each as responsible in turn
ORGS = [org.ref().model_dump(mode="json") for org in load_reference_data(default_dir()).directory
        if org.kind != OrgKind.DISTRICT_GOVERNMENT]
BATCH = 10_000
BURST = 100


def open_duty(i: int, now: datetime, due_at: datetime | None = None) -> dict[str, Any]:
    """Open since an hour; due in a week and warned a day before (none due during the run),
    or due and already warned at `due_at` (its next action is the breach)."""
    due = due_at or now + timedelta(days=7, seconds=i * 3)
    d = Deadline(f"bench-{i}", "REF-4", "移送受理", ORGS[i % len(ORGS)], f"corr-{i}",
                 state="open", started_at=now - timedelta(hours=1), due_at=due,
                 warned=due_at is not None,
                 next_action_at=due if due_at else due - timedelta(days=1))
    return to_doc(d)


async def fill(mongo_url: str, database: str, count: int) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    db = client[database]
    await deadlines.ensure_indexes(db)  # as escalation would
    now = datetime.now(UTC)
    for start in range(0, count, BATCH):
        await db.deadlines.insert_many(
            [open_duty(i, now) for i in range(start, min(count, start + BATCH))], ordered=False)
    await ensure_counted(db, rebuild=True)  # counted, as if opened one by one by escalation
    await client.close()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def timed_get(http: httpx.AsyncClient, path: str, tries: int = 5) -> float:
    """Median milliseconds of `tries` reads of one page."""
    spent = []
    for _ in range(tries):
        started = time.perf_counter()
        (await http.get(path)).raise_for_status()
        spent.append((time.perf_counter() - started) * 1000)
    return sorted(spent)[len(spent) // 2]


async def burst(mongo_url: str, database: str, count: int) -> list[float]:
    """Milliseconds from the due time until each breach notification is committed (seen
    by polling every 50 ms: an upper bound)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url, tz_aware=True)
    db = client[database]
    due = datetime.now(UTC) + timedelta(seconds=3)
    base = 10_000_000
    await db.deadlines.insert_many([open_duty(base + i, due, due_at=due) for i in range(count)])
    ids = [f"bench-{base + i}" for i in range(count)]
    seen: dict[str, float] = {}  # deadline id -> ms after the due time it was first seen
    deadline = time.monotonic() + 60
    while len(seen) < count and time.monotonic() < deadline:
        async for doc in db.notifications.find({"deadline_id": {"$in": ids}}, {"deadline_id": 1}):
            seen.setdefault(doc["deadline_id"],
                            (datetime.now(UTC) - due).total_seconds() * 1000)
        await asyncio.sleep(0.05)  # another process's database: polled
    await client.close()
    return sorted(seen.values())


async def one_size(count: int, idle_s: float) -> dict[str, float]:
    run = uuid.uuid4().hex[:8]
    database = f"bench_escalation_{run}"
    with servers() as s:
        filled = time.perf_counter()
        await fill(s.mongo.url, database, count)
        filled = time.perf_counter() - filled
        with district.district(s.nats.url, s.mongo.url, s.root, ("escalation",), run) as stack:
            await asyncio.sleep(5)  # settle: start-up work done
            meter = CpuMeter({"database": s.pids["database"], **stack["pids"]})
            meter.start()
            await asyncio.sleep(idle_s)
            used = meter.stop()
            token = stack["issuer"].issue("town-hexi", "bench")
            async with httpx.AsyncClient(base_url=stack["escalation"], timeout=60,
                                         headers={"Authorization": f"Bearer {token}"}) as http:
                page_ms = await timed_get(http, "/deadlines?limit=100")
                overdue_ms = await timed_get(http, "/deadlines/overdue?limit=100")
                notified = await burst(s.mongo.url, database, BURST)
                overdue_after_ms = await timed_get(http, "/deadlines/overdue?limit=100")
            rss = rss_mb(stack["pids"]["escalation"])
    p99 = notified[min(len(notified) - 1, int(len(notified) * 0.99))] if notified else float("inf")
    return {"open_duties": count, "fill_s": filled,
            "idle_cpu_escalation_pct": used["escalation"] / idle_s * 100,
            "idle_cpu_database_pct": used["database"] / idle_s * 100,
            "idle_cpu_both_pct": (used["escalation"] + used["database"]) / idle_s * 100,
            "escalation_rss_mb": rss, "org_page_ms": page_ms, "overdue_page_ms": overdue_ms,
            "overdue_page_after_burst_ms": overdue_after_ms,
            "burst_notified": len(notified), "burst_p50_ms": notified[len(notified) // 2]
            if notified else float("inf"), "burst_p99_ms": p99}
