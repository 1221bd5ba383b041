"""The audit log: who changed what, when and why, as a hash chain per service.

Every committed `Store.transaction` appends one entry to its service's `audit` collection
in the same transaction: the acting organisations and persons of the events it emitted,
who asked for it over HTTP (the bearer token's organisation and person, even when nothing
was emitted), or the consumer and the consumed event id, the events' ids and types, their
correlation ids and the causing events.

The transaction only journals its entry (`audit_journal`, one insert, no shared document),
so transactions of a service run in parallel. The sealer (`audit_seal.py`) then chains the
journalled entries, in the order it finds them committed: entries are numbered 1, 2, 3 …
(`_id` = `seq`); each carries `prev_hash` and `hash` = SHA-256 of its canonical JSON (sorted
keys, UTC ISO times, everything but `_id` and `hash`); the `audit_head` document holds the
last number and hash. The verifier walks the chain and names the first entry that was
edited, removed or cut off. See docs/adr/0001-audit-sealer.md.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from liandong_contracts.envelope import Event
from liandong_runtime.acting import Acting

if TYPE_CHECKING:
    from liandong_runtime.storage import Tx

ENTRIES, HEAD, HEAD_ID, JOURNAL = "audit", "audit_head", "head", "audit_journal"
GENESIS = "0" * 64  # the prev_hash of entry 1
SCHEMA_VERSION = 1


def canonical(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8; times as UTC ISO with milliseconds (what BSON keeps)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=iso).encode()


def iso(value: Any) -> str:
    """A time as UTC ISO with milliseconds; anything else has no place in an entry."""
    if not isinstance(value, datetime):
        raise TypeError(f"{type(value).__name__} is not allowed in an audit entry")
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # a naive BSON date is UTC
    return aware.astimezone(UTC).isoformat(timespec="milliseconds")


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 over every field but `_id` and `hash`; `prev_hash` included."""
    return hashlib.sha256(canonical(
        {k: v for k, v in entry.items() if k not in ("_id", "hash")})).hexdigest()


def describe(emitted: Sequence[Event], consumed: tuple[str, str] | None,
             at: datetime, acting: Acting | None = None) -> dict[str, Any]:
    """Who, when, what and why of one transaction, from what it emitted and consumed and
    who asked for it (the token's organisation and person)."""
    actors = [{"org": e.actor.id, "kind": str(e.actor.kind), "person": e.acting_person}
              for e in emitted]
    return {
        "schema_version": SCHEMA_VERSION,
        "at": at.astimezone(UTC).replace(microsecond=at.microsecond // 1000 * 1000),
        "who": {"actors": _unique(actors), "consumer": consumed[0] if consumed else None,
                "requested_by": {"org": acting.org_id, "person": acting.person}
                if acting else None},
        "what": [{"event_id": str(e.event_id), "type": e.type, "subject": e.subject(),
                  "correlation_id": e.correlation_id} for e in emitted],
        "correlation_ids": sorted({e.correlation_id for e in emitted}),
        "cause": {"consumed_event_id": consumed[1] if consumed else None,
                  "causation_ids": sorted({str(e.causation_id) for e in emitted
                                           if e.causation_id})},
    }


def _unique(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def chained(entry: dict[str, Any], seq: int, prev_hash: str) -> dict[str, Any]:
    linked = {**entry, "_id": seq, "seq": seq, "prev_hash": prev_hash}
    return {**linked, "hash": entry_hash(linked)}


async def append(tx: "Tx", consumed: tuple[str, str] | None,
                 acting: Acting | None = None) -> None:
    """Journal this transaction's entry, inside the transaction; the sealer chains it."""
    entry = describe(tx.emitted, consumed, datetime.now(UTC), acting)
    await tx.db[JOURNAL].insert_one({"entry": entry}, session=tx.session)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a walk: `broken_seq` is the first entry that fails, if any."""

    entries: int
    head: str
    broken_seq: int | None = None
    problem: str | None = None
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        if self.ok:
            waiting = f"; {self.unsealed} awaiting the sealer" if self.unsealed else ""
            return f"ok: {self.entries} entries, head {self.head}{waiting}"
        return f"broken at seq {self.broken_seq}: {self.problem}"


class ChainWalk:
    """Checks entries fed in seq order and stops at the first problem."""

    def __init__(self) -> None:
        self.seq, self.hash = 0, GENESIS
        self.broken: Verdict | None = None

    def feed(self, entry: dict[str, Any]) -> bool:
        """False once the chain is broken: later entries cannot be trusted to tell more."""
        self.broken = self._check(entry, self.seq + 1)
        if self.broken is None:
            self.seq, self.hash = self.seq + 1, str(entry["hash"])
        return self.broken is None

    def _check(self, entry: dict[str, Any], expected: int) -> Verdict | None:
        seq = entry.get("seq")
        if entry.get("_id") != seq:
            return self._break(expected, f"entry {entry.get('_id')!r} says seq {seq!r}: edited")
        if seq != expected:
            return self._break(expected, f"seq {expected} is missing (deleted); the next "
                                         f"entry is seq {seq}")
        if _recomputed(entry) != entry.get("hash"):
            return self._break(expected, "hash mismatch: the entry was edited")
        if entry.get("prev_hash") != self.hash:
            return self._break(expected, f"prev_hash differs from the hash of seq "
                                         f"{expected - 1}: an entry before it was replaced")
        return None

    def _break(self, seq: int, problem: str) -> Verdict:
        return Verdict(self.seq, self.hash, seq, problem)

    def verdict(self, head: dict[str, Any] | None) -> Verdict:
        """The walk's result, checked against the chain head read before it started."""
        if self.broken is not None:
            return self.broken
        if head is None:
            return (self._break(self.seq + 1, "the chain head is missing (deleted)")
                    if self.seq else Verdict(0, GENESIS))
        if head.get("seq") != self.seq:
            return self._break(self.seq + 1, f"truncated: the chain head is at seq "
                                             f"{head.get('seq')}, the last entry is seq {self.seq}")
        if head.get("hash") != self.hash:
            return self._break(self.seq, "the chain head's hash differs from the last entry's")
        return Verdict(self.seq, self.hash)


def _recomputed(entry: dict[str, Any]) -> str | None:
    try:
        return entry_hash(entry)
    except (TypeError, ValueError):  # a value no writer of this log stores
        return None


async def verify(db: AsyncDatabase[dict[str, Any]]) -> Verdict:
    """Walk the chain up to the head as read first, so appends meanwhile do not count."""
    head = await db[HEAD].find_one({"_id": HEAD_ID})
    upto = {"_id": {"$lte": head["seq"]}} if head else {}
    walk = ChainWalk()
    async for entry in db[ENTRIES].find(upto).sort("_id", ASCENDING):
        if not walk.feed(entry):
            break
    verdict = walk.verdict(head)
    unsealed = await db[JOURNAL].count_documents({})
    return replace(verdict, unsealed=unsealed) if verdict.ok else verdict


async def recent(db: AsyncDatabase[dict[str, Any]], last: int) -> list[dict[str, Any]]:
    """The last entries, oldest first."""
    newest = await db[ENTRIES].find().sort("_id", -1).limit(last).to_list()
    return newest[::-1]
