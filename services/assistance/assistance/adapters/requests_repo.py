"""Assistance requests in MongoDB (collection `requests`)."""

from typing import Any

from assistance.adapters.outbox import SCHEMA_VERSION, Emitter, doc_of, document, save_versioned
from assistance.domain.errors import RequestNotFound
from assistance.domain.request import Answer, AssistanceRequest, Dispatch, Extension
from assistance.domain.values import Ask
from liandong_contracts.assistance_v1 import AssistanceKind
from liandong_runtime.refdata import ReferenceData


def to_doc(r: AssistanceRequest) -> dict[str, Any]:
    a = r.answer
    return {
        "_id": r.id, "schema_version": SCHEMA_VERSION, "requester_id": r.requester.id,
        "receiver_id": r.receiver.id, "kind": r.ask.kind.value, "case_id": r.ask.case_id,
        "urgent": r.ask.urgent, "evidence_at_risk": r.ask.evidence_at_risk,
        "summary": r.ask.summary, "documents": [doc_of(d) for d in r.ask.documents],
        "requested_at": r.requested_at, "answer_due_at": r.answer_due_at,
        "on_site_due_at": r.on_site_due_at, "status": r.status,
        "awaiting_staff": r.awaiting_staff,
        "answer": a and {"answer": a.answer, "reason": a.reason, "answered_at": a.answered_at,
                         "documents": [doc_of(d) for d in a.documents]},
        "extensions": [vars(x) for x in r.extensions],
        "dispatches": [vars(x) for x in r.dispatches],
    }


def from_doc(doc: dict[str, Any], refdata: ReferenceData) -> AssistanceRequest:
    org = refdata.directory.get
    ask = Ask(AssistanceKind(doc["kind"]), doc["summary"], tuple(map(document, doc["documents"])),
              doc["case_id"], doc["urgent"], doc["evidence_at_risk"])
    a = doc["answer"]
    answer = a and Answer(a["answer"], a["reason"], tuple(map(document, a["documents"])),
                          a["answered_at"])
    return AssistanceRequest(
        doc["_id"], org(doc["requester_id"]), org(doc["receiver_id"]), ask, doc["requested_at"],
        doc["answer_due_at"], doc["on_site_due_at"], answer,
        [Extension(**x) for x in doc["extensions"]], [Dispatch(**x) for x in doc["dispatches"]],
        doc["version"])


class MongoRequestRepository:
    def __init__(self, emitter: Emitter) -> None:
        self.emitter, self.tx = emitter, emitter.tx
        self.collection = self.tx.db.requests

    async def get(self, request_id: str) -> AssistanceRequest:
        doc = await self.collection.find_one({"_id": request_id}, session=self.tx.session)
        if doc is None:
            raise RequestNotFound(request_id)
        return from_doc(doc, self.emitter.refdata)

    async def add(self, request: AssistanceRequest) -> None:
        doc = {**to_doc(request), "version": 1, "history": self._emit(request)}
        await self.collection.insert_one(doc, session=self.tx.session)

    async def save(self, request: AssistanceRequest) -> None:
        await save_versioned(self.collection, self.tx, request.id, request.version,
                             to_doc(request), self._emit(request))

    def _emit(self, request: AssistanceRequest) -> list[dict[str, Any]]:
        return self.emitter.emit(request.events, aggregate_id=request.id, key="request_id")
