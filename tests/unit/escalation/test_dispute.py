"""Jurisdiction disputes, without I/O: negotiated by both, or decided (DSP-1, DSP-2)."""

from datetime import UTC, datetime

import pytest

from escalation.domain.dispute import Decided, Dispute, Escalated, Settled
from escalation.service.desk import complaint_handed_to_owner
from escalation.service.duties import Close, Open
from liandong_runtime.errors import NotAllowed, RuleViolation

TOWN = {"id": "town-hexi", "kind": "township", "name": "河西镇"}
DEPT = {"id": "dept-urban", "kind": "department", "name": "城管局"}
OTHER = {"id": "dept-water", "kind": "department", "name": "水务局"}


def dispute() -> Dispute:
    return Dispute("dsp-case-1", "M-URB-009", (DEPT, TOWN), "transfer_refused", "case-1",
                   "不属本镇管辖")


@pytest.mark.rule("DSP-1")
def test_both_parties_naming_the_same_owner_settle_the_dispute() -> None:
    d = dispute()
    d.agree(DEPT, TOWN)
    assert d.state == "negotiating" and d.events == []
    d.agree(TOWN, TOWN)
    assert d.state == "settled" and d.events == [Settled(TOWN, TOWN)]


@pytest.mark.rule("DSP-1")
def test_disagreeing_parties_do_not_settle_and_outsiders_are_refused() -> None:
    d = dispute()
    d.agree(DEPT, TOWN)
    d.agree(TOWN, DEPT)
    assert d.state == "negotiating"
    with pytest.raises(NotAllowed, match="not a party"):
        d.agree(OTHER, TOWN)
    with pytest.raises(RuleViolation, match="DSP-2"):
        d.agree(TOWN, OTHER)


@pytest.mark.rule("DSP-2")
def test_a_dispute_not_settled_in_time_goes_to_the_district_government_which_decides() -> None:
    d = dispute()
    d.escalate("negotiation_limit_passed")
    assert d.state == "escalated" and d.events == [Escalated("negotiation_limit_passed", None)]
    with pytest.raises(NotAllowed, match="escalated"):
        d.agree(TOWN, TOWN)
    d.decide(OTHER, "区政府决定〔2026〕1号", catalogue_correction=True)
    assert d.state == "decided" and d.owner == OTHER
    assert d.events[-1] == Decided(OTHER, "区政府决定〔2026〕1号", True)
    with pytest.raises(NotAllowed, match="decided"):
        d.decide(TOWN, "again", False)


@pytest.mark.rule("DSP-2")
def test_a_settled_dispute_is_not_escalated_by_its_limit_and_cannot_be_decided() -> None:
    d = dispute()
    d.agree(DEPT, DEPT)
    d.agree(TOWN, DEPT)
    d.escalate("negotiation_limit_passed")
    assert d.state == "settled"
    with pytest.raises(NotAllowed, match="settled"):
        d.decide(TOWN, "x", False)


@pytest.mark.rule("DSP-2")
def test_a_party_may_ask_the_district_government_before_the_limit() -> None:
    d = dispute()
    d.escalate("party_requested", TOWN)
    assert d.events == [Escalated("party_requested", TOWN)]
    with pytest.raises(NotAllowed):
        dispute().escalate("party_requested", OTHER)


@pytest.mark.rule("CMP-1")
@pytest.mark.rule("DSP-2")
def test_a_decided_complaint_dispute_moves_the_answer_duty_to_the_owner() -> None:
    now = datetime(2026, 11, 27, 2, tzinfo=UTC)
    d = Dispute("dsp-cmp-1", "M-URB-001", (DEPT, TOWN), "complaint_forward_contested",
                "cmp-1", "不属本镇")
    d.escalate("party_requested", TOWN)
    d.decide(DEPT, "区政府决定〔2026〕2号", catalogue_correction=False)
    released, feedback, owed = complaint_handed_to_owner(d, now)
    assert released == Close("complaint:cmp-1:town-hexi", now)
    assert feedback == Close("feedback:cmp-1", now)
    assert isinstance(owed, Open) and owed.deadline_id == "complaint:cmp-1:dept-urban"
