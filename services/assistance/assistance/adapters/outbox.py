"""What every repository shares: domain events out through the transaction's outbox,
a history entry per event, and saves conditional on the aggregate version."""

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from assistance.adapters.contracts_map import to_contract
from assistance.domain import events as ev
from assistance.domain.values import Document
from assistance.service.commands import Acting
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.storage import ConcurrentUpdate, Tx

SCHEMA_VERSION = 1


class Emitter:
    """Turns an aggregate's new domain events into contracts in the acting body's name."""

    def __init__(self, tx: Tx, refdata: ReferenceData, acting: Acting) -> None:
        self.tx, self.refdata, self.acting = tx, refdata, acting

    def emit(self, events: list[Any], *, aggregate_id: str,
             key: str | None) -> list[dict[str, Any]]:
        actor = self.refdata.directory.get(self.acting.org_id)
        contracts = [to_contract(e, aggregate_id=aggregate_id, key=key, actor=actor,
                                 person=self.acting.person) for e in events]
        self.tx.emit(*contracts)
        return [{"at": c.occurred_at, "event": c.type, "event_id": str(c.event_id),
                 "actor_id": actor.id, **_detail(e)} for c, e in zip(contracts, events,
                                                                       strict=True)]


def _detail(event: Any) -> dict[str, Any]:
    """The few facts a party reads in the history without opening the event."""
    match event:
        case ev.AssistanceExtended(new_due_at=due, reason=reason):
            return {"new_due_at": due, "reason": reason}
        case ev.AssistanceAnswered(answer=answer) | ev.JointEnforcementAnswered(answer=answer):
            return {"answer": answer}
        case ev.StaffDispatched(staff_count=staff, dispatched_at=sent, leader=leader):
            return {"staff_count": staff, "dispatched_at": sent, "leader": leader}
    return {}


async def save_versioned(collection: AsyncCollection[dict[str, Any]], tx: Tx, doc_id: str,
                         version: int, fields: dict[str, Any],
                         history: list[dict[str, Any]]) -> None:
    result = await collection.update_one(
        {"_id": doc_id, "version": version},
        {"$set": {**fields, "version": version + 1},
         "$push": {"history": {"$each": history}}},
        session=tx.session)
    if result.matched_count != 1:
        raise ConcurrentUpdate(doc_id)


def doc_of(document: Document) -> dict[str, Any]:
    return {"title": document.title, "uri": document.uri, "sha256": document.sha256}


def document(doc: dict[str, Any]) -> Document:
    return Document(doc["title"], doc["uri"], doc.get("sha256"))
