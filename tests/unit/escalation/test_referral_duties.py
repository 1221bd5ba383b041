"""What the referral service's events mean for deadlines: one test per mapping (each fails
if its mapping is removed), and the default limits of the referral duties pinned."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from escalation.service.duties import Close, Open, RaiseDispute, duties_for
from liandong_contracts import referral_v1 as ref
from liandong_contracts.samples import sample_of
from liandong_runtime.limits import DEFAULT_LIMITS, Limits
from liandong_runtime.workdays import load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = load_calendar(years=range(2026, 2027))


def kinds(actions: list) -> list[tuple[str, str]]:
    return [(type(a).__name__, getattr(a, "deadline_id", getattr(a, "dispute_id", "")))
            for a in actions]


def negotiating(actions: list, dispute: RaiseDispute, at: datetime) -> bool:
    """DSP-1: the dispute's negotiation clock (one or more deadlines), from the refusal."""
    return bool(actions) and all(
        isinstance(a, Open) and a.rule == "DSP-1" and a.started_at == at
        and a.deadline_id.startswith(f"dispute:{dispute.dispute_id}") for a in actions)


@pytest.mark.rule("REF-4")
@pytest.mark.rule("REF-5")
def test_a_finding_opens_the_transfer_limit_from_the_discovery() -> None:
    e = sample_of(ref.FindingRecorded)
    [transfer] = duties_for(e)
    assert transfer == Open(f"transfer:{e.case_id}", "REF-4", transfer.duty,
                            transfer.responsible, e.found_at)
    [urgent] = duties_for(e.model_copy(update={"urgent": True}))
    assert urgent.rule == "REF-5" and transfer.responsible["id"] == e.actor.id


@pytest.mark.rule("REF-6")
def test_informing_the_owner_is_timed_from_the_stop_order_and_owes_an_acknowledgement() -> None:
    """Before: the notice was only an event on the finder's case; nothing watched it."""
    e = sample_of(ref.OngoingViolationReported)
    inform, informed, acknowledge = duties_for(e)
    assert inform == Open(f"inform:{e.case_id}", "REF-6", inform.duty, inform.responsible,
                          e.stop_ordered_at)
    assert inform.responsible["id"] == e.actor.id
    assert informed == Close(f"inform:{e.case_id}", e.occurred_at)
    assert acknowledge == Open(f"ongoing:{e.case_id}", "REF-6-ACK", acknowledge.duty,
                               acknowledge.responsible, e.occurred_at)
    assert acknowledge.responsible["id"] == e.owner.id


@pytest.mark.rule("REF-6")
def test_the_owners_acknowledgement_ends_its_duty() -> None:
    e = sample_of(ref.OngoingViolationAcknowledged)
    assert duties_for(e) == [Close(f"ongoing:{e.case_id}", e.occurred_at)]


@pytest.mark.rule("REF-9")
def test_a_transfer_ends_the_transfer_limit_and_owes_the_receivers_answer() -> None:
    """Before: the receiver had no limit at all for accepting or refusing."""
    e = sample_of(ref.CaseTransferred)
    done, answer = duties_for(e)
    assert done == Close(f"transfer:{e.case_id}", e.occurred_at)
    assert answer == Open(f"answer:{e.case_id}:1", "REF-9", answer.duty, answer.responsible,
                          e.occurred_at)
    assert answer.responsible["id"] == e.receiver.id


@pytest.mark.rule("REF-9")
def test_the_receivers_acceptance_ends_its_answer_limit() -> None:
    e = sample_of(ref.CaseTransferAccepted)
    assert duties_for(e) == [Close(f"answer:{e.case_id}:1", e.occurred_at)]


@pytest.mark.rule("REF-9")
def test_a_refusal_for_material_owes_the_finder_a_resend_which_ends_it() -> None:
    """Before: refused for material, the case was a dead end with no duty open."""
    e = sample_of(ref.CaseTransferRefused).model_copy(update={"grounds": "materials"})
    answered, resend = duties_for(e)
    assert answered == Close(f"answer:{e.case_id}:1", e.occurred_at)
    assert resend == Open(f"transfer:{e.case_id}:1", "REF-9-RESEND", resend.duty,
                          resend.responsible, e.occurred_at)
    assert resend.responsible["id"] == e.transferred_by.id
    again = sample_of(ref.CaseTransferred).model_copy(update={"attempt": 2})
    assert kinds(duties_for(again)) == [("Close", f"transfer:{e.case_id}:1"),
                                        ("Open", f"answer:{e.case_id}:2")]


@pytest.mark.rule("REF-9")
@pytest.mark.rule("DSP-1")
def test_a_refusal_on_jurisdiction_opens_a_dispute_with_its_negotiation_limit() -> None:
    e = sample_of(ref.CaseTransferRefused)
    answered, dispute, *negotiation = duties_for(e)
    assert answered == Close(f"answer:{e.case_id}:1", e.occurred_at)
    assert isinstance(dispute, RaiseDispute) and dispute.origin == "transfer_refused"
    assert dispute.subject_id == e.case_id
    assert [p["id"] for p in dispute.parties] == [e.transferred_by.id, e.actor.id]
    assert negotiating(negotiation, dispute, e.occurred_at)


@pytest.mark.rule("REF-9")
def test_any_other_refusal_goes_to_the_district_governments_desk() -> None:
    """Before: refused for `other`, the case was a dead end and nobody was told."""
    e = sample_of(ref.CaseTransferRefused).model_copy(update={"grounds": "other"})
    answered, dispute = duties_for(e)
    assert answered == Close(f"answer:{e.case_id}:1", e.occurred_at)
    assert isinstance(dispute, RaiseDispute) and dispute.origin == "transfer_refused_other"
    assert dispute.subject_id == e.case_id and dispute.reason == e.reason


@pytest.mark.rule("REF-3")
def test_a_refused_historical_transfer_stays_with_the_department_without_a_dispute() -> None:
    e = sample_of(ref.CaseTransferRefused).model_copy(
        update={"grounds": "historical_no_agreement"})
    assert duties_for(e) == [Close(f"answer:{e.case_id}:1", e.occurred_at)]


@pytest.mark.rule("REF-3")
@pytest.mark.rule("DSP-1")
def test_a_party_raising_a_dispute_over_a_historical_matter_opens_one() -> None:
    e = sample_of(ref.HistoricalDisputeRaised)
    dispute, *negotiation = duties_for(e)
    assert isinstance(dispute, RaiseDispute) and dispute.origin == "historical_matter"
    assert [p["id"] for p in dispute.parties] == [e.department.id, e.township.id]
    assert dispute.subject_id == e.case_id and dispute.reason == e.reason
    assert negotiating(negotiation, dispute, e.occurred_at)


@pytest.mark.rule("CRM-1")
def test_a_suspected_crime_opens_the_transfer_to_the_judiciary_which_ends_it() -> None:
    e = sample_of(ref.CrimeSuspected)
    [judiciary] = duties_for(e)
    assert judiciary == Open(f"judiciary:{e.case_id}", "CRM-1", judiciary.duty,
                             judiciary.responsible, e.occurred_at)
    assert judiciary.responsible["id"] == e.actor.id
    done = sample_of(ref.CaseTransferredToJudiciary)
    assert duties_for(done) == [Close(f"judiciary:{done.case_id}", done.occurred_at)]


@pytest.mark.rule("CRM-1")
def test_a_crime_suspected_again_after_a_decline_is_watched_again() -> None:
    again = sample_of(ref.CrimeSuspected).model_copy(update={"attempt": 2})
    [judiciary] = duties_for(again)
    assert (judiciary.deadline_id, judiciary.rule) == (f"judiciary:{again.case_id}:2", "CRM-1")
    done = sample_of(ref.CaseTransferredToJudiciary).model_copy(update={"attempt": 2})
    assert duties_for(done) == [Close(f"judiciary:{done.case_id}:2", done.occurred_at)]


@pytest.mark.rule("JUR-3")
def test_registering_an_own_case_starts_no_referral_duty() -> None:
    assert duties_for(sample_of(ref.CaseRegistered)) == []


START = datetime(2026, 9, 25, 10, 0, tzinfo=SHANGHAI)  # a Friday before the National Day
END_OF_30_SEPT = datetime(2026, 10, 1, tzinfo=SHANGHAI)  # 24:00 of the 3rd working day (ESC-4)


@pytest.mark.rule("ESC-2")
@pytest.mark.rule("REF-4")
@pytest.mark.rule("REF-5")
@pytest.mark.rule("REF-6")
@pytest.mark.rule("REF-9")
@pytest.mark.rule("CRM-1")
@pytest.mark.parametrize(("rule", "text", "due"), [
    ("REF-4", "3wd", END_OF_30_SEPT),
    ("REF-5", "24h", START + timedelta(hours=24)),
    ("REF-6", "2h", START + timedelta(hours=2)),
    ("REF-6-ACK", "1wd", datetime(2026, 9, 29, tzinfo=SHANGHAI)),
    ("REF-9", "3wd", END_OF_30_SEPT),
    ("REF-9-RESEND", "3wd", END_OF_30_SEPT),
    ("CRM-1", "3wd", END_OF_30_SEPT),
])
def test_the_default_limits_of_the_referral_duties(rule: str, text: str, due: datetime) -> None:
    assert DEFAULT_LIMITS[rule] == text
    assert Limits().due(rule, START, CALENDAR) == due
