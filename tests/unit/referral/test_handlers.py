"""The service layer with fakes: resulting state and the contracts it would publish."""

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from liandong_contracts import escalation_v1 as esc
from liandong_contracts import referral_v1 as wire
from liandong_runtime.refdata import ReferenceData
from referral.adapters.contracts_map import to_contract
from referral.domain.case import Case
from referral.domain.errors import CaseNotFound, RuleViolation
from referral.entrypoints.consumers import settlement
from referral.service import commands as c
from referral.service.handlers import ReferralService
from tests.unit.referral.conftest import FOUND_AT, MATERIALS


class FakeUnitOfWork:
    def __init__(self, refdata: ReferenceData) -> None:
        self.cases: dict[str, Case] = {}
        self.published: list[wire.ReferralEvent] = []
        self.refdata = refdata

    async def run(self, work: Callable[[Any], Awaitable[Any]], acting: c.Acting,
                  consumed: tuple[str, str] | None = None) -> Any:
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


NOW = datetime.fromisoformat("2026-03-11T10:00+08:00")


@pytest.fixture
def service(uow: FakeUnitOfWork, district: ReferenceData) -> ReferralService:
    ids = iter(f"case-{n}" for n in range(1, 100))
    return ReferralService(uow, district, new_id=lambda: next(ids), clock=lambda: NOW)


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


@pytest.mark.rule("ESC-5")
@pytest.mark.parametrize("field", ["found_at", "stop_ordered_at"])
@pytest.mark.parametrize("when", ["2027-03-11T10:00+08:00", "9999-12-31T23:59+00:00"])
async def test_a_declared_start_in_the_future_is_refused_naming_the_field(
        service: ReferralService, uow: FakeUnitOfWork, field: str, when: str) -> None:
    """Before: a finding dated 2027 was due in 2027; one dated 9999 had no deadline at all."""
    with pytest.raises(RuleViolation) as err:
        await service.record_finding(finding(**{field: datetime.fromisoformat(when)}))
    assert (err.value.rule, err.value.field) == ("ESC-5", field)
    assert not uow.published and not uow.cases


@pytest.mark.rule("ESC-5")
async def test_a_declared_start_is_kept_with_the_moment_it_was_recorded(
        service: ReferralService, uow: FakeUnitOfWork) -> None:
    skewed = NOW + timedelta(minutes=4)  # within the clock skew
    case_id = await service.record_finding(finding(found_at=skewed))
    assert uow.cases[case_id].finding.found_at == skewed
    assert uow.cases[case_id].finding.recorded_at == NOW
    with pytest.raises(RuleViolation, match="ESC-5"):
        await service.report_ongoing(c.ReportOngoing(c.Acting("town-hexi"), case_id,
                                                     NOW + timedelta(hours=1), "仍在施工"))


@pytest.mark.rule("REF-3")
async def test_a_township_finding_a_pre_hand_over_matter_transfers_it_to_the_department(
        service: ReferralService, uow: FakeUnitOfWork) -> None:
    """Road occupation (M-URB-001) was handed to the townships on 2024-01-01."""
    old = finding(matter_code="M-URB-001", occurred_on=date(2023, 12, 20))
    case = uow.cases[await service.record_finding(old)]
    assert case.owner.id == "dept-urban" and case.finding.historical is False
    moved = finding(acting=c.Acting("dept-urban"), matter_code="M-URB-001",
                    occurred_on=date(2023, 12, 20))
    case = uow.cases[await service.record_finding(moved)]
    assert case.owner.id == "town-hexi" and case.finding.historical is True


@pytest.mark.rule("JUR-3")
async def test_a_body_registers_its_own_case_which_a_complaint_may_name(
        service: ReferralService, uow: FakeUnitOfWork) -> None:
    """Before: recording a finding on one's own matter was refused, and that was all."""
    with pytest.raises(RuleViolation, match="POST /cases/own"):
        await service.record_finding(finding(acting=c.Acting("dept-urban")))
    case_id = await service.register_case(c.RegisterCase(
        c.Acting("dept-urban", "staff-9"), "M-URB-009", "town-hexi", FOUND_AT, "本局立案",
        complaint_id="cmp-0001"))
    [registered] = uow.published
    assert isinstance(registered, wire.CaseRegistered) and registered.case_id == case_id
    assert registered.owner.id == "dept-urban" and registered.complaint_id == "cmp-0001"
    with pytest.raises(RuleViolation) as err:
        await service.register_case(c.RegisterCase(
            c.Acting("town-hexi"), "M-URB-009", "town-hexi", FOUND_AT, "越权立案"))
    assert (err.value.rule, err.value.field) == ("JUR-3", "matter_code")
    with pytest.raises(RuleViolation) as err:
        await service.register_case(c.RegisterCase(
            c.Acting("dept-urban"), "M-URB-009", "dept-market", FOUND_AT, "地点不是乡镇"))
    assert err.value.field == "locality"


@pytest.mark.rule("REF-6")
async def test_the_owner_acknowledges_naming_a_case_it_registered(
        service: ReferralService, uow: FakeUnitOfWork) -> None:
    found = await service.record_finding(finding(stop_ordered_at=FOUND_AT))
    acknowledge = c.AcknowledgeOngoing(c.Acting("dept-urban"), found, "case-404")
    with pytest.raises(RuleViolation) as err:
        await service.acknowledge_ongoing(acknowledge)
    assert (err.value.rule, err.value.field) == ("JUR-3", "case_id")
    own = await service.register_case(c.RegisterCase(
        c.Acting("dept-urban"), "M-URB-009", "town-hexi", FOUND_AT, "本局立案查处"))
    await service.acknowledge_ongoing(c.AcknowledgeOngoing(c.Acting("dept-urban"), found, own))
    acknowledged = uow.published[-1]
    assert isinstance(acknowledged, wire.OngoingViolationAcknowledged)
    assert acknowledged.own_case_id == own and acknowledged.finder.id == "town-hexi"


@pytest.mark.rule("DSP-2")
async def test_a_dispute_reaches_the_case_it_names_as_its_subject(
        service: ReferralService, uow: FakeUnitOfWork, district: ReferenceData) -> None:
    case_id = await service.record_finding(finding())
    await service.transfer(c.TransferCase(c.Acting("town-hexi"), case_id, MATERIALS))
    await service.refuse(c.RefuseTransfer(c.Acting("dept-urban"), case_id, "other", "人手不足"))
    gov, hexi = district.directory.get("district-gov").ref(), district.directory.get("town-hexi")
    common = {"actor": gov, "occurred_at": NOW, "correlation_id": case_id, "dispute_id": "zy-0007",
              "matter_code": "M-URB-009", "parties": (hexi.ref(), gov), "owner": hexi.ref(),
              "decision_ref": "区政府决定〔2026〕1号"}
    for kind in ("complaint", ""):  # not ours: no command
        assert settlement(esc.DisputeDecided(**common, subject_id=case_id, subject_kind=kind),
                          "c") is None
    cmd = settlement(esc.DisputeDecided(**common, subject_id=case_id, subject_kind="case"), "c")
    assert cmd is not None and cmd.case_id == case_id and cmd.dispute_id == "zy-0007"
    await service.settle_ownership(cmd)
    assert uow.cases[case_id].owner.id == "town-hexi"
    assert uow.cases[case_id].status == "accepted"
