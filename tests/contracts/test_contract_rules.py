"""The rules a single event can check are checked by the contract itself."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from liandong_contracts import assistance_v1 as ast
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import joint_v1 as jnt
from liandong_contracts import sharing_v1 as shr
from liandong_contracts.envelope import Event
from liandong_contracts.samples import DONGGUAN, HEXI, MARKET, sample_of

pytestmark = pytest.mark.unit


def sample(model: type[Event]) -> dict:
    return sample_of(model).model_dump()


@pytest.mark.rule("AST-4")
def test_archive_access_may_not_be_refused_without_a_reason() -> None:
    refusal = {**sample(ast.AssistanceAnswered), "kind": "archive_access", "answer": "refused"}
    with pytest.raises(ValidationError, match=r"without a reason \(AST-4\)"):
        ast.AssistanceAnswered.model_validate({**refusal, "reason": "  "})
    assert ast.AssistanceAnswered.model_validate({**refusal, "reason": "档案正在移交区档案馆"})


def test_other_assistance_may_be_refused_without_a_stated_reason() -> None:
    refusal = {**sample(ast.AssistanceAnswered), "kind": "training", "answer": "refused"}
    assert ast.AssistanceAnswered.model_validate(refusal).reason == ""


def test_an_extension_sets_a_due_date_after_it_is_announced() -> None:
    extension = sample(ast.AssistanceExtended)
    with pytest.raises(ValidationError, match="new_due_at must be after"):
        ast.AssistanceExtended.model_validate(
            {**extension, "new_due_at": extension["occurred_at"] - timedelta(hours=1)}
        )


def test_staff_are_dispatched_for_exactly_one_request_or_call() -> None:
    dispatch = sample(ast.OnSiteDispatched)
    for ids in ({"request_id": None}, {"call_id": "CS-2026-0008"}):
        with pytest.raises(ValidationError, match="exactly one of request_id"):
            ast.OnSiteDispatched.model_validate({**dispatch, **ids})


def test_a_called_body_may_not_refuse_without_a_reason() -> None:
    answer = {**sample(jnt.JointEnforcementAnswered), "answer": "refused"}
    with pytest.raises(ValidationError, match=r"refuse without a reason \(JNT-4\)"):
        jnt.JointEnforcementAnswered.model_validate(answer)


def test_a_recommendation_concerns_the_head_of_a_dispatched_unit() -> None:
    recommendation = sample(jnt.SupervisionRecorded)
    with pytest.raises(ValidationError, match="dispatched unit"):
        jnt.SupervisionRecorded.model_validate({**recommendation, "about": MARKET})
    with pytest.raises(ValidationError, match="says on what"):
        jnt.SupervisionRecorded.model_validate({**recommendation, "recommendation": None})


def test_a_supervision_carries_no_recommendation() -> None:
    supervision = {**sample(jnt.SupervisionRecorded), "kind": "supervision", "about": MARKET}
    with pytest.raises(ValidationError, match="carries no recommendation"):
        jnt.SupervisionRecorded.model_validate(supervision)


def test_a_penalty_due_opens_a_case() -> None:
    verified = sample(cmp.ComplaintVerified)
    # CMP-4 (revised): the case may be opened after the verification, within the CMP-4
    # limit, and named then (ComplaintCaseNamed)
    assert cmp.ComplaintVerified.model_validate({**verified, "case_id": None}).case_id is None
    with pytest.raises(ValidationError, match="opens no case"):
        cmp.ComplaintVerified.model_validate({**verified, "outcome": "no_violation"})


def test_a_township_forwards_a_complaint_with_written_material() -> None:
    forwarded = {**sample(cmp.ComplaintForwarded), "actor": HEXI, "receiver": MARKET}
    with pytest.raises(ValidationError, match=r"written material \(CMP-5\)"):
        cmp.ComplaintForwarded.model_validate(forwarded)


def test_a_complaint_is_not_forwarded_to_its_sender() -> None:
    forwarded = {**sample(cmp.ComplaintForwarded), "actor": DONGGUAN, "receiver": DONGGUAN}
    with pytest.raises(ValidationError, match="forwarded to its sender"):
        cmp.ComplaintForwarded.model_validate(forwarded)


def test_a_complaint_is_registered_no_earlier_than_received() -> None:
    received = sample(cmp.ComplaintReceived)
    early = received["received_at"] - timedelta(minutes=1)
    with pytest.raises(ValidationError, match="registered_at is before received_at"):
        cmp.ComplaintReceived.model_validate({**received, "registered_at": early})


def test_shared_information_names_its_audience() -> None:
    published = sample(shr.InfoPublished)
    assert shr.InfoPublished.model_validate({**published, "audience": "all"}).audience == "all"
    with pytest.raises(ValidationError, match="audience is empty"):
        shr.InfoPublished.model_validate({**published, "audience": ()})
    with pytest.raises(ValidationError, match="audience"):
        shr.InfoPublished.model_validate({**published, "audience": ("Not An Org Id",)})


def test_a_delayed_share_is_due_after_the_information_formed() -> None:
    delayed = sample(shr.InfoSharingDelayed)
    with pytest.raises(ValidationError, match="new_due_at must be after formed_at"):
        shr.InfoSharingDelayed.model_validate({**delayed, "new_due_at": delayed["formed_at"]})
    with pytest.raises(ValidationError, match="reason"):
        shr.InfoSharingDelayed.model_validate({**delayed, "reason": ""})


def test_information_categories_are_the_eight_of_shr_2() -> None:
    assert len(shr.InfoCategory) == 8
