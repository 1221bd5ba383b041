"""What the service layer needs from storage, as protocols the adapters and fakes fill."""

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from liandong_runtime.acting import Acting
from sharing.domain.info import SharedInfo
from sharing.domain.subscription import Subscription

T = TypeVar("T")


class InfoRepository(Protocol):
    async def get(self, info_id: str) -> SharedInfo: ...

    async def add(self, info: SharedInfo) -> None: ...

    async def save(self, info: SharedInfo) -> None: ...


class SubscriptionRepository(Protocol):
    async def count(self, org_id: str) -> int: ...

    async def add(self, subscription: Subscription) -> None: ...

    async def remove(self, subscription_id: str, org_id: str) -> None:
        """Remove the organisation's own subscription; SubscriptionNotFound otherwise."""
        ...


class Repositories(Protocol):
    info: InfoRepository
    subscriptions: SubscriptionRepository


class SharingUnitOfWork(Protocol):
    async def run(self, work: Callable[[Repositories], Awaitable[T]], *,
                  consumed: tuple[str, str] | None = None, acting: Acting | None = None) -> T:
        """Run `work` atomically; events leave with the commit; `consumed` guards redelivery;
        `acting` is who asked (for the audit log)."""
        ...
