"""In-memory fakes of the sharing service's storage ports, for handler tests."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from liandong_contracts import sharing_v1 as wire
from liandong_runtime.storage import AlreadyProcessed
from sharing.adapters.contracts_map import to_contract
from sharing.domain.errors import AlreadyShared, InfoNotFound, SubscriptionNotFound
from sharing.domain.info import SharedInfo
from sharing.domain.subscription import Subscription


@dataclass
class FakeStore:
    info: dict[str, SharedInfo] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    published: list[wire.SharingEvent] = field(default_factory=list)
    inbox: set[tuple[str, str]] = field(default_factory=set)


class FakeInfo:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def get(self, info_id: str) -> SharedInfo:
        if info_id not in self.store.info:
            raise InfoNotFound(info_id)
        return self.store.info[info_id]

    async def add(self, info: SharedInfo) -> None:
        if info.id in self.store.info:
            raise AlreadyShared(info.id)
        await self.save(info)

    async def save(self, info: SharedInfo) -> None:
        self.store.published += [to_contract(e, info) for e in info.events]
        info.events.clear()
        self.store.info[info.id] = info


class FakeSubscriptions:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def count(self, org_id: str) -> int:
        return sum(s.org_id == org_id for s in self.store.subscriptions.values())

    async def add(self, subscription: Subscription) -> None:
        self.store.subscriptions[subscription.id] = subscription

    async def remove(self, subscription_id: str, org_id: str) -> None:
        if getattr(self.store.subscriptions.get(subscription_id), "org_id", None) != org_id:
            raise SubscriptionNotFound(subscription_id)
        del self.store.subscriptions[subscription_id]


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.store = FakeStore()
        self.info, self.subscriptions = FakeInfo(self.store), FakeSubscriptions(self.store)

    async def run(self, work: Callable[[Any], Awaitable[Any]], *,
                  consumed: tuple[str, str] | None = None, acting: Any = None) -> Any:
        if consumed in self.store.inbox:
            raise AlreadyProcessed(str(consumed))
        result = await work(self)
        if consumed:
            self.store.inbox.add(consumed)
        return result
