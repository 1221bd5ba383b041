"""Complaints in MongoDB: conditional saves on the version, events to the outbox.

The complainant's personal data goes to its own collection, `complainants`, keyed by the
random reference; the complaint document holds only that reference (CMP-8).
"""

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from complaint.adapters.contracts_map import to_contract
from complaint.domain import events as ev
from complaint.domain.cases import Case
from complaint.domain.complaint import Complaint, Guidance, Intake
from complaint.domain.errors import ComplaintNotFound
from complaint.domain.personal import Complainant
from complaint.service.commands import Acting
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.storage import ConcurrentUpdate, Store, Tx
from liandong_runtime.times import SHANGHAI

T = TypeVar("T")
SCHEMA_VERSION = 1
REFERENCE_PREFIX = "TS"  # 投诉



def _id(org: Any) -> str | None:
    return org.id if org is not None else None


def to_doc(cp: Complaint) -> dict[str, Any]:
    i = cp.intake
    return {
        "_id": cp.id, "schema_version": SCHEMA_VERSION, "reference_no": cp.reference_no,
        "received_by_id": cp.received_by.id, "complainant_ref": str(cp.complainant_ref),
        "channel": i.channel, "received_at": i.received_at, "registered_at": i.registered_at,
        "summary": i.summary, "materials": [asdict(m) for m in i.materials], "origin": i.origin,
        "handler_id": cp.handler.id, "matter_code": cp.matter_code,
        "locality_id": _id(cp.locality), "status": cp.status, "handled_by": list(cp.handled_by),
        "forwarded_by_id": _id(cp.forwarded_by), "told_by_id": _id(cp.told_by),
        "outcome": cp.outcome, "case_id": cp.case_id, "answered": cp.answered,
        "feedback_sent": cp.feedback_sent, "forward_due": cp.forward_due, "settled": cp.settled,
        "handler_received_at": cp.handler_received_at,
        "contested_by_id": _id(cp.contested_by), "took_over_from_id": _id(cp.took_over_from),
        "feedback_released": cp.feedback_released,
        "guidance": [asdict(g) for g in cp.guidance],
    }


def from_doc(doc: dict[str, Any], refdata: ReferenceData) -> Complaint:
    def org(key: str) -> Any:
        return refdata.directory.get(doc[key]) if doc.get(key) else None

    intake = Intake(doc["channel"], doc["received_at"], doc["registered_at"], doc["summary"],
                    tuple(ev.Material(**m) for m in doc["materials"]), doc["origin"])
    return Complaint(
        doc["_id"], doc["reference_no"], org("received_by_id"), UUID(doc["complainant_ref"]),
        intake, org("handler_id"), doc["matter_code"], org("locality_id"), doc["status"],
        tuple(doc["handled_by"]), org("forwarded_by_id"), org("told_by_id"), doc["outcome"],
        doc["case_id"], doc["answered"], doc["feedback_sent"], doc["forward_due"],
        doc["settled"], doc.get("handler_received_at"), org("contested_by_id"),
        org("took_over_from_id"), doc.get("feedback_released", False),
        tuple(Guidance(**g) for g in doc.get("guidance", ())), version=doc["version"])


def complainant_doc(cp: Complaint, person: Complainant) -> dict[str, Any]:
    return {"_id": str(cp.complainant_ref), "schema_version": SCHEMA_VERSION,
            "complaint_id": cp.id, **asdict(person), "created_at": datetime.now(UTC)}


class MongoComplaintRepository:
    def __init__(self, tx: Tx, refdata: ReferenceData, acting: Acting) -> None:
        self.tx, self.refdata, self.acting = tx, refdata, acting
        self.cases = MongoCases(tx)

    async def get(self, complaint_id: str) -> Complaint:
        doc = await self.tx.db.complaints.find_one({"_id": complaint_id}, session=self.tx.session)
        if doc is None:
            raise ComplaintNotFound(complaint_id)
        return from_doc(doc, self.refdata)

    async def add(self, complaint: Complaint, complainant: Complainant) -> None:
        session = self.tx.session
        await self.tx.db.complainants.insert_one(complainant_doc(complaint, complainant),
                                                 session=session)
        doc = {**to_doc(complaint), "version": 1, "timeline": self._emit(complaint)}
        await self.tx.db.complaints.insert_one(doc, session=session)

    async def save(self, complaint: Complaint) -> None:
        result = await self.tx.db.complaints.update_one(
            {"_id": complaint.id, "version": complaint.version},
            {"$set": {**to_doc(complaint), "version": complaint.version + 1},
             "$push": {"timeline": {"$each": self._emit(complaint)}}},
            session=self.tx.session,
        )
        if result.matched_count != 1:
            raise ConcurrentUpdate(complaint.id)

    async def next_reference_no(self, registered_at: datetime) -> str:
        day = f"{REFERENCE_PREFIX}-{registered_at.astimezone(SHANGHAI):%Y%m%d}"
        try:
            doc = await self.tx.db.counters.find_one_and_update(
                {"_id": day}, {"$inc": {"seq": 1}}, upsert=True,
                return_document=ReturnDocument.AFTER, session=self.tx.session)
        except DuplicateKeyError as exc:  # two first numbers of the day at once
            raise ConcurrentUpdate(day) from exc
        return f"{day}-{doc['seq']:04d}"

    def _emit(self, complaint: Complaint) -> list[dict[str, Any]]:
        """The timeline entries of the recorded events; those on the wire go to the outbox."""
        now = datetime.now(UTC)
        entries = [{"at": now, "actor_id": self.acting.org_id,
                    **self._record(complaint.id, event, now)} for event in complaint.events]
        complaint.events.clear()
        return entries

    def _record(self, complaint_id: str, event: ev.ComplaintEvent,
                now: datetime) -> dict[str, Any]:
        if isinstance(event, ev.DisputeResolved):
            return {"event": event.outcome, "dispute_id": event.dispute_id,
                    "owner_id": event.owner.id}
        if isinstance(event, ev.GuidanceGiven):  # CMP-6: on the complaint, not on the wire
            return {"event": "GuidanceGiven", "department_id": event.department.id}
        actor = self.refdata.directory.get(self.acting.org_id)
        contract = to_contract(event, complaint_id=complaint_id, actor=actor,
                               person=self.acting.person, now=now)
        if contract is None:
            raise TypeError(f"{type(event).__name__} has no contract to publish")
        self.tx.emit(contract)
        entry = {"event": contract.type, "event_id": str(contract.event_id)}
        if isinstance(event, ev.ComplaintForwarded):
            entry["receiver_id"] = event.receiver.id
        if isinstance(event, ev.ComplaintCaseNamed):
            entry["case_id"] = event.case_id
        return entry


class MongoCases:
    """CMP-4/JUR-3: the projection of the cases the referral service records."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx

    async def get(self, case_id: str) -> Case | None:
        doc = await self.tx.db.cases.find_one({"_id": case_id}, session=self.tx.session)
        return _case(doc) if doc else None

    async def for_complaint(self, complaint_id: str, owner_id: str) -> Case | None:
        doc = await self.tx.db.cases.find_one({"complaint_id": complaint_id, "owner_id": owner_id},
                                              session=self.tx.session)
        return _case(doc) if doc else None

    async def record(self, case: Case) -> None:
        """The latest owner wins (an accepted transfer moves the case); fields only added."""
        fields = {"owner_id": case.owner_id, "updated_at": datetime.now(UTC)}
        fields |= {k: v for k, v in (("matter_code", case.matter_code),
                                     ("complaint_id", case.complaint_id)) if v is not None}
        await self.tx.db.cases.update_one({"_id": case.case_id}, {"$set": fields},
                                          upsert=True, session=self.tx.session)


def _case(doc: dict[str, Any]) -> Case:
    return Case(doc["_id"], doc["owner_id"], doc.get("matter_code"), doc.get("complaint_id"))


class MongoComplaintUnitOfWork:
    def __init__(self, store: Store, refdata: ReferenceData) -> None:
        self.store, self.refdata = store, refdata

    async def ensure_indexes(self) -> None:
        complaints = self.store.db.complaints
        await complaints.create_index([("handler_id", ASCENDING), ("status", ASCENDING)])
        await complaints.create_index([("reference_no", ASCENDING)], unique=True)
        await self.store.db.cases.create_index([("complaint_id", ASCENDING),
                                                ("owner_id", ASCENDING)])

    async def run(self, work: Callable[[Any], Awaitable[T]], acting: Acting,
                  consumed: tuple[str, str] | None = None) -> T:
        async def in_tx(tx: Tx) -> T:
            return await work(MongoComplaintRepository(tx, self.refdata, acting))

        return await self.store.transaction(in_tx, consumed=consumed, acting=acting)
