"""How many duties are open, and breached but undone, per rule and organisation: counted
as duties change, never by scanning all of them.

Every save of a deadline that moves it in or out of a counted bucket adds +1/-1 to a
counter document in the same transaction (so the counts are exactly the committed states,
whichever replica wrote them). A bucket's count is spread over up to SHARDS documents: a
transaction takes the first one no other open transaction of this process holds, starting
from an offset of its own (so replicas start apart). Concurrent transactions on the same rule
and organisation thus touch different documents, and counting does not serialise writes (a
single counter document would: every transaction would conflict on it, and each conflict
runs a transaction again). A key has as many documents as transactions ever counted it at
once; the gauges read these few documents.

Deadlines written before the counters existed are counted once, at the first start
(`ensure_counted`): an aggregation, then a marker. Reading: that first start is expected
before any replica of the new version writes deadlines (a rolling upgrade writing while the
first replica counts could count those changes twice; `ensure_counted(rebuild=True)`
counts again from scratch).
"""

import random
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from liandong_runtime.storage import Tx

Key = tuple[str, str, str]  # bucket, rule, organisation
SHARDS = 64
_OFFSET = random.randrange(SHARDS)  # this process's first shard
_holders: dict[tuple[Key, int], Any] = {}  # the session that last counted in a shard
BUILT = "_built"


def counted(doc: dict[str, Any] | None) -> Key | None:
    """The bucket a stored deadline counts in: open, breached (and undone), or none."""
    if doc is None:
        return None
    if doc.get("state") == "open":
        bucket = "open"
    elif doc.get("state") == "breached" and doc.get("done_at") is None:
        bucket = "breached"
    else:
        return None
    responsible = doc.get("responsible") or {}
    return bucket, str(doc.get("rule") or ""), str(responsible.get("id") or "unknown")


async def count_change(tx: Tx, before: Key | None, after: Key | None) -> None:
    if before == after:
        return
    for key, delta in ((before, -1), (after, 1)):
        if key is not None:
            bucket, rule, org = key
            await tx.db.duty_counts.update_one(
                {"_id": f"{bucket}|{rule}|{org}|{_shard(key, tx.session)}"},
                {"$inc": {"n": delta}, "$setOnInsert": {"bucket": bucket, "rule": rule,
                                                        "org": org}},
                upsert=True, session=tx.session)


def _shard(key: Key, session: Any) -> int:
    """The first shard of `key` no other transaction of this process has open."""
    for step in range(SHARDS):
        shard = (_OFFSET + step) % SHARDS
        holder = _holders.get((key, shard))
        if holder is None or holder is session or not getattr(holder, "in_transaction", False):
            _holders[(key, shard)] = session
            return shard
    return random.randrange(SHARDS)  # more than SHARDS at once: share one


async def read_counts(db: AsyncDatabase[dict[str, Any]]) -> dict[str, dict[tuple[str, str], int]]:
    """{bucket: {(rule, organisation): n}}, zero counts left out."""
    totals: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    async for doc in db.duty_counts.find({"bucket": {"$exists": True}}):
        totals[doc["bucket"]][(doc["rule"], doc["org"])] += doc["n"]
    return {bucket: {k: n for k, n in per.items() if n} for bucket, per in totals.items()}


async def ensure_counted(db: AsyncDatabase[dict[str, Any]], rebuild: bool = False) -> None:
    """Count the deadlines stored before the counters existed, once (see the module)."""
    if not rebuild and await db.duty_counts.find_one({"_id": BUILT}) is not None:
        return
    await db.duty_counts.delete_many({"bucket": {"$exists": True}})
    pipeline = [
        {"$match": {"state": {"$in": ["open", "breached"]}, "done_at": None}},
        {"$group": {"_id": {"state": "$state", "rule": "$rule", "org": "$responsible.id"},
                    "n": {"$sum": 1}}}]
    writes = []
    async for doc in await db.deadlines.aggregate(pipeline):
        key = counted({"state": doc["_id"]["state"], "rule": doc["_id"].get("rule"),
                       "done_at": None, "responsible": {"id": doc["_id"].get("org")}})
        if key is not None:
            bucket, rule, org = key
            writes.append(UpdateOne({"_id": f"{bucket}|{rule}|{org}|base"},
                                    {"$set": {"bucket": bucket, "rule": rule, "org": org,
                                              "n": doc["n"]}}, upsert=True))
    if writes:
        await db.duty_counts.bulk_write(writes)
    await db.duty_counts.replace_one({"_id": BUILT}, {"at": datetime.now(UTC)}, upsert=True)
