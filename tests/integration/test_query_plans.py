"""Every hot query of the district government's desk, the watcher and the business gauges
is served by an index, and reads only about as many index keys as it returns: the commands
the code really sends are captured and explained (plans and key counts, never timings)."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import CommandListener, CommandStartedEvent

from escalation.adapters import deadlines, disputes
from escalation.adapters.metrics import DutyMetrics
from escalation.adapters.queries import DeskQueries
from liandong_runtime.workdays import load_calendar

NOW = datetime.now(UTC)  # taken as the module is collected: a long session runs it later,
DUE_LATER = timedelta(hours=6)  # so open duties fall due well after any session's end
ORGS = [f"town-{i}" for i in range(4)]
OPEN = 2_000  # open duties, a minute apart: 500 each organisation


class Commands(CommandListener):
    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def started(self, event: CommandStartedEvent) -> None:
        if event.command_name in ("find", "aggregate", "count"):
            self.seen.append({k: v for k, v in event.command.items()
                              if k not in ("lsid", "$db", "$clusterTime", "txnNumber",
                                           "autocommit", "startTransaction", "readConcern")})

    def succeeded(self, event: Any) -> None: ...

    def failed(self, event: Any) -> None: ...


@pytest.fixture(scope="module")
async def desk(mongo_url: str) -> AsyncIterator[tuple[AsyncDatabase[dict[str, Any]], Commands]]:
    commands = Commands()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_url, tz_aware=True, event_listeners=[commands])
    db = client.get_database(f"liandong_qp_{uuid.uuid4().hex[:8]}")
    docs = [{"_id": f"d{i:05}", "rule": "REF-4", "responsible": {"id": ORGS[i % 4]},
             "state": "open", "done_at": None, "due_at": NOW + DUE_LATER + timedelta(minutes=i + 1),
             "next_action_at": NOW + timedelta(minutes=i + 1)} for i in range(OPEN)]
    docs += [{"_id": f"b{i:03}", "rule": "CMP-7", "responsible": {"id": ORGS[i % 4]},
              "state": "breached", "done_at": None, "due_at": NOW - timedelta(hours=i + 1)}
             for i in range(20)]
    docs += [{"_id": f"x{i:05}", "rule": "REF-4", "responsible": {"id": ORGS[i % 4]},
              "state": "done", "done_at": NOW, "due_at": NOW - timedelta(minutes=i)}
             for i in range(1000)]
    docs += [{"_id": f"t{i:02}", "rule": "REF-4", "responsible": {"id": "town-ties"},
              "state": "open" if i % 3 else "paused", "done_at": None,
              "due_at": NOW + timedelta(days=3 + i // 10)} for i in range(30)]  # 10 a moment
    await db.deadlines.insert_many(docs)
    await db.disputes.insert_many([{"_id": f"p{i}", "state": "negotiating", "occurred_at": NOW,
                                    "parties": [{"id": ORGS[i % 4]}]} for i in range(50)])
    await deadlines.ensure_indexes(db)
    await disputes.ensure_indexes(db)
    yield db, commands
    await client.close()


async def plans(desk: tuple[AsyncDatabase[dict[str, Any]], Commands],
                call: Callable[[], Awaitable[Any]]) -> list[dict[str, Any]]:
    """The execution stats of every find, count and aggregate `call` sends (but a read of
    one document by its id)."""
    db, commands = desk
    commands.seen.clear()
    await call()
    sent = [cmd for cmd in commands.seen if "_id" not in cmd.get("filter", {})]
    assert sent, "the call sent no query"
    return [await db.command("explain", cmd, verbosity="executionStats") for cmd in sent]


def stages(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found, todo = [], [plan]
    while todo:
        stage = todo.pop()
        found.append(stage)
        todo += [stage[k] for k in ("inputStage",) if k in stage] + stage.get("inputStages", [])
    return found


def winning(explained: dict[str, Any]) -> dict[str, Any]:
    if "queryPlanner" in explained:
        return explained["queryPlanner"]["winningPlan"]
    return explained["stages"][0]["$cursor"]["queryPlanner"]["winningPlan"]


def keys_examined(explained: dict[str, Any]) -> int:
    stats = explained.get("executionStats") or explained["stages"][0]["$cursor"].get(
        "executionStats", {})
    return int(stats.get("totalKeysExamined", 0))


def assert_indexed(explained: list[dict[str, Any]], index_prefix: tuple[str, ...],
                   most_keys: int) -> None:
    for one in explained:
        scans = [s for s in stages(winning(one)) if s["stage"] in ("IXSCAN", "COLLSCAN")]
        assert scans and all(s["stage"] == "IXSCAN" for s in scans), winning(one)
        assert all(tuple(s["keyPattern"])[:len(index_prefix)] == index_prefix for s in scans)
        assert keys_examined(one) <= most_keys, (keys_examined(one), one.get("command"))


async def test_one_organisations_page_reads_its_window_of_the_index(desk) -> None:
    queries = DeskQueries(desk[0])
    page = await queries.open_deadlines("town-1", limit=20)
    assert [d["_id"] for d in page] == [f"d{i:05}" for i in range(1, 80, 4)]
    explained = await plans(desk, lambda: queries.open_deadlines("town-1", limit=20))
    assert_indexed(explained, ("responsible.id", "state", "done_at", "due_at"), most_keys=100)


async def test_the_next_page_starts_after_the_last_and_reads_only_its_window(desk) -> None:
    queries = DeskQueries(desk[0])
    first = await queries.open_deadlines("town-1", limit=20)
    second = await queries.open_deadlines("town-1", limit=20, after=first[-1]["_id"])
    assert [d["_id"] for d in second] == [f"d{i:05}" for i in range(81, 160, 4)]
    explained = await plans(desk, lambda: queries.open_deadlines(
        "town-1", limit=20, after=first[-1]["_id"]))
    assert_indexed(explained, ("responsible.id", "state", "done_at", "due_at"), most_keys=100)


async def test_the_whole_districts_page_reads_its_window_of_the_index(desk) -> None:
    queries = DeskQueries(desk[0])
    page = await queries.open_deadlines(None, limit=50)
    assert [d["_id"] for d in page] == [f"d{i:05}" for i in range(50)]
    explained = await plans(desk, lambda: queries.open_deadlines(None, limit=50))
    assert_indexed(explained, ("state", "done_at", "due_at"), most_keys=250)


async def test_overdue_lists_read_only_the_undone_past_due(desk) -> None:
    queries = DeskQueries(desk[0])
    assert [d["_id"] for d in await queries.overdue(None)] == [f"b{i:03}" for i in
                                                               reversed(range(20))]
    assert len(await queries.overdue("town-2")) == 5
    assert_indexed(await plans(desk, lambda: queries.overdue(None)),
                   ("state", "done_at", "due_at"), most_keys=30)
    assert_indexed(await plans(desk, lambda: queries.overdue("town-2")),
                   ("responsible.id", "state", "done_at", "due_at"), most_keys=30)


async def test_the_watcher_reads_only_what_is_due_soon(desk) -> None:
    db = desk[0]
    assert await deadlines.next_action_at(db, NOW) == NOW.replace(
        microsecond=NOW.microsecond // 1000 * 1000) + timedelta(minutes=1)
    assert_indexed(await plans(desk, lambda: deadlines.next_action_at(db, NOW)),
                   ("next_action_at",), most_keys=10)
    assert_indexed(await plans(desk, lambda: deadlines.due_ids(db, NOW + timedelta(minutes=3),
                                                               100)),
                   ("next_action_at",), most_keys=10)


async def test_a_refresh_of_the_gauges_reads_no_duty_that_is_not_past_due(desk) -> None:
    db = desk[0]
    metrics = DutyMetrics(CollectorRegistry(), load_calendar())
    explained = await plans(desk, lambda: metrics.refresh(db))
    on_deadlines = [e for e in explained if "deadlines" in str(e.get("command", e))[:200]]
    assert on_deadlines
    assert_indexed(on_deadlines, ("state", "done_at", "due_at"), most_keys=5)


async def test_a_partys_disputes_are_read_by_index(desk) -> None:
    queries = DeskQueries(desk[0])
    assert len(await queries.disputes(None, "town-3", limit=5)) == 5
    assert_indexed(await plans(desk, lambda: queries.disputes(None, "town-3", limit=5)),
                   ("parties.id",), most_keys=20)


@pytest.mark.parametrize(("org", "size"), [("town-2", 37), ("town-ties", 4), (None, 450)])
async def test_paging_on_reads_every_open_duty_once_in_due_order(desk, org, size) -> None:
    queries, seen = DeskQueries(desk[0]), []
    page = await queries.open_deadlines(org, limit=size)
    while page:
        seen += page
        page = await queries.open_deadlines(org, limit=size, after=page[-1]["_id"])
    expected = await desk[0].deadlines.find(
        {"state": {"$in": ["open", "paused"]}, **({"responsible.id": org} if org else {})}
    ).sort([("due_at", 1), ("_id", 1)]).to_list()
    assert [d["_id"] for d in seen] == [d["_id"] for d in expected]
