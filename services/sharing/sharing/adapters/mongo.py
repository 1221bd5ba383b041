"""Shared information and subscriptions in MongoDB; events leave through the outbox.

Every publication takes the next number of one counter inside its transaction. Two
publications that commit concurrently conflict on that counter and one retries, so the
numbers are handed out in commit order: a reader that has seen number N will never later
see a new item below N. The feed's cursor relies on this.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from liandong_runtime.acting import Acting
from liandong_runtime.storage import ConcurrentUpdate, Store, Tx
from sharing.adapters.contracts_map import to_contract
from sharing.adapters.documents import from_doc, to_doc
from sharing.domain import events as ev
from sharing.domain.errors import AlreadyShared, InfoNotFound, SubscriptionNotFound
from sharing.domain.info import SharedInfo
from sharing.domain.subscription import Subscription

T = TypeVar("T")
COUNTER = "info"



class MongoInfoRepository:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx

    async def get(self, info_id: str) -> SharedInfo:
        doc = await self.tx.db.info.find_one({"_id": info_id}, session=self.tx.session)
        if doc is None:
            raise InfoNotFound(info_id)
        return from_doc(doc)

    async def add(self, info: SharedInfo) -> None:
        doc = {**to_doc(info), "version": 1, **await self._number(info)}
        try:
            await self.tx.db.info.insert_one(doc, session=self.tx.session)
        except DuplicateKeyError as exc:
            raise AlreadyShared(info.id) from exc
        self._emit(info)

    async def save(self, info: SharedInfo) -> None:
        result = await self.tx.db.info.update_one(
            {"_id": info.id, "version": info.version},
            {"$set": {**to_doc(info), "version": info.version + 1, **await self._number(info)}},
            session=self.tx.session)
        if result.matched_count != 1:
            raise ConcurrentUpdate(info.id)
        self._emit(info)

    async def _number(self, info: SharedInfo) -> dict[str, int]:
        """The next publication number, for information published in this change."""
        if not any(isinstance(e, ev.InfoPublished) for e in info.events):
            return {}
        counter = await self.tx.db.counters.find_one_and_update(
            {"_id": COUNTER}, {"$inc": {"seq": 1}}, upsert=True,
            return_document=ReturnDocument.AFTER, session=self.tx.session)
        return {"seq": counter["seq"]}

    def _emit(self, info: SharedInfo) -> None:
        self.tx.emit(*(to_contract(e, info) for e in info.events))


class MongoSubscriptionRepository:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx

    async def count(self, org_id: str) -> int:
        return await self.tx.db.subscriptions.count_documents({"org_id": org_id},
                                                              session=self.tx.session)

    async def add(self, s: Subscription) -> None:
        doc = {"_id": s.id, "org_id": s.org_id, "categories": [c.value for c in s.categories],
               "producers": list(s.producers), "matter_codes": list(s.matter_codes)}
        await self.tx.db.subscriptions.insert_one(doc, session=self.tx.session)

    async def remove(self, subscription_id: str, org_id: str) -> None:
        result = await self.tx.db.subscriptions.delete_one(
            {"_id": subscription_id, "org_id": org_id}, session=self.tx.session)
        if result.deleted_count != 1:
            raise SubscriptionNotFound(subscription_id)


@dataclass
class MongoRepositories:
    info: MongoInfoRepository
    subscriptions: MongoSubscriptionRepository


class MongoSharingUnitOfWork:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def ensure_indexes(self) -> None:
        info = self.store.db.info
        await info.create_index([("seq", DESCENDING)])
        for key in ("visible_to", "producer_id", "category", "matter_code"):
            await info.create_index([(key, ASCENDING), ("seq", DESCENDING)])
        await info.create_index([("formed_at", DESCENDING)])
        await info.create_index([("parties", ASCENDING), ("recorded_at", DESCENDING)])
        await self.store.db.subscriptions.create_index([("org_id", ASCENDING)])
        await self.store.db.counters.update_one(
            {"_id": COUNTER}, {"$setOnInsert": {"seq": 0}}, upsert=True)

    async def run(self, work: Callable[[Any], Awaitable[T]], *,
                  consumed: tuple[str, str] | None = None, acting: Acting | None = None) -> T:
        async def in_tx(tx: Tx) -> T:
            return await work(MongoRepositories(MongoInfoRepository(tx),
                                                MongoSubscriptionRepository(tx)))

        return await self.store.transaction(in_tx, consumed=consumed, acting=acting)
