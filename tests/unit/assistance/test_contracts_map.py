"""Domain events onto the wire: a contract that still refuses one names the rule."""

import pytest

from assistance.adapters.contracts_map import to_contract
from assistance.domain import events as ev
from assistance.domain.errors import RuleViolation
from liandong_contracts import joint_v1 as jnt
from tests.unit.assistance.conftest import T0


@pytest.mark.rule("JNT-5")
def test_a_recommendation_the_contract_refuses_becomes_a_clear_rule_violation(org) -> None:
    bad = ev.SupervisionRecorded(T0, "recommendation", org("dept-market"), "removal", None, "x")
    with pytest.raises(RuleViolation) as err:
        to_contract(bad, aggregate_id="sup-1", key=None, actor=org("town-hexi"), person=None)
    assert (err.value.rule, err.value.field) == ("JNT-5", "recommendation")
    assert err.value.message == "a recommendation is about the head of a dispatched unit (JNT-5)"


def test_a_dispatch_carries_the_id_of_what_it_answers(org) -> None:
    sent = ev.StaffDispatched(T0, T0, 3)
    for key in ("request_id", "call_id"):
        wire = to_contract(sent, aggregate_id="x-1", key=key, actor=org("dept-urban"),
                           person="p-1")
        assert getattr(wire, key) == "x-1" and wire.correlation_id == "x-1"


def test_a_meeting_carries_its_id_and_its_participants(org) -> None:
    held = ev.MeetingHeld(T0, "scheduled", T0, "联席会议", (org("town-hexi"), org("dept-urban")),
                          ev.Document("纪要", "https://files.example/m.pdf"), None)
    wire = to_contract(held, aggregate_id="mtg-1", key="meeting_id", actor=org("town-hexi"),
                       person=None)
    assert isinstance(wire, jnt.ConsultationMeetingHeld) and wire.meeting_id == "mtg-1"
    assert [p.kind for p in wire.participants] == ["township", "department"]
