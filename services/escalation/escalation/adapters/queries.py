"""Read side for the district government's desk: deadlines, notifications, disputes.

Every list is a page: `limit` items, then the next page starts `after` the last item's id.
Deadlines come soonest due first, read window by window of due time from an
index on (organisation,) state, done_at, due_at: SecantusDB reads a whole index range before
it sorts or limits, so each read covers only about as many duties as the page needs, however
many are open (tests/integration/test_query_plans.py asserts the plans).
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from liandong_runtime.errors import NotFound

HIDDEN = {"version": 0, "schema_version": 0, "next_action_at": 0}
PAGE = 1000  # the default page: what the lists returned before they had pages
# the due-time windows read one after the other: a quarter of an hour, twice as long after an
# empty one (at most half a day for the first 20), after one that held duties as long as
# their density says the rest of the page needs; the last one is open-ended
FIRST_WINDOW, MIN_WINDOW, GROWTH, MOST_WINDOWS = (timedelta(minutes=15), timedelta(seconds=1),
                                                  2, 40)
LONGEST_EMPTY_NEXT, CAPPED = timedelta(hours=12), 20
FARTHEST = timedelta(days=20 * 366)


class DeskQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.db = db

    async def open_deadlines(self, org_id: str | None, limit: int = PAGE,
                             after: str | None = None) -> list[dict[str, Any]]:
        """Open duties, and those paused by an open dispute (ESC-3), soonest due first."""
        return await self._by_due_time(_scope(org_id), ("open", "paused"), limit, after,
                                       until=None)

    async def overdue(self, org_id: str | None = None, limit: int = PAGE,
                      after: str | None = None) -> list[dict[str, Any]]:
        """Breached and still undone, plus open ones whose time passed a moment ago (a
        breach is recorded at or after the due time: both are due before now)."""
        return await self._by_due_time(_scope(org_id), ("breached", "open"), limit, after,
                                       until=datetime.now(UTC))

    async def _by_due_time(self, query: dict[str, Any], states: tuple[str, ...], limit: int,
                           after: str | None, until: datetime | None) -> list[dict[str, Any]]:
        """A page of undone deadlines of `query` in `states`, sorted by (due_at, _id),
        starting after the deadline `after`."""
        query = {**query, "done_at": None}
        page: list[dict[str, Any]] = []
        start: datetime | None = None
        if after is not None:
            last = await self.db.deadlines.find_one({"_id": after}, {"due_at": 1})
            if last is None or last.get("due_at") is None:
                raise NotFound(f"deadline {after}")
            start = last["due_at"]  # first those due at the same moment, then the later ones
            ties = await _window(self.db.deadlines, {**query, "due_at": start}, states, 0)
            page = [d for d in ties if d["_id"] > after][:limit]
        low, width = start, FIRST_WINDOW
        high = (start or datetime.now(UTC)) + width
        for window in range(MOST_WINDOWS):
            if len(page) >= limit:
                break
            bounds: dict[str, Any] = {} if low is None else {"$gt" if window == 0 else "$gte": low}
            last_window = (window == MOST_WINDOWS - 1 or high.year == datetime.max.year
                           or (until is not None and high >= until))
            if not last_window:
                bounds["$lt"] = high
            elif until is not None:
                bounds["$lt"] = until
            found = await _window(self.db.deadlines, {**query, "due_at": bounds}, states,
                                  limit - len(page))
            page += found
            if last_window:
                break
            low = high
            # after duties: as dense as that, wide enough for the rest of the page (and some);
            # after none, longer, but never so long that it could hold days of duties at once
            # (for the first CAPPED windows: then nothing is near, and they double freely)
            width = (width * (limit - len(page)) / len(found) * 1.25 if found
                     else width * GROWTH if window >= CAPPED
                     else min(width * GROWTH, LONGEST_EMPTY_NEXT))
            width = min(max(width, MIN_WINDOW), FARTHEST)
            high = low + width
            if width == FARTHEST:  # nothing due within decades: the rest in one read
                high = datetime.max.replace(tzinfo=UTC)
        return page[:limit]

    async def notifications(self, limit: int, kind: str | None = None,
                            before: datetime | None = None) -> list[dict[str, Any]]:
        """Breach notices (ESC-1) and reported refusals, newest first; `kind` keeps one;
        `before` pages on (the notified_at of the last one read).
        Notices written before kinds existed are breaches."""
        query: dict[str, Any] = {}
        if kind == "breach":
            query = {"kind": {"$in": ["breach", None]}}
        elif kind:
            query = {"kind": kind}
        if before is not None:
            query["notified_at"] = {"$lt": before}
        cursor = self.db.notifications.find(query, {"webhook_next_at": 0})
        return await cursor.sort("notified_at", DESCENDING).limit(limit).to_list()

    async def disputes(self, state: str | None = None, party: str | None = None,
                       limit: int = PAGE, skip: int = 0) -> list[dict[str, Any]]:
        """All of them, or those `party` is a party to."""
        query: dict[str, Any] = {"state": state} if state else {}
        if party:
            query["parties.id"] = party
        cursor = self.db.disputes.find(query, HIDDEN).sort("occurred_at", DESCENDING)
        return await cursor.skip(skip).limit(limit).to_list()

    async def dispute(self, dispute_id: str, party: str | None = None) -> dict[str, Any]:
        """Not found for anyone but its parties (and the district government: `party=None`)."""
        query: dict[str, Any] = {"_id": dispute_id}
        if party:
            query["parties.id"] = party
        doc = await self.db.disputes.find_one(query, HIDDEN)
        if doc is None:
            raise NotFound(f"dispute {dispute_id}")
        return doc

    async def corrections(self, limit: int = PAGE, skip: int = 0) -> list[dict[str, Any]]:
        cursor = self.db.catalogue_corrections.find({}).sort("_id", ASCENDING)
        return await cursor.skip(skip).limit(limit).to_list()


def _scope(org_id: str | None) -> dict[str, Any]:
    """Field order as in the index; one organisation's, or the whole district's."""
    return {"responsible.id": org_id} if org_id else {}


async def _window(deadlines: AsyncCollection[dict[str, Any]], query: dict[str, Any],
                  states: tuple[str, ...], limit: int) -> list[dict[str, Any]]:
    """One query a state (an `$in` on the state makes SecantusDB scan the collection),
    merged in (due_at, _id) order."""
    found: list[dict[str, Any]] = []
    for state in states:
        cursor = deadlines.find({**query, "state": state}, HIDDEN)
        found += await cursor.sort([("due_at", ASCENDING), ("_id", ASCENDING)]).limit(
            limit).to_list()  # 0: no limit
    return sorted(found, key=lambda d: (d["due_at"], d["_id"]))[:limit or None]
