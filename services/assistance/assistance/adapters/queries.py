"""Read side of requests and calls: inboxes, outboxes, one with its history (parties and the
district government)."""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from assistance.domain.errors import CallNotFound, RequestNotFound
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata import Directory

LIMIT = 500
REQUEST = {"_id": 0, "request_id": "$_id", "kind": 1, "requester_id": 1, "receiver_id": 1,
           "case_id": 1, "urgent": 1, "evidence_at_risk": 1, "summary": 1, "status": 1,
           "requested_at": 1, "answer_due_at": 1, "on_site_due_at": 1, "awaiting_staff": 1,
           "version": 1}
CALL = {"_id": 0, "call_id": "$_id", "kind": 1, "caller_id": 1, "called_ids": 1,
        "matter_code": 1, "case_id": 1, "reason": 1, "called_at": 1, "due_at": 1,
        "silent_ids": 1, "version": 1}


def watches(directory: Directory, org_id: str) -> bool:
    """The district government sees every request and call, as it sees every case."""
    return org_id in directory and directory.get(org_id).kind is OrgKind.DISTRICT_GOVERNMENT


class RequestQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], directory: Directory) -> None:
        self.requests, self.directory = db.requests, directory

    async def inbox(self, org_id: str) -> list[dict[str, Any]]:
        """Requests the body must still answer (AST-1) or still send staff for (AST-2: a
        refusal does not end that duty), the oldest first."""
        owed = {"$or": [{"status": "requested"}, {"awaiting_staff": True}]}
        cursor = self.requests.find({"receiver_id": org_id, **owed}, REQUEST)
        return await cursor.sort("requested_at", ASCENDING).limit(LIMIT).to_list()

    async def outbox(self, org_id: str) -> list[dict[str, Any]]:
        """Requests the body made, the newest first."""
        cursor = self.requests.find({"requester_id": org_id}, REQUEST)
        return await cursor.sort("requested_at", DESCENDING).limit(LIMIT).to_list()

    async def request(self, request_id: str, org_id: str) -> dict[str, Any]:
        """State, due times, answer, extensions, dispatches and history, for the parties."""
        doc = await self.requests.find_one({"_id": request_id}, {
            **REQUEST, "documents": 1, "answer": 1, "extensions": 1, "dispatches": 1,
            "history": 1})
        if doc is None or not (org_id in (doc["requester_id"], doc["receiver_id"])
                               or watches(self.directory, org_id)):
            raise RequestNotFound(request_id)
        return doc


class CallQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], directory: Directory) -> None:
        self.calls, self.directory = db.calls, directory

    async def inbox(self, org_id: str) -> list[dict[str, Any]]:
        """Calls the body was named in and has not answered (JNT-4, JNT-6)."""
        cursor = self.calls.find({"silent_ids": org_id}, CALL)
        return await cursor.sort("called_at", ASCENDING).limit(LIMIT).to_list()

    async def call(self, call_id: str, org_id: str) -> dict[str, Any]:
        """JNT-6: who was called, who answered, how and when, and who is still silent."""
        doc = await self.calls.find_one({"_id": call_id}, {
            **CALL, "responses": 1, "dispatches": 1, "history": 1})
        if doc is None or not (org_id in (doc["caller_id"], *doc["called_ids"])
                               or watches(self.directory, org_id)):
            raise CallNotFound(call_id)
        answered = {r["org_id"]: r for r in doc.pop("responses")}
        doc["called"] = [self._called(called, doc["due_at"], answered.get(called))
                         for called in doc.pop("called_ids")]
        doc["silent"] = doc.pop("silent_ids")
        return doc

    def _called(self, org_id: str, due_at: Any, response: dict[str, Any] | None
                ) -> dict[str, Any]:
        name = self.directory.get(org_id).name if org_id in self.directory else org_id
        answer = {k: response[k] for k in ("answer", "reason", "at", "via")} if response else {}
        return {"id": org_id, "name": name, "due_at": due_at,
                "answer": answer.get("answer"), "reason": answer.get("reason"),
                "answered_at": answer.get("at"), "via": answer.get("via")}
