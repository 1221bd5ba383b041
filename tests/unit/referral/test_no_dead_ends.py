"""Issue 12 on the case aggregate: no refusal is a dead end (REF-9), the owner answers an
ongoing-violation notice (REF-6), a body's own cases (JUR-3), REF-8 in one meaning."""

import pytest

from referral.domain import events as ev
from referral.domain.case import Case, Finding
from referral.domain.errors import NotAllowed, RuleViolation
from tests.unit.referral.conftest import FOUND_AT, MATERIALS


@pytest.mark.rule("REF-9")
def test_a_refusal_for_material_returns_the_case_to_the_finder_who_transfers_again(
        found_case: Case, org, district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    found_case.refuse(org("dept-urban"), "materials", "缺少现场检查笔录")
    assert found_case.status == "returned" and found_case.handler.id == "town-hexi"
    with pytest.raises(NotAllowed):
        found_case.accept(org("dept-urban"))
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    resent = found_case.events[-1]
    assert isinstance(resent, ev.CaseTransferred) and resent.attempt == 2
    found_case.accept(org("dept-urban"))
    assert found_case.events[-1].attempt == 2 and found_case.status == "accepted"


@pytest.mark.rule("REF-9")
def test_a_refusal_on_other_grounds_waits_for_the_district_governments_desk(
        found_case: Case, org, district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    found_case.refuse(org("dept-urban"), "other", "人手不足")
    assert found_case.status == "refused" and found_case.events[-1].grounds == "other"
    with pytest.raises(NotAllowed):  # not back with the finder: the desk decides
        found_case.transfer(org("town-hexi"), MATERIALS, district)
    found_case.settle_ownership(org("dept-urban"), "dsp-case-1", "district_government")
    assert found_case.status == "accepted" and found_case.handler.id == "dept-urban"


@pytest.mark.rule("REF-9")
def test_a_refusal_names_one_of_the_known_grounds(found_case: Case, org, district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    with pytest.raises(RuleViolation) as err:
        found_case.refuse(org("dept-urban"), "busy", "人手不足")
    assert (err.value.rule, err.value.field) == ("REF-9", "grounds")
    assert found_case.status == "transferred"


def _ongoing(district, org) -> Case:
    finding = Finding(district.catalogue.matter("M-URB-009"), org("town-hexi"), FOUND_AT,
                      False, "仍在施工")
    return Case.record("case-o", org("town-hexi"), org("dept-urban"), finding, district,
                       stop_ordered_at=FOUND_AT)


def _own(district, org, owner: str = "dept-urban") -> Case:
    finding = Finding(district.catalogue.matter("M-URB-009"), org("town-hexi"), FOUND_AT,
                      False, "无证建设，本局立案")
    return Case.register("case-own", org(owner), org(owner), finding)


@pytest.mark.rule("REF-6")
@pytest.mark.rule("JUR-3")
def test_the_owner_acknowledges_an_ongoing_violation_by_opening_its_own_case(district,
                                                                            org) -> None:
    case = _ongoing(district, org)
    assert case.ongoing == "reported" and case.stop_ordered_at == FOUND_AT
    with pytest.raises(NotAllowed):
        case.acknowledge_ongoing(org("town-hexi"), None, "不是我")
    with pytest.raises(RuleViolation) as err:
        case.acknowledge_ongoing(org("dept-urban"), None, "")
    assert (err.value.rule, err.value.field) == ("REF-6", "reason")
    with pytest.raises(RuleViolation) as err:  # a case someone else registered is not ours
        case.acknowledge_ongoing(org("dept-urban"), case, "")
    assert (err.value.rule, err.value.field) == ("JUR-3", "case_id")
    case.acknowledge_ongoing(org("dept-urban"), _own(district, org), "")
    done = case.events[-1]
    assert isinstance(done, ev.OngoingViolationAcknowledged) and done.own_case_id == "case-own"
    assert done.finder.id == "town-hexi" and case.ongoing == "acknowledged"
    with pytest.raises(NotAllowed):
        case.acknowledge_ongoing(org("dept-urban"), None, "再次确认")


@pytest.mark.rule("REF-6")
def test_the_owner_may_say_why_it_opens_no_case(district, org) -> None:
    case = _ongoing(district, org)
    case.acknowledge_ongoing(org("dept-urban"), None, "  经核查已停止施工并已有许可  ")
    assert case.events[-1].reason == "经核查已停止施工并已有许可"
    assert case.events[-1].own_case_id is None


@pytest.mark.rule("REF-6")
def test_the_owner_is_informed_once(found_case: Case, org) -> None:
    found_case.report_ongoing(org("town-hexi"), FOUND_AT, "仍在施工")
    with pytest.raises(NotAllowed):
        found_case.report_ongoing(org("town-hexi"), FOUND_AT, "仍在施工")


@pytest.mark.rule("JUR-3")
def test_a_body_registers_its_own_case_and_closes_it(district, org) -> None:
    own = _own(district, org)
    registered = own.events[-1]
    assert isinstance(registered, ev.CaseRegistered) and registered.owner.id == "dept-urban"
    assert own.status == "registered" and own.handler.id == "dept-urban"
    own.close(org("dept-urban"), "administrative_penalty", FOUND_AT)
    assert own.status == "closed"


@pytest.mark.rule("JUR-3")
@pytest.mark.rule("JUR-2")
def test_a_body_registers_no_case_on_a_matter_it_does_not_own(district, org) -> None:
    finding = Finding(district.catalogue.matter("M-URB-009"), org("town-hexi"), FOUND_AT,
                      False, "无证建设")
    with pytest.raises(RuleViolation) as err:
        Case.register("c", org("town-hexi"), org("dept-urban"), finding)
    assert (err.value.rule, err.value.field) == ("JUR-3", "matter_code")


@pytest.mark.rule("JUR-3")
@pytest.mark.rule("CRM-1")
@pytest.mark.rule("CRM-2")
def test_the_crime_path_applies_to_a_bodys_own_case(district, org) -> None:
    own = _own(district, org)
    own.suspect_crime(org("dept-urban"), "涉嫌非法占用农用地罪")
    with pytest.raises(RuleViolation, match="CRM-2"):
        own.close(org("dept-urban"), "administrative_penalty", FOUND_AT)
    own.transfer_to_judiciary(org("dept-urban"), org("police-bureau"), ("https://f/1.pdf",))
    own.record_judiciary_decision(org("police-bureau"), "accepted", "")
    own.close(org("dept-urban"), "judicial_accepted", FOUND_AT)
    assert own.status == "closed"


@pytest.mark.rule("REF-8")
def test_a_unit_acts_in_its_own_name_only_for_its_own_departments_matter(district,
                                                                         org) -> None:
    """The legal basis of M-MKT-004 lets market supervision's units act in their own name,
    not any unit: the urban management brigade still acts in its department's name."""
    finding = Finding(district.catalogue.matter("M-MKT-004"), org("town-hexi"), FOUND_AT,
                      False, "摊贩无登记卡")
    with pytest.raises(RuleViolation) as err:
        Case.record("c", org("unit-urban-brigade"), org("town-hexi"), finding, district)
    assert (err.value.rule, err.value.field) == ("REF-8", "acting_org")
    case = Case.record("c", org("unit-market-hexi"), org("town-hexi"), finding, district)
    assert case.finder.id == "unit-market-hexi"
