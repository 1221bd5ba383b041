"""The complaint aggregate, rule by rule."""

import uuid
from datetime import timedelta

import pytest

from complaint.domain import events as ev
from complaint.domain.cases import Case
from complaint.domain.complaint import Complaint, Intake
from complaint.domain.errors import NotAllowed, RuleViolation
from tests.unit.complaint.conftest import LETTER, NOW, PERSON, RECORD, received

CASE_9 = Case("case-9", "town-hexi", "M-URB-001")


def forwarded_by_department(org) -> Complaint:
    """Urban management receives a complaint on a matter handed to Hexi township (CMP-6)."""
    complaint = received(org, receiver="dept-urban")
    complaint.forward(org("dept-urban"), org("town-hexi"), "M-URB-001", org("town-hexi"),
                      "该事项已划转乡镇", (), NOW)
    return complaint


@pytest.mark.rule("CMP-1")
@pytest.mark.rule("CMP-2")
def test_the_first_receiver_registers_the_complaint_and_handles_it(org) -> None:
    complaint = received(org)
    [registered] = complaint.events
    assert isinstance(registered, ev.ComplaintReceived)
    assert registered.received_by.id == "town-hexi" == complaint.handler.id
    assert registered.registered_at == NOW > registered.received_at
    assert registered.reference_no == "TS-20260310-0001" and complaint.status == "handling"


@pytest.mark.rule("CMP-1")
@pytest.mark.parametrize("receiver", ["unit-market-hexi", "police-bureau", "district-gov"])
def test_units_judicial_organs_and_the_government_do_not_receive_complaints(
        org, receiver: str) -> None:
    with pytest.raises(RuleViolation) as err:
        received(org, receiver=receiver)
    assert (err.value.rule, err.value.field) == ("CMP-1", "acting_org")


@pytest.mark.rule("CMP-2")
def test_a_complaint_received_in_the_future_is_refused(org) -> None:
    intake = Intake("phone", NOW + timedelta(minutes=5), NOW, "噪声扰民")
    with pytest.raises(RuleViolation) as err:
        Complaint.receive("cmp-1", "TS-1", org("town-hexi"), uuid.uuid4(), intake, PERSON)
    assert (err.value.rule, err.value.field) == ("CMP-2", "received_at")


@pytest.mark.rule("CMP-1")
def test_only_the_body_handling_it_acts_and_a_forward_hands_it_over(org) -> None:
    complaint = forwarded_by_department(org)
    with pytest.raises(NotAllowed) as err:
        complaint.answer(org("dept-urban"), "已处理", None, None)
    assert err.value.field == "acting_org"
    assert complaint.handler.id == "town-hexi"
    assert complaint.handled_by == ("dept-urban", "town-hexi")


@pytest.mark.rule("CMP-3")
def test_a_township_that_finds_no_violation_answers_the_complainant_itself(org) -> None:
    complaint = received(org)
    town = org("town-hexi")
    with pytest.raises(NotAllowed, match="verify the complaint first"):
        complaint.answer(town, "经核查无违法行为", None, town)
    complaint.verify(town, "no_violation", "现场无摆摊", None, None, town)
    complaint.answer(town, "经核查无违法行为", None, town)
    assert isinstance(complaint.events[-1], ev.ComplainantAnswered)
    assert complaint.status == "closed"


@pytest.mark.rule("CMP-3")
def test_a_department_does_not_verify_on_site(org) -> None:
    complaint = received(org, receiver="dept-urban", matter_code="M-URB-009", locality=None)
    with pytest.raises(NotAllowed) as err:
        complaint.verify(org("dept-urban"), "no_violation", "无", None, None, None)
    assert err.value.field == "acting_org" and len(complaint.events) == 1


@pytest.mark.rule("CMP-4")
def test_a_penalty_due_opens_a_case_and_the_answer_names_it(org) -> None:
    complaint, town = received(org), org("town-hexi")
    with pytest.raises(RuleViolation, match="opens no case"):
        complaint.verify(town, "no_violation", "无", CASE_9, None, town)
    complaint.verify(town, "penalty_due", "占道属实", CASE_9, None, town)
    complaint.answer(town, "已立案查处", None, town)
    verified, answered = complaint.events[-2:]
    assert verified.case_id == "case-9" == answered.case_id


@pytest.mark.rule("CMP-4")
def test_a_township_opens_a_case_only_within_its_jurisdiction(org) -> None:
    complaint, town = received(org, matter_code="M-URB-009"), org("town-hexi")
    with pytest.raises(RuleViolation) as err:
        complaint.verify(town, "penalty_due", "无证建设", CASE_9, None, org("dept-urban"))
    assert (err.value.rule, err.value.field) == ("CMP-4", "matter_code")
    assert complaint.outcome is None


@pytest.mark.rule("CMP-5")
def test_a_township_without_jurisdiction_forwards_written_material_to_the_owner(org) -> None:
    complaint, town, urban = received(org, matter_code="M-URB-009"), org("town-hexi"), org(
        "dept-urban")
    complaint.verify(town, "no_jurisdiction", "属无证建设", None, None, urban)
    with pytest.raises(NotAllowed, match="forward it"):
        complaint.answer(town, "不归我镇管", None, urban)
    with pytest.raises(RuleViolation) as err:
        complaint.forward(town, urban, "M-URB-009", town, "规划许可属城管局", (), NOW)
    assert (err.value.rule, err.value.field) == ("CMP-5", "materials")
    complaint.forward(town, urban, "M-URB-009", town, "规划许可属城管局", (RECORD,), NOW)
    forwarded = complaint.events[-1]
    assert isinstance(forwarded, ev.ComplaintForwarded) and forwarded.receiver.id == "dept-urban"
    assert forwarded.materials == (RECORD, LETTER) and not forwarded.township_told
    assert complaint.handler.id == "dept-urban" and complaint.told_by is None


@pytest.mark.rule("CMP-5")
def test_no_jurisdiction_is_refused_when_the_catalogue_names_the_township(org) -> None:
    complaint, town = received(org), org("town-hexi")
    with pytest.raises(RuleViolation) as err:
        complaint.verify(town, "no_jurisdiction", "不归我镇", None, None, town)
    assert (err.value.rule, err.value.field) == ("CMP-5", "outcome")
    with pytest.raises(RuleViolation) as err:
        complaint.forward(town, town, "M-URB-001", town, "转", (RECORD,), NOW)
    assert err.value.rule == "JUR-2" and complaint.handler.id == "town-hexi"


@pytest.mark.rule("CMP-6")
def test_a_department_sends_the_complainant_and_the_investigation_to_the_township(org) -> None:
    complaint = forwarded_by_department(org)
    forwarded = complaint.events[-1]
    assert isinstance(forwarded, ev.ComplaintForwarded) and forwarded.township_told
    assert forwarded.materials == (LETTER,)  # the written material it received goes along
    assert complaint.told_by.id == "dept-urban" and complaint.forwarded_by.id == "dept-urban"


@pytest.mark.rule("CMP-6")
def test_a_department_answering_itself_still_owes_the_forward(org) -> None:
    complaint, urban, town = received(org, receiver="dept-urban"), org("dept-urban"), org(
        "town-hexi")
    complaint.answer(urban, "请向河西镇反映", None, town)
    assert complaint.status == "handling" and complaint.forward_due
    complaint.forward(urban, town, "M-URB-001", town, "该事项已划转乡镇", (), NOW)
    assert complaint.events[-1].township_told and complaint.handler.id == "town-hexi"
    assert not complaint.answered  # the township owes its own answer (CMP-7)


@pytest.mark.rule("CMP-7")
@pytest.mark.parametrize("answer_first", [True, False])
def test_the_township_answers_and_feeds_back_in_either_order_then_it_closes(
        org, answer_first: bool) -> None:
    complaint, town = forwarded_by_department(org), org("town-hexi")
    complaint.verify(town, "no_violation", "现场已无摆摊", None, None, town)
    steps = [lambda: complaint.answer(town, "已核查", None, town),
             lambda: complaint.feed_back(town, "已核查", None)]
    for step in steps if answer_first else steps[::-1]:
        assert complaint.status == "handling"
        step()
    feedback = next(e for e in complaint.events if isinstance(e, ev.ComplaintFeedbackSent))
    assert feedback.department.id == "dept-urban" and complaint.status == "closed"
    with pytest.raises(NotAllowed) as err:
        complaint.answer(town, "再次答复", None, town)
    assert err.value.field == "status"


@pytest.mark.rule("CMP-7")
def test_no_feedback_is_owed_when_no_department_told_the_township(org) -> None:
    complaint, town = received(org), org("town-hexi")
    complaint.verify(town, "no_violation", "无", None, None, town)
    with pytest.raises(NotAllowed, match="no feedback is owed") as err:
        complaint.feed_back(town, "无", None)
    assert err.value.field == "status"


@pytest.mark.rule("DSP-1")
def test_the_receiver_contests_a_forward_and_keeps_it_until_the_dispute_ends(org) -> None:
    complaint, town = forwarded_by_department(org), org("town-hexi")
    with pytest.raises(NotAllowed, match="only a forward"):
        received(org).contest(town, "不归我镇")
    complaint.contest(town, "该路段属城管局直管")
    contested = complaint.events[-1]
    assert isinstance(contested, ev.ComplaintForwardContested)
    assert contested.sender.id == "dept-urban" and contested.matter_code == "M-URB-001"
    with pytest.raises(NotAllowed) as err:
        complaint.verify(town, "no_violation", "无", None, None, town)
    assert err.value.field == "status" and complaint.status == "disputed"
    complaint.resolve_dispute("dsp-cmp-1", "DisputeDecided", org("dept-urban"), NOW)
    assert complaint.status == "handling" and complaint.handler.id == "dept-urban"
    assert complaint.told_by is None  # it owns it: no feedback to itself
    # a stale outcome is ignored
    complaint.resolve_dispute("dsp-cmp-1", "DisputeSettled", org("town-hexi"), NOW)
    assert complaint.handler.id == "dept-urban"
    complaint.answer(org("dept-urban"), "由城管局查处", None, org("town-hexi"))
    assert complaint.status == "closed"  # the decision binds: no forward is due
