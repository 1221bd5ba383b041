"""Read side (SHR-3): one platform where every body finds what is shared with it.

Paging: items carry `seq`, their publication number, given in commit order.
`GET /info` lists newest first; pass the last `seq` seen as `before` for the next page
(`next_before`). The feed lists oldest first from `after`; its `cursor` is the `seq` of
the last item returned, so a client that polls with it never misses or repeats an item.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from liandong_runtime.refdata import Directory
from liandong_runtime.times import SHANGHAI
from sharing.domain import rules
from sharing.domain.errors import InfoNotFound, RuleViolation

SHARED = ("producer", "category", "title", "matter_code", "formed_at", "recorded_at",
          "audience", "attachments", "summary", "published_at", "seq", "requested_by",
          "case_id")
OWN = ("status", "due_at", "delay", "late")  # SHR-4 (SHR-2), shown to the parties only


@dataclass(frozen=True)
class Search:
    category: str | None = None
    producer: str | None = None
    matter_code: str | None = None
    since: date | datetime | None = None  # formed_at, from the start of a day, or a time
    until: date | datetime | None = None  # formed_at, to the end of a day, or a time


def view(doc: dict[str, Any], org_id: str) -> dict[str, Any]:
    keys = SHARED + OWN if org_id in doc.get("parties", [doc["producer_id"]]) else SHARED
    return {"info_id": doc["_id"], **{k: doc.get(k) for k in keys}}


def formed_between(since: date | datetime | None, until: date | datetime | None) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    if isinstance(since, datetime):
        bounds["$gte"] = since
    elif since is not None:
        bounds["$gte"] = datetime.combine(since, time(), SHANGHAI)
    if isinstance(until, datetime):
        bounds["$lte"] = until
    elif until is not None:
        bounds["$lt"] = datetime.combine(until + timedelta(days=1), time(), SHANGHAI)
    return {"formed_at": bounds} if bounds else {}


def subscription_filter(sub: dict[str, Any]) -> dict[str, Any]:
    """The database's reading of `Subscription.matches`."""
    fields = {"category": sub["categories"], "producer_id": sub["producers"],
              "matter_code": sub["matter_codes"]}
    return {key: {"$in": values} for key, values in fields.items() if values}


class InfoQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], directory: Directory) -> None:
        self.info, self.subs, self.directory = db.info, db.subscriptions, directory

    async def search(self, org_id: str, s: Search, limit: int,
                     before: int | None) -> dict[str, Any]:
        query = {**self._visible(org_id), **formed_between(s.since, s.until)}
        if s.category is not None:
            query["category"] = rules.category_of(s.category).value
        query |= {k: v for k, v in (("producer_id", s.producer),
                                    ("matter_code", s.matter_code)) if v is not None}
        if before is not None:
            query["seq"] = {"$lt": before}
        docs = await self.info.find(query).sort("seq", DESCENDING).limit(limit).to_list()
        next_before = docs[-1]["seq"] if len(docs) == limit else None
        return {"items": [view(d, org_id) for d in docs], "next_before": next_before}

    async def item(self, info_id: str, org_id: str) -> dict[str, Any]:
        self._known(org_id)
        doc = await self.info.find_one({"_id": info_id})
        visible = doc is not None and (org_id in doc.get("parties", [doc["producer_id"]]) or bool(
            {"*", org_id} & set(doc.get("visible_to", ()))))
        if doc is None or not visible:
            raise InfoNotFound(info_id)
        return view(doc, org_id)

    async def feed(self, org_id: str, after: int, limit: int) -> dict[str, Any]:
        """New items shared with the organisation by others, matching any subscription."""
        query = {**self._visible(org_id), "producer_id": {"$ne": org_id}, "seq": {"$gt": after}}
        subs = await self.subs.find({"org_id": org_id}).to_list()
        filters = [subscription_filter(sub) for sub in subs]
        if not filters:
            return {"items": [], "cursor": after}
        if all(filters):
            query["$or"] = filters
        docs = await self.info.find(query).sort("seq", ASCENDING).limit(limit).to_list()
        cursor = docs[-1]["seq"] if docs else after
        return {"items": [view(d, org_id) for d in docs], "cursor": cursor}

    async def requests(self, org_id: str, open_only: bool) -> list[dict[str, Any]]:
        """SHR-2: the requests for (3)/(4) a body made or was asked, newest first."""
        self._known(org_id)
        query: dict[str, Any] = {"parties": org_id, "requested_by": {"$ne": None}}
        if open_only:
            query["status"] = "requested"
        docs = await self.info.find(query).sort("recorded_at", DESCENDING).limit(200).to_list()
        return [view(d, org_id) for d in docs]

    async def subscriptions(self, org_id: str) -> list[dict[str, Any]]:
        self._known(org_id)
        cursor = self.subs.find({"org_id": org_id}).sort("_id", ASCENDING)
        return [{"subscription_id": d.pop("_id"), **d} for d in await cursor.to_list()]

    def _visible(self, org_id: str) -> dict[str, Any]:
        self._known(org_id)
        return {"visible_to": {"$in": ["*", org_id]}}

    def _known(self, org_id: str) -> None:
        if org_id not in self.directory:
            raise RuleViolation("JUR-1", "acting_org", f"unknown organisation {org_id!r}")
