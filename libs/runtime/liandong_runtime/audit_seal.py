"""The audit sealer: chains the journalled entries of committed transactions.

A transaction writes its audit entry to `audit_journal` (see `audit.append`); nothing it
writes is shared with other transactions, so they run in parallel. The sealer takes the
journal in the order it finds it, numbers and hashes each entry onto the chain, moves the
head and removes the journalled entries, in one transaction of its own. Several sealers
(one per replica) may run at once: they conflict on the head, one wins, the others run
again on what is left, so the chain stays one line without gaps or repeats.
"""

import asyncio
import logging
from typing import Any

from prometheus_client import CollectorRegistry, Gauge
from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, OperationFailure

from liandong_runtime.audit import ENTRIES as CHAIN
from liandong_runtime.audit import GENESIS, HEAD, HEAD_ID, JOURNAL, chained

log = logging.getLogger("liandong.audit")
BATCH = 200
LINGER_S = 0.05  # after a commit, wait this long so one sealing chains many entries

Db = AsyncDatabase[dict[str, Any]]


async def seal(db: Db, batch: int = BATCH) -> int:
    """Chain up to `batch` journalled entries; returns how many were sealed."""
    async with db.client.start_session() as session:
        sealed: int = await session.with_transaction(lambda s: _seal(db, s, batch))
    return sealed


async def seal_all(db: Db) -> int:
    """Seal until the journal is empty (tests, shutdown, the CLI)."""
    total = 0
    while sealed := await seal(db):
        total += sealed
    return total


async def _seal(db: Db, session: AsyncClientSession, batch: int) -> int:
    journal = await db[JOURNAL].find({}, session=session).sort(
        "_id", ASCENDING).limit(batch).to_list()
    if not journal:
        return 0
    head = await db[HEAD].find_one({"_id": HEAD_ID}, session=session)
    start, prev = (int(head["seq"]), str(head["hash"])) if head else (0, GENESIS)
    entries = []
    for n, doc in enumerate(journal, start=start + 1):
        entries.append(chained(doc["entry"], n, prev))
        prev = entries[-1]["hash"]
    ids = [doc["_id"] for doc in journal]
    try:
        moved = await db[HEAD].update_one(
            {"_id": HEAD_ID, "seq": start}, {"$set": {"seq": start + len(entries), "hash": prev}},
            upsert=head is None, session=session)
        removed = await db[JOURNAL].delete_many({"_id": {"$in": ids}}, session=session)
        if (moved.matched_count == 0 and moved.upserted_id is None) or \
                removed.deleted_count != len(ids):
            raise _sealed_elsewhere(start)
        await db[CHAIN].insert_many(entries, ordered=True, session=session)
    except DuplicateKeyError as exc:
        raise _sealed_elsewhere(start) from exc
    return len(entries)


def _sealed_elsewhere(seq: int) -> OperationFailure:
    """What MongoDB itself raises on a write conflict: `with_transaction` runs it again."""
    return OperationFailure(
        f"another sealer moved the audit head past seq {seq}",
        code=112, details={"codeName": "WriteConflict",
                           "errorLabels": ["TransientTransactionError"]})


class AuditSealer:
    """Seals shortly after commits (poked; lingering `LINGER_S` to chain many at once) and
    every `poll_s`, and shows the journal's size."""

    def __init__(self, db: Db, registry: CollectorRegistry, poll_s: float) -> None:
        self.db, self.poll_s = db, poll_s
        self.wakeup = asyncio.Event()
        self.backlog = Gauge("liandong_audit_unsealed",
                             "Audit entries committed but not yet chained by the sealer",
                             registry=registry)

    def poke(self, _: object = None) -> None:
        self.wakeup.set()

    async def run(self) -> None:
        while True:
            try:
                sealed = await seal(self.db)
                self.backlog.set(await self.db[JOURNAL].estimated_document_count()
                                 if sealed == BATCH else 0)
            except Exception:
                log.exception("audit sealer failed; retrying")
                sealed = 0
            if sealed < BATCH:
                await self._sleep()

    async def _sleep(self) -> None:
        try:
            await asyncio.wait_for(self.wakeup.wait(), self.poll_s)
            await asyncio.sleep(LINGER_S)
        except TimeoutError:
            pass
        self.wakeup.clear()
