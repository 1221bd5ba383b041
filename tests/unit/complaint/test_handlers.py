"""The service layer with fakes: resulting state and the contracts it would publish."""

import copy
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from complaint.adapters.contracts_map import to_contract
from complaint.domain.cases import Case
from complaint.domain.complaint import Complaint
from complaint.domain.errors import ComplaintNotFound, RuleViolation
from complaint.domain.personal import Complainant
from complaint.service import commands as c
from complaint.service.handlers import ComplaintService
from liandong_contracts import complaint_v1 as wire
from liandong_contracts.cloudevents import encode
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.refdata import ReferenceData
from tests.unit.complaint.conftest import LETTER, NOW, PERSON, RECORD, SHANGHAI


class FakeUnitOfWork:
    def __init__(self, refdata: ReferenceData) -> None:
        self.refdata = refdata
        self.complaints: dict[str, Complaint] = {}
        self.complainants: dict[str, Complainant] = {}
        self.published: list[wire.ComplaintEvent] = []
        self.counters: dict[str, int] = {}
        self.consumed: list[tuple[str, str]] = []
        self.cases: dict[str, Case] = {}

    async def run(self, work: Callable[[Any], Awaitable[Any]], acting: c.Acting,
                  consumed: tuple[str, str] | None = None) -> Any:
        result = await work(FakeRepository(self, acting))
        if consumed:
            self.consumed.append(consumed)
        return result


class FakeCases:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def get(self, case_id: str) -> Case | None:
        return self.uow.cases.get(case_id)

    async def for_complaint(self, complaint_id: str, owner_id: str) -> Case | None:
        return next((case for case in self.uow.cases.values()
                     if (case.complaint_id, case.owner_id) == (complaint_id, owner_id)), None)

    async def record(self, case: Case) -> None:
        self.uow.cases[case.case_id] = case


class FakeRepository:
    def __init__(self, uow: FakeUnitOfWork, acting: c.Acting) -> None:
        self.uow, self.acting = uow, acting
        self.cases = FakeCases(uow)

    async def get(self, complaint_id: str) -> Complaint:
        if complaint_id not in self.uow.complaints:
            raise ComplaintNotFound(complaint_id)
        return copy.deepcopy(self.uow.complaints[complaint_id])

    async def add(self, complaint: Complaint, complainant: Complainant) -> None:
        self.uow.complainants[str(complaint.complainant_ref)] = complainant
        await self.save(complaint)

    async def save(self, complaint: Complaint) -> None:
        actor = self.uow.refdata.directory.get(self.acting.org_id)
        contracts = [to_contract(e, complaint_id=complaint.id, actor=actor,
                                 person=self.acting.person) for e in complaint.events]
        self.uow.published += [event for event in contracts if event is not None]
        complaint.events.clear()
        self.uow.complaints[complaint.id] = copy.deepcopy(complaint)

    async def next_reference_no(self, registered_at: datetime) -> str:
        day = f"TS-{registered_at.astimezone(SHANGHAI):%Y%m%d}"
        self.uow.counters[day] = self.uow.counters.get(day, 0) + 1
        return f"{day}-{self.uow.counters[day]:04d}"


@pytest.fixture
def uow(district: ReferenceData) -> FakeUnitOfWork:
    return FakeUnitOfWork(district)


def service_at(uow: FakeUnitOfWork, now: datetime = NOW) -> ComplaintService:
    ids = iter(range(1, 100))
    return ComplaintService(uow, uow.refdata, clock=lambda: now,
                            new_id=lambda: f"cmp-{next(ids):04x}")


@pytest.fixture
def service(uow: FakeUnitOfWork) -> ComplaintService:
    return service_at(uow)


def intake(org_id: str = "dept-urban", **overrides: Any) -> c.ReceiveComplaint:
    fields: dict[str, Any] = {
        "acting": c.Acting(org_id, "staff-01"), "channel": "hotline_12345",
        "summary": "幸福路人行道被摊点长期占用", "complainant": PERSON,
        "received_at": NOW - timedelta(hours=2), "matter_code": "M-URB-001",
        "locality_id": "town-hexi", "materials": (LETTER,)}
    return c.ReceiveComplaint(**{**fields, **overrides})


async def test_receipt_registers_a_numbered_complaint_with_a_random_complainant_ref(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    first_id, first_no = await service.receive(intake())
    _second_id, second_no = await service.receive(intake())
    assert (first_no, second_no) == ("TS-20260310-0001", "TS-20260310-0002")
    first, second = uow.published
    assert isinstance(first, wire.ComplaintReceived) and first.complaint_id == first_id
    assert first.actor.id == first.received_by.id == "dept-urban"
    assert first.registered_at == NOW and first.acting_person == "staff-01"
    assert first.complainant_ref.version == 4  # random, not derived from the person
    assert first.complainant_ref != second.complainant_ref
    assert uow.complainants[str(first.complainant_ref)] == PERSON


@pytest.mark.rule("CMP-8")
async def test_no_contract_of_a_whole_complaint_carries_the_complainants_data(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id, _ = await service.receive(intake())
    town = c.Acting("town-hexi")
    uow.cases["case-77"] = Case("case-77", "town-hexi", "M-URB-001")
    await service.forward(c.ForwardComplaint(c.Acting("dept-urban"), complaint_id,
                                             "M-URB-001", "town-hexi", "已划转乡镇"))
    await service.verify(c.VerifyComplaint(town, complaint_id, "penalty_due", "占道属实",
                                           "case-77"))
    await service.answer(c.AnswerComplainant(town, complaint_id, "已立案查处"))
    await service.feed_back(c.SendFeedback(town, complaint_id, "已立案查处"))
    assert [e.type for e in uow.published] == [
        "ComplaintReceived", "ComplaintForwarded", "ComplaintVerified",
        "ComplainantAnswered", "ComplaintFeedbackSent"]
    for event in uow.published:
        body, headers = encode(event)
        wire_text = body.decode() + repr(headers)
        for value in (*PERSON.identifying_values(), "13912345678", "002X"):
            assert value not in wire_text, f"{event.type} carries personal data"
    assert uow.complaints[complaint_id].status == "closed"


@pytest.mark.rule("CMP-6")
async def test_a_department_forward_of_a_township_matter_asks_it_to_investigate(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id, _ = await service.receive(intake())
    await service.forward(c.ForwardComplaint(c.Acting("dept-urban"), complaint_id,
                                             "M-URB-001", "town-hexi", "已划转乡镇"))
    forwarded = uow.published[-1]
    assert isinstance(forwarded, wire.ComplaintForwarded)
    assert forwarded.receiver.id == "town-hexi" and forwarded.actor.id == "dept-urban"
    assert forwarded.complainant_directed_to_receiver and forwarded.investigation_requested
    assert [m.title for m in forwarded.materials] == ["举报信"]
    assert uow.complaints[complaint_id].told_by.id == "dept-urban"


@pytest.mark.rule("CMP-5")
@pytest.mark.rule("JUR-1")
async def test_the_receiver_of_a_forward_is_the_owner_on_the_day_of_the_forward(
        uow: FakeUnitOfWork) -> None:
    """Damaging city trees (M-URB-008) was handed to the townships on 2025-07-01."""
    town = c.Acting("town-hexi")
    before = service_at(uow, datetime(2025, 6, 30, 10, tzinfo=SHANGHAI))
    complaint_id, _ = await before.receive(intake("town-hexi", matter_code="M-URB-008",
                                                  received_at=None))
    await before.verify(c.VerifyComplaint(town, complaint_id, "no_jurisdiction", "毁坏行道树"))
    await before.forward(c.ForwardComplaint(town, complaint_id, "M-URB-008", "town-hexi",
                                            "未划转，属城管局", (RECORD,)))
    assert uow.published[-1].receiver.id == "dept-urban"
    after = service_at(uow, datetime(2025, 7, 2, 10, tzinfo=SHANGHAI))
    later_id, _ = await after.receive(intake("town-hexi", matter_code="M-URB-008",
                                             received_at=None))
    with pytest.raises(RuleViolation) as err:
        await after.verify(c.VerifyComplaint(town, later_id, "no_jurisdiction", "毁坏行道树"))
    assert (err.value.rule, err.value.field) == ("CMP-5", "outcome")


@pytest.mark.parametrize(("field", "overrides"), [
    ("matter_code", {"matter_code": "M-NOPE"}), ("locality", {"locality_id": "town-nowhere"}),
    ("acting_org", {"acting": c.Acting("dept-nowhere")})])
async def test_unknown_reference_data_is_refused_and_nothing_is_kept(
        service: ComplaintService, uow: FakeUnitOfWork, field: str,
        overrides: dict[str, Any]) -> None:
    with pytest.raises(RuleViolation) as err:
        await service.receive(intake(**overrides))
    assert (err.value.rule, err.value.field) == ("JUR-1", field)
    assert not uow.published and not uow.complaints and not uow.complainants


@pytest.mark.rule("DSP-1")
async def test_a_dispute_outcome_hands_a_contested_complaint_to_the_owner(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id, _ = await service.receive(intake())
    await service.forward(c.ForwardComplaint(c.Acting("dept-urban"), complaint_id,
                                             "M-URB-001", "town-hexi", "已划转乡镇"))
    await service.contest(c.ContestForward(c.Acting("town-hexi"), complaint_id, "属城管直管路段"))
    contested = uow.published[-1]
    assert isinstance(contested, wire.ComplaintForwardContested)
    assert contested.sender.id == "dept-urban" and contested.actor.id == "town-hexi"
    urban = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="示例区城市管理局")
    # routed on the dispute's subject, never on its id: a case's dispute named like ours,
    # and one over a matter, are not ours; the complaint's is, whatever its id
    for dispute_id, kind, subject in (
            (f"dsp-{complaint_id}", "case", complaint_id), ("dsp-x", "", ""),
            ("ZY-2026-0001", "complaint", complaint_id)):
        await service.resolve_dispute(c.ResolveDispute(
            dispute_id, "DisputeDecided", urban, "district-gov", ("consumer", dispute_id),
            subject_id=subject, subject_kind=kind))
    complaint = uow.complaints[complaint_id]
    assert complaint.handler.id == "dept-urban" and complaint.status == "handling"
    assert uow.consumed == [("consumer", "ZY-2026-0001")]  # another's: not even read
    assert len(uow.published) == 3  # an outcome emits nothing


async def test_a_dispute_about_a_complaint_not_held_here_is_ignored(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    urban = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="示例区城市管理局")
    await service.resolve_dispute(c.ResolveDispute(
        "ZY-1", "DisputeSettled", urban, "district-gov", ("c", "1"),
        subject_id=f"cmp-{uuid.uuid4().hex[:16]}", subject_kind="complaint"))
    assert not uow.complaints and not uow.published


class CorrectedToTownships:
    """A district government decision: unlicensed construction belongs to the townships."""

    def __init__(self, refdata: ReferenceData) -> None:
        self.refdata = refdata

    async def owner_of(self, code: str, on: Any, locality_township_id: str) -> Any:
        if code == "M-URB-009":
            return self.refdata.directory.get(locality_township_id)
        owner = self.refdata.catalogue.owner_as_of(code, on, locality_township_id)
        return self.refdata.directory.get(owner)


@pytest.mark.rule("DSP-2")
async def test_a_catalogue_correction_decides_the_receiver_of_a_forward(
        uow: FakeUnitOfWork) -> None:
    service = ComplaintService(uow, uow.refdata, clock=lambda: NOW,
                               owners=CorrectedToTownships(uow.refdata))
    complaint_id, _ = await service.receive(intake(matter_code="M-URB-009"))
    await service.forward(c.ForwardComplaint(c.Acting("dept-urban"), complaint_id,
                                             "M-URB-009", "town-beishan", "区政府决定属乡镇"))
    forwarded = uow.published[-1]
    assert forwarded.receiver.id == "town-beishan" and forwarded.investigation_requested
    with pytest.raises(RuleViolation) as err:
        await service.verify(c.VerifyComplaint(c.Acting("town-beishan"), complaint_id,
                                               "no_jurisdiction", "属城管"))
    assert (err.value.rule, err.value.field) == ("CMP-5", "outcome")
