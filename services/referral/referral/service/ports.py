"""What the service layer needs from storage, as protocols the adapters and fakes fill."""

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from referral.domain.case import Case
from referral.service.commands import Acting

T = TypeVar("T")


class CaseRepository(Protocol):
    async def get(self, case_id: str) -> Case: ...

    async def add(self, case: Case) -> None: ...

    async def save(self, case: Case) -> None: ...


class CaseUnitOfWork(Protocol):
    async def run(self, work: Callable[[CaseRepository], Awaitable[T]], acting: Acting) -> T:
        """Run `work` atomically; the events the cases record leave with the commit."""
        ...
