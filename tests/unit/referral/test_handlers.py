"""The service layer with fakes: resulting state and the contracts it would publish."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest

from liandong_contracts import referral_v1 as wire
from liandong_runtime.refdata import ReferenceData
from referral.adapters.contracts_map import to_contract
from referral.domain.case import Case
from referral.domain.errors import CaseNotFound, RuleViolation
from referral.service import commands as c
from referral.service.handlers import ReferralService
from tests.unit.referral.conftest import FOUND_AT, MATERIALS


class FakeUnitOfWork:
    def __init__(self, refdata: ReferenceData) -> None:
        self.cases: dict[str, Case] = {}
        self.published: list[wire.ReferralEvent] = []
        self.refdata = refdata

    async def run(self, work: Callable[[Any], Awaitable[Any]], acting: c.Acting) -> Any:
        return await work(FakeRepository(self, acting))


class FakeRepository:
    def __init__(self, uow: FakeUnitOfWork, acting: c.Acting) -> None:
        self.uow, self.acting = uow, acting

    async def get(self, case_id: str) -> Case:
        if case_id not in self.uow.cases:
            raise CaseNotFound(case_id)
        return self.uow.cases[case_id]

    async def add(self, case: Case) -> None:
        await self.save(case)

    async def save(self, case: Case) -> None:
        actor = self.uow.refdata.directory.get(self.acting.org_id)
        self.uow.published += [to_contract(e, case_id=case.id, actor=actor,
                                           person=self.acting.person) for e in case.events]
        case.events.clear()
        self.uow.cases[case.id] = case


@pytest.fixture
def uow(district: ReferenceData) -> FakeUnitOfWork:
    return FakeUnitOfWork(district)


@pytest.fixture
def service(uow: FakeUnitOfWork, district: ReferenceData) -> ReferralService:
    return ReferralService(uow, district, new_id=lambda: "case-1")


def finding(**overrides: Any) -> c.RecordFinding:
    fields: dict[str, Any] = {"acting": c.Acting("town-hexi", "staff-007"),
                              "matter_code": "M-URB-009", "locality_id": "town-hexi",
                              "found_at": FOUND_AT, "summary": "无证建设"}
    return c.RecordFinding(**{**fields, **overrides})


@pytest.mark.rule("JUR-1")
async def test_the_owner_is_looked_up_in_the_catalogue_as_of_the_discovery_date(
        service: ReferralService, uow: FakeUnitOfWork) -> None:
    await service.record_finding(finding(acting=c.Acting("dept-urban"),
                                         matter_code="M-URB-001",
                                         found_at=datetime.fromisoformat("2026-03-10T09:00+08:00")))
    [recorded] = uow.published
    assert isinstance(recorded, wire.FindingRecorded) and recorded.owner.id == "town-hexi"


async def test_a_transfer_publishes_one_contract_in_the_finders_name(
        service: ReferralService, uow: FakeUnitOfWork) -> None:
    case_id = await service.record_finding(finding())
    await service.transfer(c.TransferCase(c.Acting("town-hexi", "staff-007"), case_id, MATERIALS))
    _recorded, transferred = uow.published
    assert isinstance(transferred, wire.CaseTransferred)
    assert transferred.actor.id == "town-hexi" and transferred.acting_person == "staff-007"
    assert transferred.correlation_id == case_id == transferred.case_id
    assert transferred.receiver.kind == "department"
    assert uow.cases[case_id].status == "transferred"


async def test_an_unknown_matter_is_refused_naming_the_field(service: ReferralService,
                                                             uow: FakeUnitOfWork) -> None:
    with pytest.raises(RuleViolation) as err:
        await service.record_finding(finding(matter_code="M-NOPE"))
    assert err.value.field == "matter_code" and not uow.published and not uow.cases
