"""What the service layer needs from storage, as protocols the adapters and fakes fill."""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Protocol, TypeVar

from liandong_runtime.refdata.model import Organisation
from referral.domain.case import Case
from referral.service.commands import Acting

T = TypeVar("T")


class CaseRepository(Protocol):
    async def get(self, case_id: str) -> Case: ...

    async def add(self, case: Case) -> None: ...

    async def save(self, case: Case) -> None: ...


class CaseUnitOfWork(Protocol):
    async def run(self, work: Callable[[CaseRepository], Awaitable[T]], acting: Acting,
                  consumed: tuple[str, str] | None = None) -> T:
        """Run `work` atomically; the events the cases record leave with the commit.

        `consumed` = (consumer, event id) when an incoming event caused the work: a
        redelivery then changes nothing.
        """
        ...


class OwnerLookup(Protocol):
    async def owner_of(self, code: str, on: date, locality_township_id: str) -> Organisation:
        """JUR-1: the catalogue's owner, with the district government's corrections."""
        ...
