"""Pre-hand-over matters (REF-1 … REF-3) and the judicial path (CRM-1 … CRM-3)."""

import pytest

from liandong_runtime.refdata import ReferenceData
from referral.domain import events as ev
from referral.domain.case import Case, Finding
from referral.domain.errors import NotAllowed, RuleViolation
from referral.domain.rules import historical
from tests.unit.referral.conftest import FOUND_AT, MATERIALS


@pytest.mark.rule("REF-1")
def test_a_case_closed_before_the_hand_over_stays_with_its_department() -> None:
    with pytest.raises(RuleViolation) as err:
        historical(True, occurred=False, filed=False, closed=False)
    assert (err.value.rule, err.value.field) == ("REF-1", "closed_on")


@pytest.mark.rule("REF-2")
def test_a_case_filed_but_open_at_the_hand_over_is_decided_by_its_department() -> None:
    with pytest.raises(RuleViolation) as err:
        historical(True, occurred=False, filed=False, closed=None)
    assert err.value.rule == "REF-2"


@pytest.mark.rule("REF-3")
def test_other_historical_matters_move_only_by_agreement() -> None:
    assert historical(True, occurred=False, filed=None, closed=None) is True
    assert historical(True, occurred=True, filed=None, closed=None) is False
    assert historical(False, occurred=False, filed=False, closed=False) is False


def _historical(district: ReferenceData, org) -> Case:
    """Urban management moves a pre-hand-over road occupation to Hexi township."""
    finding = Finding(district.catalogue.matter("M-URB-001"), org("town-hexi"), FOUND_AT, False,
                      "2023年占道经营遗留问题", historical=True)
    case = Case.record("case-h", org("dept-urban"), org("town-hexi"), finding, district)
    case.transfer(org("dept-urban"), MATERIALS, district)
    return case


@pytest.mark.rule("REF-3")
def test_a_historical_matter_moves_only_from_the_department_to_the_township(district,
                                                                            org) -> None:
    finding = Finding(district.catalogue.matter("M-URB-001"), org("town-hexi"), FOUND_AT, False,
                      "遗留问题", historical=True)
    with pytest.raises(RuleViolation) as err:
        Case.record("c", org("town-hexi"), org("dept-urban"), finding, district)
    assert (err.value.rule, err.value.field) == ("REF-3", "occurred_on")
    assert _historical(district, org).status == "transferred"


@pytest.mark.rule("REF-3")
def test_the_townships_acceptance_is_the_agreement_that_moves_a_historical_matter(
        district, org) -> None:
    case = _historical(district, org)
    case.accept(org("town-hexi"))
    assert case.status == "accepted" and case.handler.id == "town-hexi"


@pytest.mark.rule("REF-3")
def test_without_agreement_a_historical_matter_stays_with_the_department(district,
                                                                         org) -> None:
    case = _historical(district, org)
    case.refuse(org("town-hexi"), "jurisdiction", "不同意移交历史遗留案件")
    assert case.events[-1].grounds == "historical_no_agreement"
    assert case.status == "kept" and case.handler.id == "dept-urban"
    case.close(org("dept-urban"), "administrative_penalty", FOUND_AT)  # it handles it
    assert case.status == "closed"


@pytest.mark.rule("REF-3")
@pytest.mark.rule("DSP-1")
def test_either_party_may_raise_a_dispute_over_a_kept_historical_matter(district, org) -> None:
    case = _historical(district, org)
    with pytest.raises(NotAllowed):  # nothing to dispute while the township may still agree
        case.raise_historical_dispute(org("town-hexi"), "应由区城市管理局处理")
    case.refuse(org("town-hexi"), "other", "不同意移交")
    with pytest.raises(NotAllowed):
        case.raise_historical_dispute(org("dept-market"), "局外人")
    with pytest.raises(RuleViolation, match="reason"):
        case.raise_historical_dispute(org("dept-urban"), " ")
    case.raise_historical_dispute(org("town-hexi"), "应由区城市管理局处理")
    raised = case.events[-1]
    assert isinstance(raised, ev.HistoricalDisputeRaised)
    assert (raised.department.id, raised.township.id) == ("dept-urban", "town-hexi")
    case.settle_ownership(org("town-hexi"), "dsp-case-h", "district_government")
    assert case.status == "accepted" and case.handler.id == "town-hexi"


def _accepted(case: Case, org, district) -> Case:
    case.transfer(org("town-hexi"), MATERIALS, district)
    case.accept(org("dept-urban"))
    return case


@pytest.mark.rule("CRM-1")
def test_the_handler_transfers_a_suspected_crime_to_a_judicial_organ(found_case, org,
                                                                     district) -> None:
    case = _accepted(found_case, org, district)
    case.suspect_crime(org("dept-urban"), "涉嫌非法占用农用地罪")
    with pytest.raises(RuleViolation, match="not a public security organ or a procuratorate"):
        case.transfer_to_judiciary(org("dept-urban"), org("dept-market"), ("https://f/1.pdf",))
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    assert isinstance(case.events[-1], ev.CaseTransferredToJudiciary)
    assert case.crime == "transferred"


@pytest.mark.rule("CRM-1")
def test_a_court_never_receives_a_suspected_crime(found_case, org, district) -> None:
    case = _accepted(found_case, org, district)
    case.suspect_crime(org("dept-urban"), "涉嫌犯罪")
    with pytest.raises(RuleViolation) as err:
        case.transfer_to_judiciary(org("dept-urban"), org("court"), ("https://f/1.pdf",))
    assert (err.value.rule, err.value.field) == ("CRM-1", "judicial_organ")
    assert case.crime == "suspected"
    case.transfer_to_judiciary(org("dept-urban"), org("procuratorate"), ("https://f/1.pdf",))
    assert case.judicial_organ.id == "procuratorate"


@pytest.mark.rule("CRM-2")
@pytest.mark.parametrize("outcome", ["administrative_penalty", "no_violation", "other",
                                     "judicial_accepted"])
def test_once_a_crime_is_suspected_no_outcome_closes_the_case(found_case, org, district,
                                                               outcome) -> None:
    case = _accepted(found_case, org, district)
    case.suspect_crime(org("dept-urban"), "涉嫌犯罪")
    with pytest.raises(RuleViolation) as err:
        case.close(org("dept-urban"), outcome, FOUND_AT)
    assert err.value.rule == "CRM-2"
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    with pytest.raises(RuleViolation, match="CRM-2"):
        case.close(org("dept-urban"), outcome, FOUND_AT)
    assert case.status == "accepted"


@pytest.mark.rule("CRM-2")
@pytest.mark.rule("CRM-3")
def test_a_declined_case_comes_back_and_may_then_be_fined(found_case, org, district) -> None:
    case = _accepted(found_case, org, district)
    case.suspect_crime(org("dept-urban"), "涉嫌犯罪")
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    with pytest.raises(NotAllowed):
        case.record_judiciary_decision(org("procuratorate"), "declined", "")
    case.record_judiciary_decision(org("police-bureau"), "declined", "未达立案标准")
    decision = case.events[-1]
    assert isinstance(decision, ev.JudiciaryDecisionRecorded)
    assert decision.transferred_by.id == "dept-urban" and decision.decision == "declined"
    case.close(org("dept-urban"), "administrative_penalty", FOUND_AT)
    assert case.status == "closed"


@pytest.mark.rule("CRM-1")
def test_a_returned_case_suspected_again_owes_a_new_transfer(found_case, org, district) -> None:
    case = _accepted(found_case, org, district)
    case.suspect_crime(org("dept-urban"), "涉嫌犯罪")
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    case.record_judiciary_decision(org("police-bureau"), "declined", "证据不足，退回")
    case.suspect_crime(org("dept-urban"), "补充调查后再次涉嫌犯罪")
    assert (case.events[-1].attempt, case.crime) == (2, "suspected")
    case.transfer_to_judiciary(org("dept-urban"), org("procuratorate"), ("https://f/2.pdf",))
    assert case.events[-1].attempt == 2


@pytest.mark.rule("CRM-2")
@pytest.mark.rule("CRM-3")
@pytest.mark.parametrize("outcome", ["administrative_penalty", "no_violation", "other"])
def test_an_accepted_case_closes_only_as_handed_to_the_judiciary(found_case, org, district,
                                                                 outcome) -> None:
    case = _accepted(found_case, org, district)
    case.suspect_crime(org("dept-urban"), "涉嫌犯罪")
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    case.record_judiciary_decision(org("police-bureau"), "accepted", "")
    assert case.crime == "accepted"
    with pytest.raises(RuleViolation) as err:
        case.close(org("dept-urban"), outcome, FOUND_AT)
    assert (err.value.rule, err.value.field) == ("CRM-2", "outcome")
    case.close(org("dept-urban"), "judicial_accepted", FOUND_AT)
    assert case.events[-1].outcome == "judicial_accepted"


@pytest.mark.rule("CRM-2")
def test_a_case_no_judicial_organ_accepted_is_not_closed_as_handed_over(found_case, org,
                                                                        district) -> None:
    case = _accepted(found_case, org, district)
    with pytest.raises(RuleViolation, match="no judicial organ accepted"):
        case.close(org("dept-urban"), "judicial_accepted", FOUND_AT)
