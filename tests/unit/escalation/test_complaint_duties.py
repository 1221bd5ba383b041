"""The complaint duty mapping, one test per mapping: each fails if its mapping is removed."""

from datetime import timedelta

import pytest

from escalation.service.duties import Close, Open, Pause, RaiseDispute, duties_for
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_contracts.samples import sample_of

URBAN = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="示例区城市管理局")
HEXI = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")


def ids(actions: list) -> list[tuple[str, str]]:
    return [(type(a).__name__, getattr(a, "deadline_id", getattr(a, "dispute_id", "")))
            for a in actions]


@pytest.mark.rule("ESC-3")
@pytest.mark.rule("CMP-7")
def test_a_township_blocked_by_a_complaint_dispute_has_its_duties_paused() -> None:
    """Reproduction: the contesting township's CMP-7 clock kept running through the dispute
    and it was reported late. Now its answer and its feedback duty pause on the dispute."""
    e = sample_of(cmp.ComplaintForwardContested).model_copy(
        update={"sender": URBAN, "actor": HEXI})
    actions = duties_for(e)
    dispute_id, cid = f"dsp-{e.complaint_id}", e.complaint_id
    assert isinstance(actions[0], RaiseDispute) and actions[0].subject_id == cid
    assert Pause(f"complaint:{cid}:town-hexi", dispute_id, e.occurred_at) in actions
    assert Pause(f"feedback:{cid}", dispute_id, e.occurred_at) in actions
    # a township forwarding to another township is owed no feedback: only the answer pauses
    between_towns = e.model_copy(update={"sender": HEXI, "actor": OrgRef(
        id="street-dongguan", kind=OrgKind.STREET_OFFICE, name="东关街道办事处")})
    assert [a for a in duties_for(between_towns) if isinstance(a, Pause)] == [
        Pause(f"complaint:{cid}:street-dongguan", dispute_id, e.occurred_at)]


@pytest.mark.rule("ESC-3")
def test_the_owner_a_dispute_named_ends_the_paused_duty_with_its_answer() -> None:
    e = sample_of(cmp.ComplainantAnswered).model_copy(
        update={"actor": URBAN, "took_over_from": HEXI, "feedback_released": True})
    cid = e.complaint_id
    assert duties_for(e) == [Close(f"complaint:{cid}:dept-urban", e.occurred_at),
                             Close(f"complaint:{cid}:town-hexi", e.occurred_at),
                             Close(f"feedback:{cid}", e.occurred_at)]


@pytest.mark.rule("CMP-4")
def test_a_penalty_found_due_owes_a_case_named_on_the_complaint() -> None:
    e = sample_of(cmp.ComplaintVerified).model_copy(update={"case_id": None})
    [opened] = duties_for(e)
    assert opened == Open(f"case:{e.complaint_id}", "CMP-4", opened.duty,
                          {"id": "town-hexi", "kind": "township", "name": "河西镇人民政府",
                           "parent_id": None}, e.occurred_at)
    assert duties_for(sample_of(cmp.ComplaintVerified)) == []  # named at once: nothing owed
    named = sample_of(cmp.ComplaintCaseNamed)
    assert duties_for(named) == [Close(f"case:{named.complaint_id}", named.occurred_at)]


@pytest.mark.rule("CMP-5")
def test_the_forward_without_jurisdiction_counts_from_the_complaints_receipt() -> None:
    e = sample_of(cmp.ComplaintVerified).model_copy(update={
        "outcome": "no_jurisdiction", "case_id": None})
    received = e.occurred_at - timedelta(days=2)
    [forward] = duties_for(e.model_copy(update={"received_at": received}))
    assert (forward.rule, forward.started_at) == ("CMP-5", received)


@pytest.mark.rule("CMP-6")
def test_a_department_receiving_a_townships_complaint_owes_telling_it() -> None:
    e = sample_of(cmp.ComplaintReceived)  # received by the ecology department
    assert [a for a in duties_for(e) if getattr(a, "rule", "") == "CMP-6"] == []
    owned = e.model_copy(update={"owner": HEXI})
    tell = duties_for(owned)[-1]
    assert isinstance(tell, Open) and (tell.deadline_id, tell.rule) == (
        f"tell:{e.complaint_id}", "CMP-6")
    assert tell.responsible["id"] == e.received_by.id and tell.started_at == e.received_at
    # a township receiving its own complaint owes nobody a telling
    own = e.model_copy(update={"received_by": HEXI, "actor": HEXI, "owner": HEXI})
    assert "CMP-6" not in [getattr(a, "rule", "") for a in duties_for(own)]


@pytest.mark.rule("CMP-6")
def test_the_telling_is_done_by_the_departments_forward_and_late_if_after_the_limit() -> None:
    e = sample_of(cmp.ComplaintForwarded)
    received = e.occurred_at - timedelta(days=3)
    actions = duties_for(e.model_copy(update={"received_at": received}))
    assert ids(actions)[-2:] == [("Open", f"tell:{e.complaint_id}"),
                                 ("Close", f"tell:{e.complaint_id}")]
    assert actions[-2].started_at == received and actions[-1].at == e.occurred_at
