"""Joint-enforcement calls in MongoDB (collection `calls`)."""

from typing import Any

from assistance.adapters.outbox import SCHEMA_VERSION, Emitter, save_versioned
from assistance.domain.call import CallDispatch, JointCall, Response
from assistance.domain.errors import CallNotFound
from assistance.domain.values import Summons
from liandong_runtime.refdata import ReferenceData


def to_doc(call: JointCall) -> dict[str, Any]:
    s = call.summons
    return {
        "_id": call.id, "schema_version": SCHEMA_VERSION, "caller_id": call.caller.id,
        "kind": s.kind, "called_ids": [o.id for o in s.called], "reason": s.reason,
        "matter_code": s.matter.code if s.matter else None, "case_id": s.case_id,
        "called_at": call.called_at, "due_at": call.due_at,
        "responses": [{"org_id": org_id, **vars(r)} for org_id, r in call.responses.items()],
        "silent_ids": [o.id for o in call.silent],
        "dispatches": [vars(d) for d in call.dispatches],
    }


def from_doc(doc: dict[str, Any], refdata: ReferenceData) -> JointCall:
    org = refdata.directory.get
    code = doc["matter_code"]
    summons = Summons(doc["kind"], tuple(map(org, doc["called_ids"])), doc["reason"],
                      refdata.catalogue.matter(code) if code else None, doc["case_id"])
    responses = {r["org_id"]: Response(r["answer"], r["reason"], r["at"], r["via"])
                 for r in doc["responses"]}
    return JointCall(doc["_id"], org(doc["caller_id"]), summons, doc["called_at"],
                     doc["due_at"], responses, [CallDispatch(**d) for d in doc["dispatches"]],
                     doc["version"])


class MongoCallRepository:
    def __init__(self, emitter: Emitter) -> None:
        self.emitter, self.tx = emitter, emitter.tx
        self.collection = self.tx.db.calls

    async def get(self, call_id: str) -> JointCall:
        doc = await self.collection.find_one({"_id": call_id}, session=self.tx.session)
        if doc is None:
            raise CallNotFound(call_id)
        return from_doc(doc, self.emitter.refdata)

    async def add(self, call: JointCall) -> None:
        doc = {**to_doc(call), "version": 1, "history": self._emit(call)}
        await self.collection.insert_one(doc, session=self.tx.session)

    async def save(self, call: JointCall) -> None:
        await save_versioned(self.collection, self.tx, call.id, call.version, to_doc(call),
                             self._emit(call))

    def _emit(self, call: JointCall) -> list[dict[str, Any]]:
        return self.emitter.emit(call.events, aggregate_id=call.id, key="call_id")
