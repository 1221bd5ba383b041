"""What each producer's events mean for deadlines, from the stored contract samples."""

import pytest

from escalation.service.duties import Close, Extend, Open, RaiseDispute, duties_for
from liandong_contracts import assistance_v1 as ast
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import joint_v1 as jnt
from liandong_contracts import sharing_v1 as shr
from liandong_contracts.samples import sample_of


def kinds(actions: list) -> list[tuple[str, str]]:
    return [(type(a).__name__, getattr(a, "deadline_id", getattr(a, "dispute_id", "")))
            for a in actions]


@pytest.mark.rule("CMP-2")
@pytest.mark.rule("CMP-1")
def test_a_received_complaint_is_registered_in_time_and_owed_an_answer_by_its_receiver() -> None:
    e = sample_of(cmp.ComplaintReceived)
    register, registered, handle = duties_for(e)
    assert register == Open(f"register:{e.complaint_id}", "CMP-2", register.duty,
                            register.responsible, e.received_at)
    assert registered == Close(f"register:{e.complaint_id}", e.registered_at)
    assert isinstance(handle, Open) and handle.rule == "CMP-7"
    assert handle.responsible["id"] == e.received_by.id


@pytest.mark.rule("CMP-5")
def test_a_township_without_jurisdiction_owes_a_forward_within_the_limit() -> None:
    e = sample_of(cmp.ComplaintVerified).model_copy(
        update={"outcome": "no_jurisdiction", "case_id": None})
    [forward] = duties_for(e)
    assert isinstance(forward, Open) and forward.rule == "CMP-5"
    assert forward.deadline_id == f"forward:{e.complaint_id}:{e.actor.id}"


@pytest.mark.rule("CMP-6")
@pytest.mark.rule("CMP-7")
def test_a_department_forward_moves_the_answer_to_the_township_and_owes_it_feedback() -> None:
    e = sample_of(cmp.ComplaintForwarded)
    cid = e.complaint_id
    assert kinds(duties_for(e)) == [
        ("Close", f"complaint:{cid}:{e.actor.id}"), ("Close", f"forward:{cid}:{e.actor.id}"),
        ("Open", f"complaint:{cid}:{e.receiver.id}"), ("Open", f"feedback:{cid}")]
    answered = sample_of(cmp.ComplainantAnswered)
    assert kinds(duties_for(answered)) == [("Close", f"complaint:{cid}:{answered.actor.id}")]
    assert kinds(duties_for(sample_of(cmp.ComplaintFeedbackSent))) == [
        ("Close", f"feedback:{cid}")]


@pytest.mark.rule("DSP-1")
def test_a_contested_forward_opens_a_dispute_whose_negotiation_clock_both_parties_hold() -> None:
    e = sample_of(cmp.ComplaintForwardContested)
    dispute, *rest = duties_for(e)  # ESC-3 pauses too: test_complaint_duties
    negotiation = [action for action in rest if isinstance(action, Open)]
    assert isinstance(dispute, RaiseDispute)
    assert dispute.origin == "complaint_forward_contested"
    assert [p["id"] for p in dispute.parties] == [e.sender.id, e.actor.id]
    assert negotiation == [
        Open(f"dispute:dsp-{e.complaint_id}:{party.id}", "DSP-1", negotiation[0].duty,
             party.model_dump(mode="json"), e.occurred_at) for party in (e.sender, e.actor)]


@pytest.mark.rule("SHR-4")
def test_information_is_due_the_day_it_forms_and_a_declared_delay_moves_it() -> None:
    published = sample_of(shr.InfoPublished)
    opened, closed = duties_for(published)
    assert isinstance(opened, Open) and opened.started_at == published.formed_at
    assert closed == Close(f"share:{published.info_id}", published.occurred_at)
    delayed = sample_of(shr.InfoSharingDelayed)
    assert duties_for(delayed)[1] == Extend(f"share:{delayed.info_id}", delayed.new_due_at)


@pytest.mark.rule("AST-1")
@pytest.mark.rule("AST-2")
@pytest.mark.rule("AST-3")
def test_an_assistance_request_owes_an_answer_and_staff_on_site_when_evidence_is_at_risk() -> None:
    e = sample_of(ast.AssistanceRequested)
    rid = e.request_id
    assert kinds(duties_for(e)) == [("Open", f"assistance:{rid}"), ("Open", f"dispatch:{rid}")]
    assert [a.rule for a in duties_for(e)] == ["AST-1", "AST-2"]
    calm = e.model_copy(update={"evidence_at_risk": False, "urgent": False})
    assert kinds(duties_for(calm)) == [("Open", f"assistance:{rid}")]
    archive = e.model_copy(update={"kind": ast.AssistanceKind.ARCHIVE_ACCESS, "urgent": True})
    assert kinds(duties_for(archive)) == [("Open", f"assistance:{rid}")]
    extended = sample_of(ast.AssistanceExtended)
    assert duties_for(extended) == [Extend(f"assistance:{rid}", extended.new_due_at)]
    assert kinds(duties_for(sample_of(ast.OnSiteDispatched))) == [("Close", f"dispatch:{rid}")]


@pytest.mark.rule("JNT-6")
@pytest.mark.rule("JNT-4")
def test_every_called_department_owes_an_answer_to_a_whistle_or_a_hazard_notice() -> None:
    whistle = sample_of(jnt.JointEnforcementCalled)
    opened = duties_for(whistle)
    assert [(a.rule, a.responsible["id"]) for a in opened] == [
        ("JNT-6", c.id) for c in whistle.called]
    hazard = whistle.model_copy(update={"kind": "hazard_notice"})
    assert {a.rule for a in duties_for(hazard)} == {"JNT-4"}
    assert duties_for(whistle.model_copy(update={"kind": "consultation"})) == []
    answered = sample_of(jnt.JointEnforcementAnswered)
    assert kinds(duties_for(answered)) == [
        ("Close", f"call:{whistle.call_id}:{answered.actor.id}")]
    dispatched = sample_of(ast.OnSiteDispatched).model_copy(
        update={"request_id": None, "call_id": whistle.call_id})
    assert kinds(duties_for(dispatched)) == [
        ("Close", f"call:{whistle.call_id}:{dispatched.actor.id}")]
