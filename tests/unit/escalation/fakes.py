"""An in-memory stand-in for the few MongoDB calls the escalation engine makes, so the
engine and the desk can be tested without I/O. Queries: equality (dotted paths too),
$lt/$lte/$in/$exists/$or; updates: $set."""

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from liandong_runtime.storage import AlreadyProcessed, ConcurrentUpdate

MISSING = object()


def _get(doc: dict[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def _matches(doc: dict[str, Any], query: dict[str, Any]) -> bool:
    for key, wanted in query.items():
        if key == "$or":
            if not any(_matches(doc, q) for q in wanted):
                return False
            continue
        value = _get(doc, key)
        if isinstance(wanted, dict) and any(k.startswith("$") for k in wanted):
            if not all(_operator(value, op, arg) for op, arg in wanted.items()):
                return False
        elif (None if value is MISSING else value) != wanted:
            return False
    return True


def _operator(value: Any, op: str, arg: Any) -> bool:
    present = value is not MISSING and value is not None
    if op == "$lt":
        return present and value < arg
    if op == "$lte":
        return present and value <= arg
    if op == "$gt":
        return present and value > arg
    if op == "$gte":
        return present and value >= arg
    if op == "$in":
        return (None if value is MISSING else value) in arg
    if op == "$exists":
        return (value is not MISSING) == arg
    raise ValueError(f"the fake store does not know the operator {op}: add it here")


@dataclass
class Result:
    matched_count: int


class Cursor:
    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.docs = docs

    def sort(self, key: str | list[tuple[str, int]], direction: int = 1) -> "Cursor":
        keys = [(key, direction)] if isinstance(key, str) else key
        for name, way in reversed(keys):  # stable sorts, the last key first
            self.docs.sort(key=lambda d, name=name: d[name], reverse=way < 0)  # type: ignore[misc]
        return self

    def limit(self, n: int) -> "Cursor":
        self.docs = self.docs[:n]
        return self

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        return self.docs[:length] if length else self.docs


class FakeCollection:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}

    def _find(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        return [copy.deepcopy(d) for d in self.docs.values() if _matches(d, query)]

    def find(self, query: dict[str, Any] | None = None, projection: Any = None,
             session: Any = None) -> Cursor:
        return Cursor(self._find(query or {}))

    async def find_one(self, query: dict[str, Any], projection: Any = None, session: Any = None,
                       sort: list[tuple[str, int]] | None = None) -> dict[str, Any] | None:
        found = self._find(query)
        if sort:
            found.sort(key=lambda d: d[sort[0][0]], reverse=sort[0][1] < 0)
        return found[0] if found else None

    async def insert_one(self, doc: dict[str, Any], session: Any = None) -> None:
        if doc["_id"] in self.docs:
            raise KeyError(f"duplicate _id {doc['_id']}")
        self.docs[doc["_id"]] = copy.deepcopy(doc)

    async def replace_one(self, query: dict[str, Any], doc: dict[str, Any],
                          session: Any = None) -> Result:
        found = self._find(query)
        if not found:
            return Result(0)
        self.docs[found[0]["_id"]] = copy.deepcopy(doc)
        return Result(1)

    async def update_one(self, query: dict[str, Any], update: dict[str, Any],
                         session: Any = None, upsert: bool = False) -> Result:
        found = self._find(query)
        if not found and not upsert:
            return Result(0)
        doc = found[0] if found else {"_id": query["_id"],
                                      **copy.deepcopy(update.get("$setOnInsert", {}))}
        doc.update(copy.deepcopy(update.get("$set", {})))
        for name, delta in update.get("$inc", {}).items():
            doc[name] = doc.get(name, 0) + delta
        self.docs[doc["_id"]] = doc
        return Result(1)


class FakeDb:
    def __init__(self) -> None:
        self.collections: dict[str, FakeCollection] = {}

    def __getattr__(self, name: str) -> FakeCollection:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.collections.setdefault(name, FakeCollection())


@dataclass
class FakeTx:
    db: FakeDb
    session: Any = None
    emitted: list[Any] = field(default_factory=list)
    committed: list[Callable[[], None]] = field(default_factory=list)

    def emit(self, *events: Any) -> None:
        self.emitted.extend(events)

    def after_commit(self, effect: Callable[[], None]) -> None:
        self.committed.append(effect)


class FakeStore:
    """Runs `work` on a copy of the data and keeps it only if `work` returns: a failed
    transaction changes nothing. Everything emitted is kept in `emitted`."""

    def __init__(self) -> None:
        self.db = FakeDb()
        self.emitted: list[Any] = []
        self.inbox: set[tuple[str, str]] = set()

    async def transaction(self, work: Callable[[Any], Awaitable[Any]], *,
                          consumed: tuple[str, str] | None = None, acting: Any = None) -> Any:
        if consumed in self.inbox:
            raise AlreadyProcessed(str(consumed))
        for _ in range(3):
            saved = copy.deepcopy(self.db.collections)
            tx = FakeTx(self.db)
            try:
                result = await work(tx)
            except ConcurrentUpdate:
                self.db.collections = saved
                continue
            except BaseException:
                self.db.collections = saved
                raise
            if consumed:
                self.inbox.add(consumed)
            self.emitted.extend(tx.emitted)
            for effect in tx.committed:
                effect()
            return result
        raise ConcurrentUpdate("fake")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now


class CountingMetrics:
    def __init__(self) -> None:
        self.breaches: list[str] = []
        self.completions: list[str] = []
        self.reports: list[tuple[str, str]] = []

    def breached(self, d: Any) -> None:
        self.breaches.append(d.id)

    def completed(self, d: Any) -> None:
        self.completions.append(d.id)

    def reported(self, rule: str, organisation: str) -> None:
        self.reports.append((rule, organisation))
