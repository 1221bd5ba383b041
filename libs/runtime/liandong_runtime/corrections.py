"""Catalogue corrections decided by the district government (DSP-2), kept per service.

A decision with `catalogue_correction` says the catalogue named the wrong owner for a
matter. The correction names the matter, the townships it covers (none named: all) and the
day from which it applies (by default the decision's day, Asia/Shanghai); the decided owner
("township" for the township where the violation is, or a department id) replaces the
catalogue's only there and from then on. Ownership before that day is unchanged (JUR-1):
the catalogue keeps its history. Every correction is kept, one document per decision; where
several cover the same place and day, the newest decision wins.

Each service that looks owners up records the corrections in its own database, from the
event, and asks here first.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from faststream.nats import NatsBroker
from pymongo.asynchronous.database import AsyncDatabase

from liandong_contracts.escalation_v1 import DisputeDecided
from liandong_runtime.consuming import subscriber
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.settings import NatsSettings
from liandong_runtime.storage import Store, Tx
from liandong_runtime.workdays import SHANGHAI

SCHEMA_VERSION = 2  # 1: one document per matter, `_id` the matter code, for all places and days


@dataclass(frozen=True, slots=True)
class Correction:
    """One decision's correction of the catalogue, for some places from a day on (DSP-2)."""

    matter_code: str
    owner: str  # "township" (the township where the violation is) or a department id
    places: tuple[str, ...]  # the townships and street offices covered; empty: all of them
    effective_from: date
    decided_at: datetime
    decision_id: str  # the decision event's id: orders decisions made at the same instant

    def covers(self, on: date, township_id: str) -> bool:
        return on >= self.effective_from and (not self.places or township_id in self.places)


def corrected_owner(corrections: Iterable[Correction], on: date,
                    township_id: str) -> str | None:
    """The owner the newest correction covering this day and place names; None if none does."""
    covering = [c for c in corrections if c.covers(on, township_id)]
    if not covering:
        return None
    return max(covering, key=lambda c: (c.decided_at, c.decision_id)).owner


def owner_spec(decided: DisputeDecided) -> str:
    return "township" if decided.owner.kind.is_township else decided.owner.id


def effective_from(decided: DisputeDecided) -> date:
    """The day the correction applies from: as decided, else the decision's own day; never
    before that day (JUR-1: a later change never rewrites who owned a matter on an earlier
    day; the desk refuses such a day, this holds whoever sent the event)."""
    decision_day = decided.occurred_at.astimezone(SHANGHAI).date()
    if decided.correction_effective_from is None:
        return decision_day
    return max(decided.correction_effective_from, decision_day)


def correction_of(decided: DisputeDecided) -> Correction:
    return Correction(decided.matter_code, owner_spec(decided),
                      tuple(sorted(set(decided.correction_places))), effective_from(decided),
                      decided.occurred_at, str(decided.event_id))


def to_doc(decided: DisputeDecided) -> dict[str, Any]:
    c = correction_of(decided)
    return {"_id": c.decision_id, "schema_version": SCHEMA_VERSION,
            "matter_code": c.matter_code, "owner": c.owner,
            "decided_owner": decided.owner.model_dump(mode="json"),
            "places": list(c.places), "effective_from": c.effective_from.isoformat(),
            "decided_at": c.decided_at, "dispute_id": decided.dispute_id,
            "decision_ref": decided.decision_ref}


def from_doc(doc: dict[str, Any]) -> Correction:
    if "matter_code" not in doc:  # schema 1: made for every place, from its decision on
        decided_at = doc["effective_at"]
        return Correction(doc["_id"], doc["owner"], (), decided_at.astimezone(SHANGHAI).date(),
                          decided_at, str(doc.get("dispute_id", "")))
    return Correction(doc["matter_code"], doc["owner"], tuple(doc["places"]),
                      date.fromisoformat(doc["effective_from"]), doc["decided_at"], doc["_id"])


async def record(tx: Tx, decided: DisputeDecided) -> None:
    """Keep the decision's correction beside the earlier ones (each decision its own document:
    a redelivery writes the same document again)."""
    if not decided.catalogue_correction:
        return
    await tx.db.catalogue_corrections.replace_one({"_id": str(decided.event_id)},
                                                  to_doc(decided), upsert=True,
                                                  session=tx.session)


async def corrections_of(db: AsyncDatabase[dict[str, Any]], code: str) -> list[Correction]:
    """Every correction of a matter (those of schema 1 were keyed by the matter code)."""
    docs = await db.catalogue_corrections.find(
        {"$or": [{"matter_code": code}, {"_id": code}]}).to_list(None)
    return [from_doc(doc) for doc in docs]


class CatalogueOwners:
    """JUR-1 straight from the catalogue, for when no corrections are kept (unit tests)."""

    def __init__(self, refdata: ReferenceData) -> None:
        self.refdata = refdata

    async def owner_of(self, code: str, on: date, locality_township_id: str) -> Organisation:
        owner_id = self.refdata.catalogue.owner_as_of(code, on, locality_township_id)
        return self.refdata.directory.get(owner_id)


class CorrectedOwners:
    """JUR-1 with the corrections applied: who owns a matter in a locality on a date."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], refdata: ReferenceData) -> None:
        self.db, self.refdata = db, refdata

    async def owner_of(self, code: str, on: date, locality_township_id: str) -> Organisation:
        spec = self.refdata.catalogue.owner_as_of(code, on, locality_township_id)
        corrected = corrected_owner(await corrections_of(self.db, code), on, locality_township_id)
        if corrected is not None:
            spec = locality_township_id if corrected == "township" else corrected
        return self.refdata.directory.get(spec)


def subscribe(broker: NatsBroker, store: Store, settings: NatsSettings, service: str) -> None:
    """Keep this service's copy of the corrections, from the district government's decisions."""
    consumer = f"{service}-catalogue-corrections"

    @subscriber(broker, DisputeDecided, consumer=consumer, settings=settings)
    async def on_dispute_decided(event: DisputeDecided) -> None:
        await store.transaction(lambda tx: record(tx, event),
                                consumed=(consumer, str(event.event_id)))
