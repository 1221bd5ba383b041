"""The revised complaint rules through the service layer with fakes: CMP-1, CMP-4, CMP-5,
CMP-6, ESC-3 (the hand-over on a dispute's outcome), ESC-5 (declared receipt)."""

from datetime import date, datetime, timedelta

import pytest

from complaint.domain.cases import Case
from complaint.domain.errors import NotAllowed, RuleViolation
from complaint.service import commands as c
from complaint.service.handlers import ComplaintService
from liandong_contracts import complaint_v1 as wire
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.refdata import ReferenceData
from tests.unit.complaint.conftest import NOW, RECORD
from tests.unit.complaint.test_handlers import FakeUnitOfWork, intake, service_at

TOWN, URBAN = c.Acting("town-hexi", "staff-7"), c.Acting("dept-urban", "staff-1")
URBAN_REF = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="示例区城市管理局")


@pytest.fixture
def uow(district: ReferenceData) -> FakeUnitOfWork:
    return FakeUnitOfWork(district)


@pytest.fixture
def service(uow: FakeUnitOfWork) -> ComplaintService:
    return service_at(uow)


async def verified_penalty_due(service: ComplaintService, case_id: str | None = None) -> str:
    complaint_id, _ = await service.receive(intake("town-hexi"))
    await service.verify(c.VerifyComplaint(TOWN, complaint_id, "penalty_due", "占道属实",
                                           case_id))
    return complaint_id


@pytest.mark.rule("CMP-4")
@pytest.mark.parametrize(("case", "says"), [
    (None, "no case 'AJ-FREE-TEXT' is registered"),
    (Case("AJ-FREE-TEXT", "town-beishan", "M-URB-001"), "not a case of"),
])
async def test_a_case_named_on_a_complaint_exists_and_is_the_townships_own(
        service: ComplaintService, uow: FakeUnitOfWork, case: Case | None, says: str) -> None:
    """Reproduction: any free-text id was accepted as the case opened."""
    if case is not None:
        uow.cases[case.case_id] = case
    complaint_id, _ = await service.receive(intake("town-hexi"))
    before = len(uow.published)
    with pytest.raises(RuleViolation, match=says) as err:
        await service.verify(c.VerifyComplaint(TOWN, complaint_id, "penalty_due", "占道属实",
                                               "AJ-FREE-TEXT"))
    assert (err.value.rule, err.value.field) == ("CMP-4", "case_id")
    with pytest.raises(RuleViolation) as err:
        await service.answer(c.AnswerComplainant(TOWN, complaint_id, "已处理", "AJ-FREE-TEXT"))
    assert (err.value.rule, err.value.field) == ("CMP-4", "case_id")
    assert len(uow.published) == before and uow.complaints[complaint_id].outcome is None


@pytest.mark.rule("CMP-4")
async def test_a_penalty_due_is_verified_first_and_the_case_named_within_the_limit(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id = await verified_penalty_due(service)
    verified = uow.published[-1]
    assert isinstance(verified, wire.ComplaintVerified) and verified.case_id is None
    with pytest.raises(NotAllowed) as refused:  # the result waits for the case
        await service.answer(c.AnswerComplainant(TOWN, complaint_id, "已立案"))
    assert refused.value.field == "status" and "CMP-4" in refused.value.message
    with pytest.raises(RuleViolation) as err:
        await service.name_case(c.NameCase(TOWN, complaint_id, "AJ-NOPE"))
    assert (err.value.rule, err.value.field) == ("CMP-4", "case_id")
    uow.cases["AJ-2026-0401"] = Case("AJ-2026-0401", "town-hexi", "M-URB-001")
    await service.name_case(c.NameCase(TOWN, complaint_id, "AJ-2026-0401"))
    named = uow.published[-1]
    assert isinstance(named, wire.ComplaintCaseNamed)
    assert (named.case_id, named.via, named.actor.id) == ("AJ-2026-0401", "complaint", "town-hexi")
    with pytest.raises(RuleViolation) as err:  # another case than the one named
        await service.answer(c.AnswerComplainant(TOWN, complaint_id, "已立案", "AJ-OTHER"))
    assert (err.value.rule, err.value.field) == ("CMP-4", "case_id")
    await service.answer(c.AnswerComplainant(TOWN, complaint_id, "已立案查处"))
    assert uow.published[-1].case_id == "AJ-2026-0401"


@pytest.mark.rule("CMP-4")
@pytest.mark.rule("JUR-3")
async def test_a_case_registered_for_the_complaint_names_itself_on_it(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id = await verified_penalty_due(service)
    other = Case("AJ-ELSEWHERE", "town-beishan", "M-URB-001", complaint_id)
    await service.record_case(c.RecordCase(other, "town-beishan", ("cmp-case", "e1")))
    assert uow.complaints[complaint_id].case_id is None  # not the handler's case
    case = Case("AJ-2026-0402", "town-hexi", "M-URB-001", complaint_id)
    await service.record_case(c.RecordCase(case, "town-hexi", ("cmp-case", "e2")))
    named = uow.published[-1]
    assert isinstance(named, wire.ComplaintCaseNamed)
    assert (named.case_id, named.via) == ("AJ-2026-0402", "case_registered")
    assert uow.complaints[complaint_id].case_id == "AJ-2026-0402"
    assert uow.consumed == [("cmp-case", "e1"), ("cmp-case", "e2")]


@pytest.mark.rule("CMP-4")
async def test_a_case_registered_before_the_verification_is_named_by_it(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id, _ = await service.receive(intake("town-hexi"))
    case = Case("AJ-2026-0403", "town-hexi", "M-URB-001", complaint_id)
    await service.record_case(c.RecordCase(case, "town-hexi", ("cmp-case", "e3")))
    await service.verify(c.VerifyComplaint(TOWN, complaint_id, "penalty_due", "占道属实"))
    assert uow.published[-1].case_id == "AJ-2026-0403"


@pytest.mark.rule("CMP-5")
async def test_the_forward_duty_counts_from_the_townships_receipt(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    received_at = NOW - timedelta(hours=20)
    complaint_id, _ = await service.receive(intake("town-hexi", matter_code="M-URB-009",
                                                   received_at=received_at))
    await service.verify(c.VerifyComplaint(TOWN, complaint_id, "no_jurisdiction", "无证建设"))
    assert uow.published[-1].received_at == received_at
    await service.forward(c.ForwardComplaint(TOWN, complaint_id, "M-URB-009", "town-hexi",
                                             "属城管局", (RECORD,)))
    forwarded = uow.published[-1]
    assert forwarded.received_at == received_at and forwarded.receiver.id == "dept-urban"
    # the receiver's own receipt is the forward
    assert uow.complaints[complaint_id].handler_received_at == NOW


@pytest.mark.rule("CMP-6")
async def test_the_department_names_the_owning_township_at_receipt_and_guides_it(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id, _ = await service.receive(intake("dept-urban"))
    received = uow.published[-1]
    assert received.owner is not None and received.owner.id == "town-hexi"
    with pytest.raises(NotAllowed):  # nobody told the township yet
        await service.give_guidance(c.GiveGuidance(URBAN, complaint_id, "注意取证"))
    await service.forward(c.ForwardComplaint(URBAN, complaint_id, "M-URB-001", "town-hexi",
                                             "已划转乡镇"))
    forwarded = uow.published[-1]
    assert forwarded.investigation_requested and forwarded.received_at == received.received_at
    await service.give_guidance(c.GiveGuidance(URBAN, complaint_id,
                                               "请现场拍照固定证据，依《城市道路管理条例》处理"))
    with pytest.raises(NotAllowed) as err:
        await service.give_guidance(c.GiveGuidance(c.Acting("dept-market"), complaint_id, "x"))
    assert err.value.field == "acting_org"
    with pytest.raises(RuleViolation) as bad:
        await service.give_guidance(c.GiveGuidance(URBAN, complaint_id, "联系13912345678"))
    assert (bad.value.rule, bad.value.field) == ("CMP-8", "guidance")
    [guidance] = uow.complaints[complaint_id].guidance
    assert (guidance.by, guidance.at) == ("dept-urban", NOW) and "固定证据" in guidance.text
    assert len(uow.published) == 2  # guidance is recorded on the complaint, not broadcast


@pytest.mark.rule("CMP-1")
@pytest.mark.parametrize(("ends_on", "handler"), [
    (None, "dept-urban"), (date(2026, 3, 11), "dept-urban"), (date(2026, 3, 10), "town-hexi")])
async def test_first_receiver_responsibility_lasts_as_long_as_the_transition(
        uow: FakeUnitOfWork, ends_on: date | None, handler: str) -> None:
    service = ComplaintService(uow, uow.refdata, clock=lambda: NOW, transition_ends_on=ends_on)
    assert service.in_transition() is (handler == "dept-urban")
    complaint_id, _ = await service.receive(intake("dept-urban"))
    assert uow.complaints[complaint_id].handler.id == handler
    if handler == "town-hexi":  # registered, then handed to the owner with the material
        received, forwarded = uow.published
        assert isinstance(forwarded, wire.ComplaintForwarded)
        assert forwarded.receiver.id == "town-hexi" and forwarded.investigation_requested
        assert [m.title for m in forwarded.materials] == ["举报信"]
        assert forwarded.occurred_at >= received.occurred_at


@pytest.mark.rule("ESC-5")
@pytest.mark.parametrize("received_at", [
    NOW + timedelta(minutes=6), datetime(9999, 12, 31, 23, 59, tzinfo=NOW.tzinfo)])
async def test_a_declared_receipt_in_the_future_is_refused(
        service: ComplaintService, uow: FakeUnitOfWork, received_at: datetime) -> None:
    with pytest.raises(RuleViolation) as err:
        await service.receive(intake(received_at=received_at))
    assert (err.value.rule, err.value.field) == ("ESC-5", "received_at")
    assert not uow.complaints and not uow.published


@pytest.mark.rule("ESC-5")
async def test_a_receipt_within_the_clock_skew_is_the_recording_and_both_are_kept(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    await service.receive(intake(received_at=NOW + timedelta(minutes=3)))
    await service.receive(intake(received_at=NOW - timedelta(hours=5)))
    skewed, earlier = uow.published
    assert skewed.received_at == skewed.registered_at == NOW
    assert (earlier.received_at, earlier.registered_at) == (NOW - timedelta(hours=5), NOW)


@pytest.mark.rule("ESC-3")
@pytest.mark.rule("DSP-2")
async def test_the_owner_named_by_a_dispute_answers_for_the_paused_duty(
        uow: FakeUnitOfWork) -> None:
    service = service_at(uow)
    complaint_id, _ = await service.receive(intake("dept-urban"))
    await service.forward(c.ForwardComplaint(URBAN, complaint_id, "M-URB-001", "town-hexi",
                                             "已划转乡镇"))
    await service.contest(c.ContestForward(TOWN, complaint_id, "属城管直管路段"))
    await service.resolve_dispute(c.ResolveDispute(
        "ZY-2026-0009", "DisputeDecided", URBAN_REF, "district-gov", ("c", "d1"),
        subject_id=complaint_id, subject_kind="complaint"))
    await service.answer(c.AnswerComplainant(URBAN, complaint_id, "由城管局查处"))
    answered = uow.published[-1]
    assert isinstance(answered, wire.ComplainantAnswered)
    assert answered.took_over_from is not None and answered.took_over_from.id == "town-hexi"
    assert answered.feedback_released and uow.complaints[complaint_id].status == "closed"


@pytest.mark.rule("JUR-3")
async def test_a_department_handling_a_complaint_names_its_own_case(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id, _ = await service.receive(intake("dept-urban", matter_code="M-URB-009"))
    uow.cases["AJ-URB-7"] = Case("AJ-URB-7", "dept-urban", "M-URB-009")
    uow.cases["AJ-HEXI-7"] = Case("AJ-HEXI-7", "town-hexi", "M-URB-009")
    with pytest.raises(RuleViolation) as err:
        await service.name_case(c.NameCase(URBAN, complaint_id, "AJ-HEXI-7"))
    assert (err.value.rule, err.value.field) == ("CMP-4", "case_id")
    with pytest.raises(NotAllowed) as refused:  # not the handler
        await service.name_case(c.NameCase(TOWN, complaint_id, "AJ-HEXI-7"))
    assert refused.value.field == "acting_org"
    await service.name_case(c.NameCase(URBAN, complaint_id, "AJ-URB-7"))
    assert uow.complaints[complaint_id].case_id == "AJ-URB-7"
    town_id, _ = await service.receive(intake("town-hexi"))
    uow.cases["AJ-HEXI-8"] = Case("AJ-HEXI-8", "town-hexi", "M-URB-001")
    with pytest.raises(NotAllowed) as unverified:  # a township names a case once it verified
        await service.name_case(c.NameCase(TOWN, town_id, "AJ-HEXI-8"))
    assert unverified.value.field == "status"


@pytest.mark.rule("CMP-1")
def test_the_transition_end_is_operator_data_and_unset_means_not_ended(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from complaint.bootstrap import ComplaintSettings

    monkeypatch.delenv("TRANSITION_ENDS_ON", raising=False)
    assert ComplaintSettings().transition_ends_on is None
    monkeypatch.setenv("TRANSITION_ENDS_ON", "2027-01-01")
    assert ComplaintSettings().transition_ends_on == date(2027, 1, 1)


@pytest.mark.rule("DSP-1")
async def test_an_outcome_without_a_subject_kind_is_ours_only_for_a_complaint_held_here(
        service: ComplaintService, uow: FakeUnitOfWork) -> None:
    complaint_id, _ = await service.receive(intake("dept-urban"))
    await service.forward(c.ForwardComplaint(URBAN, complaint_id, "M-URB-001", "town-hexi",
                                             "已划转乡镇"))
    await service.contest(c.ContestForward(TOWN, complaint_id, "属城管直管路段"))
    for subject in ("case-0123456789abcdef", complaint_id):
        await service.resolve_dispute(c.ResolveDispute(
            f"ZY-{subject}", "DisputeSettled", URBAN_REF, "dept-urban", ("c", subject),
            subject_id=subject, subject_kind=""))
    assert uow.complaints[complaint_id].handler.id == "dept-urban"
