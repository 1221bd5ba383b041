"""Pre-hand-over matters (REF-1 … REF-3) and the judicial path (CRM-1 … CRM-3)."""

from datetime import date

import pytest

from liandong_runtime.refdata import ReferenceData
from referral.domain import events as ev
from referral.domain.case import Case
from referral.domain.errors import NotAllowed, RuleViolation
from referral.domain.rules import historical
from tests.unit.referral.conftest import FOUND_AT, MATERIALS

HANDED_OVER = "M-URB-001"  # handed to the townships on 2024-01-01


@pytest.mark.rule("REF-1")
def test_a_case_closed_before_the_hand_over_stays_with_its_department(district) -> None:
    matter = district.catalogue.matter(HANDED_OVER)
    with pytest.raises(RuleViolation) as err:
        historical(matter, date(2023, 5, 1), filed_on=date(2023, 5, 2), closed_on=date(2023, 9, 1))
    assert (err.value.rule, err.value.field) == ("REF-1", "closed_on")


@pytest.mark.rule("REF-2")
def test_a_case_filed_but_open_at_the_hand_over_is_decided_by_its_department(district) -> None:
    matter = district.catalogue.matter(HANDED_OVER)
    with pytest.raises(RuleViolation) as err:
        historical(matter, date(2023, 11, 1), filed_on=date(2023, 12, 1), closed_on=None)
    assert err.value.rule == "REF-2"


@pytest.mark.rule("REF-3")
def test_other_historical_matters_move_only_by_agreement(district: ReferenceData) -> None:
    matter = district.catalogue.matter(HANDED_OVER)
    assert historical(matter, date(2023, 12, 20), filed_on=None, closed_on=None) is True
    assert historical(matter, date(2024, 1, 2), filed_on=None, closed_on=None) is False


@pytest.mark.rule("REF-3")
def test_refusing_a_historical_transfer_is_a_dispute_for_lack_of_agreement(found_case: Case,
                                                                            org) -> None:
    found_case.finding.historical = True
    found_case.transfer(org("town-hexi"), MATERIALS)
    found_case.refuse(org("dept-urban"), "jurisdiction", "不同意移交历史遗留案件")
    assert found_case.events[-1].grounds == "historical_no_agreement"


def _accepted(case: Case, org) -> Case:
    case.transfer(org("town-hexi"), MATERIALS)
    case.accept(org("dept-urban"))
    return case


@pytest.mark.rule("CRM-1")
def test_the_handler_transfers_a_suspected_crime_to_a_judicial_organ(found_case, org) -> None:
    case = _accepted(found_case, org)
    case.suspect_crime(org("dept-urban"), "涉嫌非法占用农用地罪")
    with pytest.raises(RuleViolation, match="not a public security organ or a procuratorate"):
        case.transfer_to_judiciary(org("dept-urban"), org("dept-market"), ("https://f/1.pdf",))
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    assert isinstance(case.events[-1], ev.CaseTransferredToJudiciary)
    assert case.crime == "transferred"


@pytest.mark.rule("CRM-2")
def test_no_fine_in_place_of_prosecution_while_the_crime_is_pending(found_case, org) -> None:
    case = _accepted(found_case, org)
    case.suspect_crime(org("dept-urban"), "涉嫌犯罪")
    with pytest.raises(RuleViolation) as err:
        case.close(org("dept-urban"), "administrative_penalty", FOUND_AT)
    assert err.value.rule == "CRM-2"
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    with pytest.raises(RuleViolation, match="CRM-2"):
        case.close(org("dept-urban"), "administrative_penalty", FOUND_AT)


@pytest.mark.rule("CRM-2")
@pytest.mark.rule("CRM-3")
def test_a_declined_case_comes_back_and_may_then_be_fined(found_case, org) -> None:
    case = _accepted(found_case, org)
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


@pytest.mark.rule("CRM-3")
def test_an_accepted_case_is_closed_on_the_judicial_path(found_case, org) -> None:
    case = _accepted(found_case, org)
    case.suspect_crime(org("dept-urban"), "涉嫌犯罪")
    case.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    case.record_judiciary_decision(org("police-bureau"), "accepted", "")
    assert case.crime == "accepted"
    case.close(org("dept-urban"), "judicial_accepted", FOUND_AT)
    assert case.events[-1].outcome == "judicial_accepted"
