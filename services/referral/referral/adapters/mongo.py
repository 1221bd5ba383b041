"""Cases in MongoDB: conditional saves on the aggregate version, events to the outbox."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pymongo import ASCENDING

from liandong_runtime.refdata import ReferenceData
from liandong_runtime.storage import ConcurrentUpdate, Store, Tx
from referral.adapters.contracts_map import to_contract
from referral.domain.case import Case, Finding
from referral.domain.errors import CaseNotFound
from referral.service.commands import Acting

T = TypeVar("T")
SCHEMA_VERSION = 2  # 2: own cases (JUR-3), attempts (REF-9), notices (REF-6), recorded_at


def to_doc(case: Case) -> dict[str, Any]:
    f = case.finding
    return {
        "_id": case.id, "schema_version": SCHEMA_VERSION, "finder_id": case.finder.id,
        "owner_id": case.owner.id, "matter_code": f.matter.code, "locality_id": f.locality.id,
        "found_at": f.found_at, "urgent": f.urgent, "summary": f.summary,
        "historical": f.historical, "status": case.status, "crime": case.crime,
        "judicial_organ_id": case.judicial_organ.id if case.judicial_organ else None,
        "kind": case.kind, "attempt": case.attempt, "ongoing": case.ongoing,
        "stop_ordered_at": case.stop_ordered_at, "complaint_id": case.complaint_id,
        "recorded_at": f.recorded_at, "suspicions": case.suspicions,
    }


def upcast(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 1 knew transferred cases only, one transfer each, and no notice states."""
    if doc.get("schema_version", 1) < 2:
        ongoing = "reported" if doc.get("stop_ordered_at") else "none"
        attempt = 0 if doc["status"] == "found" else 1
        suspicions = 0 if doc["crime"] == "none" else 1
        doc = {"kind": "transfer", "attempt": attempt, "ongoing": ongoing,
               "suspicions": suspicions, **doc}
    return doc


def from_doc(doc: dict[str, Any], refdata: ReferenceData) -> Case:
    doc, org = upcast(doc), refdata.directory.get
    finding = Finding(refdata.catalogue.matter(doc["matter_code"]), org(doc["locality_id"]),
                      doc["found_at"], doc["urgent"], doc["summary"], doc["historical"],
                      doc.get("recorded_at"))
    organ = doc.get("judicial_organ_id")
    return Case(doc["_id"], org(doc["finder_id"]), org(doc["owner_id"]), finding,
                doc["status"], doc["crime"], org(organ) if organ else None, doc["version"],
                doc["kind"], doc["attempt"], doc["ongoing"], doc.get("complaint_id"),
                doc.get("stop_ordered_at"), doc["suspicions"])


class MongoCaseRepository:
    def __init__(self, tx: Tx, refdata: ReferenceData, acting: Acting) -> None:
        self.tx, self.refdata, self.acting = tx, refdata, acting

    async def get(self, case_id: str) -> Case:
        doc = await self.tx.db.cases.find_one({"_id": case_id}, session=self.tx.session)
        if doc is None:
            raise CaseNotFound(case_id)
        return from_doc(doc, self.refdata)

    async def add(self, case: Case) -> None:
        doc = {**to_doc(case), "version": 1, "timeline": self._emit(case)}
        await self.tx.db.cases.insert_one(doc, session=self.tx.session)

    async def save(self, case: Case) -> None:
        result = await self.tx.db.cases.update_one(
            {"_id": case.id, "version": case.version},
            {"$set": {**to_doc(case), "version": case.version + 1},
             "$push": {"timeline": {"$each": self._emit(case)}}},
            session=self.tx.session,
        )
        if result.matched_count != 1:
            raise ConcurrentUpdate(case.id)

    def _emit(self, case: Case) -> list[dict[str, Any]]:
        actor = self.refdata.directory.get(self.acting.org_id)
        now = datetime.now(UTC)
        contracts = [to_contract(e, case_id=case.id, actor=actor, person=self.acting.person,
                                 now=now) for e in case.events]
        self.tx.emit(*contracts)
        return [{"at": now, "event": c.type, "event_id": str(c.event_id), "actor_id": actor.id,
                 **_said(c)} for c in contracts]


def _said(contract: object) -> dict[str, Any]:
    """What a party said with the step (a refusal's grounds and reason), for the timeline."""
    return {k: v for k in ("grounds", "reason") if (v := getattr(contract, k, None))}


class MongoCaseUnitOfWork:
    def __init__(self, store: Store, refdata: ReferenceData) -> None:
        self.store, self.refdata = store, refdata

    async def ensure_indexes(self) -> None:
        await self.store.db.cases.create_index([("owner_id", ASCENDING), ("status", ASCENDING)])
        await self.store.db.cases.create_index([("finder_id", ASCENDING)])
        await self.store.db.cases.create_index([("owner_id", ASCENDING), ("ongoing", ASCENDING)])

    async def run(self, work: Callable[[Any], Awaitable[T]], acting: Acting,
                  consumed: tuple[str, str] | None = None) -> T:
        async def in_tx(tx: Tx) -> T:
            return await work(MongoCaseRepository(tx, self.refdata, acting))

        return await self.store.transaction(in_tx, consumed=consumed, acting=acting)
