"""The case aggregate, rule by rule."""

import pytest

from liandong_runtime.refdata import ReferenceData
from referral.domain import events as ev
from referral.domain.case import Case, Finding
from referral.domain.errors import NotAllowed, RuleViolation
from referral.domain.events import Materials
from tests.unit.referral.conftest import FOUND_AT, MATERIALS


@pytest.mark.rule("JUR-2")
def test_a_body_cannot_transfer_a_matter_it_owns(district: ReferenceData, org) -> None:
    matter = district.catalogue.matter("M-URB-009")
    finding = Finding(matter, org("town-hexi"), FOUND_AT, False, "无证建设")
    with pytest.raises(RuleViolation) as err:
        Case.record("c", org("dept-urban"), org("dept-urban"), finding, district)
    assert err.value.rule == "JUR-2"


@pytest.mark.rule("JUR-2")
def test_only_the_owner_closes_a_case_with_a_penalty(found_case: Case, org, district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    found_case.accept(org("dept-urban"))
    with pytest.raises(RuleViolation, match="only the body handling the case"):
        found_case.close(org("town-hexi"), "administrative_penalty", FOUND_AT)
    found_case.close(org("dept-urban"), "administrative_penalty", FOUND_AT)
    assert found_case.status == "closed"


@pytest.mark.rule("REF-4")
def test_a_finding_records_the_discovery_that_starts_the_clock(found_case: Case) -> None:
    [recorded] = found_case.events
    assert isinstance(recorded, ev.FindingRecorded)
    assert recorded.found_at == FOUND_AT and recorded.owner.id == "dept-urban"
    assert recorded.urgent is False


@pytest.mark.rule("REF-4")
def test_the_finder_transfers_the_case_to_the_owner(found_case: Case, org, district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    transferred = found_case.events[-1]
    assert isinstance(transferred, ev.CaseTransferred)
    assert transferred.receiver.id == "dept-urban" and found_case.status == "transferred"


@pytest.mark.rule("REF-5")
def test_an_urgent_finding_carries_its_urgency_to_the_transfer(district, org) -> None:
    finding = Finding(district.catalogue.matter("M-URB-009"), org("town-hexi"), FOUND_AT,
                      urgent=True, summary="危房施工")
    case = Case.record("c", org("town-hexi"), org("dept-urban"), finding, district)
    case.transfer(org("town-hexi"), MATERIALS, district)
    assert case.events[0].urgent and case.events[-1].urgent


@pytest.mark.rule("REF-6")
def test_an_ongoing_violation_is_reported_to_the_owner_before_any_transfer(
        district: ReferenceData, org) -> None:
    finding = Finding(district.catalogue.matter("M-URB-009"), org("town-hexi"), FOUND_AT,
                      False, "仍在施工")
    case = Case.record("c", org("town-hexi"), org("dept-urban"), finding, district,
                       stop_ordered_at=FOUND_AT)
    recorded, reported = case.events
    assert isinstance(reported, ev.OngoingViolationReported)
    assert reported.owner.id == "dept-urban" and reported.stop_ordered_at == FOUND_AT
    assert recorded.ongoing and case.status == "found"


@pytest.mark.rule("REF-7")
@pytest.mark.parametrize("missing", ["transfer_letter", "case_source", "preliminary_evidence"])
def test_a_transfer_missing_any_of_the_three_materials_is_refused(
        found_case: Case, org, missing: str, district) -> None:
    parts = {"transfer_letter": MATERIALS.transfer_letter, "case_source": MATERIALS.case_source,
             "preliminary_evidence": MATERIALS.preliminary_evidence}
    parts[missing] = "" if missing == "transfer_letter" else ()
    with pytest.raises(RuleViolation) as err:
        found_case.transfer(org("town-hexi"), Materials(**parts), district)
    assert (err.value.rule, err.value.field) == ("REF-7", f"materials.{missing}")
    assert found_case.status == "found"


@pytest.mark.rule("REF-8")
def test_a_dispatched_unit_cannot_transfer_in_its_own_name(district, org) -> None:
    finding = Finding(district.catalogue.matter("M-URB-009"), org("town-hexi"), FOUND_AT,
                      False, "无证建设")
    with pytest.raises(RuleViolation) as err:
        Case.record("c", org("unit-market-hexi"), org("dept-urban"), finding, district)
    assert err.value.rule == "REF-8" and "dept-market" in err.value.message


@pytest.mark.rule("REF-8")
def test_a_unit_may_act_in_its_own_name_where_the_legal_basis_allows(district, org) -> None:
    matter = district.catalogue.matter("M-MKT-004")
    assert matter.unit_may_act_in_own_name
    finding = Finding(matter, org("town-hexi"), FOUND_AT, False, "摊贩无登记卡")
    case = Case.record("c", org("unit-market-hexi"), org("town-hexi"), finding, district)
    case.transfer(org("unit-market-hexi"), MATERIALS, district)
    assert case.status == "transferred"


@pytest.mark.rule("REF-9")
def test_only_the_receiver_accepts_and_the_case_is_then_its_own(found_case: Case, org,
                                                                district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    with pytest.raises(NotAllowed):
        found_case.accept(org("town-hexi"))
    found_case.accept(org("dept-urban"))
    assert found_case.status == "accepted" and found_case.handler.id == "dept-urban"


@pytest.mark.rule("REF-9")
def test_a_refusal_states_its_reason_and_grounds(found_case: Case, org, district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    with pytest.raises(RuleViolation, match="reason"):
        found_case.refuse(org("dept-urban"), "jurisdiction", "  ")
    found_case.refuse(org("dept-urban"), "jurisdiction", "该事项已划转乡镇")
    refused = found_case.events[-1]
    assert isinstance(refused, ev.CaseTransferRefused) and refused.grounds == "jurisdiction"


@pytest.mark.rule("DSP-1")
@pytest.mark.rule("DSP-2")
def test_a_refused_case_goes_to_the_owner_the_dispute_settles_on(found_case: Case, org,
                                                                 district) -> None:
    with pytest.raises(NotAllowed, match="found"):
        found_case.settle_ownership(org("town-hexi"), "dsp-case-1", "agreement")
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    found_case.refuse(org("dept-urban"), "jurisdiction", "该事项已划转乡镇")
    found_case.settle_ownership(org("town-hexi"), "dsp-case-1", "district_government")
    assert found_case.status == "accepted" and found_case.owner.id == "town-hexi"
    assert found_case.handler.id == "town-hexi"
    settled = found_case.events[-1]
    assert isinstance(settled, ev.CaseOwnershipSettled)
    assert settled.settled_by == "district_government"
    found_case.close(org("town-hexi"), "administrative_penalty", FOUND_AT)
    assert found_case.status == "closed"
