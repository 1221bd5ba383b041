"""Catalogue corrections decided by the district government (DSP-2), kept per service.

A decision with `catalogue_correction` means the catalogue named the wrong owner for a
matter: from then on, for every lookup (the catalogue itself was wrong), the decided
owner ("township" for the locality's township, or a department id) replaces it, so the
same dispute is not raised again. Each service that looks owners up records the
corrections in its own database, from the event, and asks here first.
"""

from datetime import date
from typing import Any

from faststream.nats import NatsBroker
from pymongo.asynchronous.database import AsyncDatabase

from liandong_contracts.escalation_v1 import DisputeDecided
from liandong_runtime.consuming import subscriber
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.settings import NatsSettings
from liandong_runtime.storage import Store, Tx


def owner_spec(decided: DisputeDecided) -> str:
    return "township" if decided.owner.kind.is_township else decided.owner.id


async def record(tx: Tx, decided: DisputeDecided) -> None:
    """Idempotent: the newest decision on a matter wins."""
    if not decided.catalogue_correction:
        return
    current = await tx.db.catalogue_corrections.find_one({"_id": decided.matter_code},
                                                         session=tx.session)
    if current is not None and current["effective_at"] > decided.occurred_at:
        return
    doc = {"owner": owner_spec(decided), "dispute_id": decided.dispute_id,
           "decision_ref": decided.decision_ref, "effective_at": decided.occurred_at}
    await tx.db.catalogue_corrections.replace_one({"_id": decided.matter_code}, doc,
                                                  upsert=True, session=tx.session)


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
        correction = await self.db.catalogue_corrections.find_one({"_id": code})
        spec = correction["owner"] if correction else None
        if spec is None:
            spec = self.refdata.catalogue.owner_as_of(code, on, locality_township_id)
        return self.refdata.directory.get(locality_township_id if spec == "township" else spec)


def subscribe(broker: NatsBroker, store: Store, settings: NatsSettings, service: str) -> None:
    """Keep this service's copy of the corrections, from the district government's decisions."""
    consumer = f"{service}-catalogue-corrections"

    @subscriber(broker, DisputeDecided, consumer=consumer, settings=settings)
    async def on_dispute_decided(event: DisputeDecided) -> None:
        await store.transaction(lambda tx: record(tx, event),
                                consumed=(consumer, str(event.event_id)))
