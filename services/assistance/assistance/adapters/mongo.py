"""The unit of work: one Mongo transaction, its repositories, its outbox; retried on a
concurrent update."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pymongo import ASCENDING, DESCENDING

from assistance.adapters.calls_repo import MongoCallRepository
from assistance.adapters.outbox import Emitter
from assistance.adapters.records_repo import MongoRecordRepository
from assistance.adapters.requests_repo import MongoRequestRepository
from assistance.service.commands import Acting
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.storage import Store, Tx

T = TypeVar("T")
INDEXES: dict[str, list[list[tuple[str, int]]]] = {
    "requests": [[("receiver_id", ASCENDING), ("status", ASCENDING)],
                 [("requester_id", ASCENDING), ("requested_at", DESCENDING)]],
    "calls": [[("caller_id", ASCENDING)], [("called_ids", ASCENDING)],
              [("silent_ids", ASCENDING)]],
    "meetings": [[("participant_ids", ASCENDING), ("held_at", DESCENDING)]],
    "meeting_schedules": [[("participant_ids", ASCENDING)]],
    "scheduled_meetings": [[("participant_ids", ASCENDING), ("scheduled_at", DESCENDING)]],
    "supervisions": [[("by_id", ASCENDING)], [("about_id", ASCENDING)],
                     [("about_parent_id", ASCENDING)], [("addressed_ids", ASCENDING)]],
}


class MongoRepositories:
    def __init__(self, tx: Tx, refdata: ReferenceData, acting: Acting) -> None:
        emitter = Emitter(tx, refdata, acting)
        self.requests = MongoRequestRepository(emitter)
        self.calls = MongoCallRepository(emitter)
        self.records = MongoRecordRepository(emitter)


class MongoUnitOfWork:
    def __init__(self, store: Store, refdata: ReferenceData) -> None:
        self.store, self.refdata = store, refdata

    async def ensure_indexes(self) -> None:
        for collection, indexes in INDEXES.items():
            for keys in indexes:
                await self.store.db[collection].create_index(keys)

    async def run(self, work: Callable[[Any], Awaitable[T]], acting: Acting) -> T:
        async def in_tx(tx: Tx) -> T:
            return await work(MongoRepositories(tx, self.refdata, acting))

        return await self.store.transaction(in_tx, acting=acting)
