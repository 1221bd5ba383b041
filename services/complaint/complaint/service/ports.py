"""What the service layer needs from storage, as protocols the adapters and fakes fill."""

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Protocol, TypeVar

from complaint.domain.cases import Case
from complaint.domain.complaint import Complaint
from complaint.domain.personal import Complainant
from complaint.service.commands import Acting
from liandong_runtime.refdata.model import Organisation

T = TypeVar("T")


class CaseProjection(Protocol):
    """CMP-4/JUR-3: the cases the referral service recorded, as far as received."""

    async def get(self, case_id: str) -> Case | None: ...

    async def for_complaint(self, complaint_id: str, owner_id: str) -> Case | None:
        """The case `owner_id` registered for the complaint, if any."""
        ...

    async def record(self, case: Case) -> None: ...


class ComplaintRepository(Protocol):
    cases: CaseProjection

    async def get(self, complaint_id: str) -> Complaint: ...

    async def add(self, complaint: Complaint, complainant: Complainant) -> None:
        """The complaint, and its complainant in the protected register (CMP-8)."""
        ...

    async def save(self, complaint: Complaint) -> None: ...

    async def next_reference_no(self, registered_at: datetime) -> str:
        """A readable registration number, unique, from a per-day counter (CMP-2)."""
        ...


class ComplaintUnitOfWork(Protocol):
    async def run(self, work: Callable[[ComplaintRepository], Awaitable[T]], acting: Acting,
                  consumed: tuple[str, str] | None = None) -> T:
        """Run `work` atomically; the events recorded leave with the commit."""
        ...


class OwnerLookup(Protocol):
    async def owner_of(self, code: str, on: date, locality_township_id: str) -> Organisation:
        """JUR-1: the owner of a matter in a township on a day, corrections applied (DSP-2)."""
        ...
