"""Meetings, schedules, liaisons and supervisions (JNT-1, JNT-2, JNT-3, JNT-5)."""

from datetime import datetime, timedelta

import pytest

from assistance.domain import events as ev
from assistance.domain.call import JointCall
from assistance.domain.errors import RuleViolation
from assistance.domain.liaisons import Liaison
from assistance.domain.meetings import Meeting, MeetingSchedule, add_months, next_due
from assistance.domain.supervision import Supervision
from assistance.domain.values import Document, Summons
from tests.unit.assistance.conftest import SHANGHAI, T0, due

MINUTES = Document("会议纪要", "https://files.example/minutes/1.pdf")


def meeting(org, *participants: str, schedule: str = "scheduled", call=None,
            held_at: datetime = T0) -> Meeting:
    return Meeting.hold("mtg-1", org("town-hexi"), schedule, held_at, "油烟扰民联合整治",
                        tuple(map(org, participants)), MINUTES, call, T0 + timedelta(hours=3))


@pytest.mark.rule("JNT-1")
def test_a_consultation_meeting_is_held_with_its_minutes(org) -> None:
    held = meeting(org, "town-hexi", "dept-ecology", "dept-market")
    [event] = held.events
    assert isinstance(event, ev.MeetingHeld) and event.schedule == "scheduled"
    assert [o.id for o in event.participants] == ["town-hexi", "dept-ecology", "dept-market"]
    assert event.minutes == MINUTES and event.call_id is None


@pytest.mark.rule("JNT-1")
def test_a_meeting_brings_two_bodies_the_recorder_among_them_and_is_already_held(org) -> None:
    for participants in (("town-hexi",), ("town-hexi", "town-hexi"),
                         ("dept-ecology", "dept-market")):
        with pytest.raises(RuleViolation) as err:
            meeting(org, *participants)
        assert (err.value.rule, err.value.field) == ("JNT-1", "participants")
    with pytest.raises(RuleViolation) as err:
        meeting(org, "town-hexi", "dept-urban", held_at=T0 + timedelta(days=2))
    assert err.value.field == "held_at"


@pytest.mark.rule("JNT-1")
def test_a_regular_schedule_shows_the_next_meeting_due(org) -> None:
    first = datetime(2026, 1, 31, 9, 0, tzinfo=SHANGHAI)
    plan = MeetingSchedule.plan("sch-1", org("dept-urban"), "联席会议",
                                (org("dept-urban"), org("town-hexi")), "monthly", first)
    assert plan.next_due(T0) == datetime(2026, 3, 31, 9, 0, tzinfo=SHANGHAI)
    assert next_due(first, "quarterly", T0) == datetime(2026, 4, 30, 9, 0, tzinfo=SHANGHAI)
    assert next_due(first, "monthly", first - timedelta(days=40)) == first
    assert add_months(first, 1) == datetime(2026, 2, 28, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(RuleViolation):
        MeetingSchedule.plan("sch-2", org("dept-urban"), "x", (org("dept-urban"),), "monthly",
                             first)


@pytest.mark.rule("JNT-3")
def test_a_major_clue_calls_an_ad_hoc_special_meeting_that_references_the_call(org) -> None:
    clue = JointCall.make("call-7", org("town-hexi"), Summons(
        "major_clue", (org("dept-market"), org("dept-health")), "疑似制售假药窝点"), T0, due)
    held = meeting(org, "town-hexi", "dept-market", "dept-health", schedule="ad_hoc",
                   call=clue, held_at=T0 + timedelta(hours=2))
    assert held.call_id == "call-7" and held.events[0].call_id == "call-7"
    with pytest.raises(RuleViolation) as err:
        meeting(org, "town-hexi", "dept-market", call=clue, held_at=T0 + timedelta(hours=2))
    assert (err.value.rule, err.value.field) == ("JNT-3", "schedule")
    with pytest.raises(RuleViolation) as err:
        meeting(org, "town-hexi", "dept-market", schedule="ad_hoc", call=clue,
                held_at=T0 - timedelta(hours=1))
    assert err.value.field == "held_at"


@pytest.mark.rule("JNT-2")
def test_each_department_names_its_liaison_and_only_a_department_does(org) -> None:
    named = Liaison.name(org("dept-water"), "杨晓梅", "执法科科长", T0, None)
    [event] = named.events
    assert isinstance(event, ev.LiaisonNamed) and (event.liaison_name, event.role) == (
        "杨晓梅", "执法科科长")
    assert not hasattr(event, "phone") and not hasattr(named, "phone")
    same = Liaison.name(org("dept-water"), "杨晓梅", "执法科科长", T0, named)
    assert same is named
    for other in ("town-hexi", "unit-market-hexi", "police-bureau"):
        with pytest.raises(RuleViolation) as err:
            Liaison.name(org(other), "某人", "联络员", T0, None)
        assert (err.value.rule, err.value.field) == ("JNT-2", "acting_org")


@pytest.mark.rule("JNT-5")
def test_a_township_supervises_a_multi_department_matter(org) -> None:
    record = Supervision.record("sup-1", org("town-hexi"), "supervision", org("dept-urban"),
                                "河道两侧违建整治进度滞后，请于月底前完成", T0,
                                matter_code="M-WAT-001")
    [event] = record.events
    assert isinstance(event, ev.SupervisionRecorded) and event.about.id == "dept-urban"
    for actor in ("dept-market", "police-bureau"):
        with pytest.raises(RuleViolation) as err:
            Supervision.record("sup-2", org(actor), "supervision", org("dept-urban"), "x", T0)
        assert (err.value.rule, err.value.field) == ("JNT-5", "acting_org")


@pytest.mark.rule("JNT-5")
def test_a_recommendation_is_on_the_head_of_a_dispatched_unit(org) -> None:
    record = Supervision.record("sup-1", org("town-hexi"), "recommendation",
                                org("unit-market-hexi"), "所长配合执法表现突出，建议表彰", T0,
                                recommendation="reward")
    assert record.events[0].recommendation == "reward"
    with pytest.raises(RuleViolation) as err:
        Supervision.record("sup-2", org("town-hexi"), "recommendation", org("dept-market"),
                           "建议调整", T0, recommendation="removal")
    assert (err.value.rule, err.value.field) == ("JNT-5", "about")
    with pytest.raises(RuleViolation) as err:
        Supervision.record("sup-3", org("town-hexi"), "recommendation", org("unit-market-hexi"),
                           "建议", T0)
    assert err.value.field == "recommendation"
