"""Read side for the district government's desk: deadlines, notifications, disputes."""

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from liandong_runtime.errors import NotFound

HIDDEN = {"version": 0, "schema_version": 0, "next_action_at": 0}


class DeskQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.db = db

    async def open_deadlines(self, org_id: str | None) -> list[dict[str, Any]]:
        """Open duties, and those paused by an open dispute (ESC-3), soonest due first."""
        query: dict[str, Any] = {"state": {"$in": ["open", "paused"]}}
        if org_id:
            query["responsible.id"] = org_id
        cursor = self.db.deadlines.find(query, HIDDEN).sort("due_at", ASCENDING)
        return await cursor.limit(1000).to_list()

    async def overdue(self, org_id: str | None = None) -> list[dict[str, Any]]:
        """Breached and still undone, plus open ones whose time passed a moment ago."""
        now = datetime.now(UTC)
        query: dict[str, Any] = {"$or": [{"state": "breached", "done_at": None},
                                         {"state": "open", "due_at": {"$lt": now}}]}
        if org_id:
            query["responsible.id"] = org_id
        cursor = self.db.deadlines.find(query, HIDDEN).sort("due_at", ASCENDING)
        return await cursor.limit(1000).to_list()

    async def notifications(self, limit: int, kind: str | None = None) -> list[dict[str, Any]]:
        """Breach notices (ESC-1) and reported refusals, newest first; `kind` keeps one.
        Notices written before kinds existed are breaches."""
        query: dict[str, Any] = {}
        if kind == "breach":
            query = {"kind": {"$in": ["breach", None]}}
        elif kind:
            query = {"kind": kind}
        cursor = self.db.notifications.find(query, {"webhook_next_at": 0})
        return await cursor.sort("notified_at", DESCENDING).limit(limit).to_list()

    async def disputes(self, state: str | None = None,
                       party: str | None = None) -> list[dict[str, Any]]:
        """All of them, or those `party` is a party to."""
        query: dict[str, Any] = {"state": state} if state else {}
        if party:
            query["parties.id"] = party
        cursor = self.db.disputes.find(query, HIDDEN).sort("occurred_at", DESCENDING)
        return await cursor.to_list(1000)

    async def dispute(self, dispute_id: str, party: str | None = None) -> dict[str, Any]:
        """Not found for anyone but its parties (and the district government: `party=None`)."""
        query: dict[str, Any] = {"_id": dispute_id}
        if party:
            query["parties.id"] = party
        doc = await self.db.disputes.find_one(query, HIDDEN)
        if doc is None:
            raise NotFound(f"dispute {dispute_id}")
        return doc

    async def corrections(self) -> list[dict[str, Any]]:
        return await self.db.catalogue_corrections.find({}).to_list(1000)
