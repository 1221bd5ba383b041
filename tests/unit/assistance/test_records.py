"""Meetings, schedules, liaisons and supervisions (JNT-1, JNT-2, JNT-3, JNT-5)."""

from datetime import datetime, timedelta

import pytest

from assistance.domain import events as ev
from assistance.domain.call import JointCall
from assistance.domain.errors import NotAllowed, RuleViolation
from assistance.domain.liaisons import Liaison
from assistance.domain.meetings import (
    Meeting,
    MeetingSchedule,
    ScheduledMeeting,
    add_months,
    next_due,
)
from assistance.domain.supervision import Supervision
from assistance.domain.values import Document, Summons
from tests.unit.assistance.conftest import SHANGHAI, T0, due

MINUTES = Document("会议纪要", "https://files.example/minutes/1.pdf")


def meeting(org, *participants: str, schedule: str = "ad_hoc", call=None,
            held_at: datetime = T0, planned: ScheduledMeeting | None = None) -> Meeting:
    return Meeting.hold("mtg-1", org("town-hexi"), schedule, held_at, "油烟扰民联合整治",
                        tuple(map(org, participants)), MINUTES, call, T0 + timedelta(hours=3),
                        planned)


@pytest.mark.rule("JNT-1")
def test_a_consultation_meeting_is_held_with_its_minutes(org) -> None:
    held = meeting(org, "town-hexi", "dept-ecology", "dept-market")
    [event] = held.events
    assert isinstance(event, ev.MeetingHeld) and event.schedule == "ad_hoc"
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
    assert (err.value.rule, err.value.field) == ("ESC-5", "held_at")


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
        meeting(org, "town-hexi", "dept-market", schedule="scheduled", call=clue,
                held_at=T0 + timedelta(hours=2))
    assert (err.value.rule, err.value.field) == ("JNT-3", "schedule")
    with pytest.raises(RuleViolation) as err:
        meeting(org, "town-hexi", "dept-market", schedule="ad_hoc", call=clue,
                held_at=T0 - timedelta(hours=1))
    assert err.value.field == "held_at"


@pytest.mark.rule("JNT-2")
def test_each_department_and_each_township_names_its_liaison_and_no_one_else(org) -> None:
    named = Liaison.name(org("dept-water"), "杨晓梅", "执法科科长", T0, None)
    [event] = named.events
    assert isinstance(event, ev.LiaisonNamed) and (event.liaison_name, event.role) == (
        "杨晓梅", "执法科科长")
    assert not hasattr(event, "phone") and not hasattr(named, "phone")
    same = Liaison.name(org("dept-water"), "杨晓梅", "执法科科长", T0, named)
    assert same is named
    for township in ("town-hexi", "street-dongguan"):
        assert Liaison.name(org(township), "王海", "综合执法队队长", T0, None).events
    for other in ("unit-market-hexi", "police-bureau", "district-gov"):
        with pytest.raises(RuleViolation) as err:
            Liaison.name(org(other), "某人", "联络员", T0, None)
        assert (err.value.rule, err.value.field) == ("JNT-2", "acting_org")


@pytest.mark.rule("JNT-5")
def test_a_township_supervises_a_multi_department_matter(org) -> None:
    record = Supervision.record("sup-1", org("town-hexi"), "supervision", org("dept-urban"),
                                "河道两侧违建整治进度滞后，请于月底前完成", T0, due,
                                matter_code="M-WAT-001",
                                addressed=(org("dept-urban"), org("dept-water")))
    [event] = record.events
    assert isinstance(event, ev.SupervisionRecorded) and event.about.id == "dept-urban"
    assert [o.id for o in event.addressed] == ["dept-urban", "dept-water"]
    for actor in ("dept-market", "police-bureau"):
        with pytest.raises(RuleViolation) as err:
            Supervision.record("sup-2", org(actor), "supervision", org("dept-urban"), "x", T0,
                               due, addressed=(org("dept-urban"),))
        assert (err.value.rule, err.value.field) == ("JNT-5", "acting_org")


@pytest.mark.rule("JNT-5")
def test_a_recommendation_is_on_the_head_of_a_dispatched_unit(org) -> None:
    record = Supervision.record("sup-1", org("town-hexi"), "recommendation",
                                org("unit-market-hexi"), "所长配合执法表现突出，建议表彰", T0,
                                due, recommendation="reward")
    assert record.due_at is None and not record.addressed
    assert record.events[0].recommendation == "reward"
    with pytest.raises(RuleViolation) as err:
        Supervision.record("sup-2", org("town-hexi"), "recommendation", org("dept-market"),
                           "建议调整", T0, due, recommendation="removal")
    assert (err.value.rule, err.value.field) == ("JNT-5", "about")
    with pytest.raises(RuleViolation) as err:
        Supervision.record("sup-3", org("town-hexi"), "recommendation", org("unit-market-hexi"),
                           "建议", T0, due)
    assert err.value.field == "recommendation"


def scheduled(org, at: datetime = T0 + timedelta(hours=1)) -> ScheduledMeeting:
    return ScheduledMeeting.schedule("mtg-7", org("town-hexi"), "月度联席会议",
                                     (org("town-hexi"), org("dept-urban")), at, T0)


@pytest.mark.rule("JNT-1")
def test_a_scheduled_meeting_is_announced_and_its_minutes_are_recorded_under_its_id(org) -> None:
    planned = scheduled(org)
    [announced] = planned.events
    assert isinstance(announced, ev.MeetingScheduled)
    assert announced.scheduled_at == T0 + timedelta(hours=1) and not planned.held
    held = meeting(org, "town-hexi", "dept-urban", schedule="scheduled",
                   held_at=T0 + timedelta(hours=2), planned=planned)
    assert held.id == "mtg-7" and planned.held
    with pytest.raises(NotAllowed) as err:
        meeting(org, "town-hexi", "dept-urban", schedule="scheduled",
                held_at=T0 + timedelta(hours=2), planned=planned)
    assert err.value.field == "status"


@pytest.mark.rule("JNT-1")
def test_minutes_of_a_scheduled_meeting_name_the_meeting_scheduled(org) -> None:
    with pytest.raises(RuleViolation) as err:
        meeting(org, "town-hexi", "dept-urban", schedule="scheduled")
    assert (err.value.rule, err.value.field) == ("JNT-1", "meeting_id")
    with pytest.raises(RuleViolation) as err:
        meeting(org, "town-hexi", "dept-urban", schedule="ad_hoc", planned=scheduled(org))
    assert (err.value.rule, err.value.field) == ("JNT-1", "schedule")


@pytest.mark.rule("ESC-5")
def test_a_scheduled_time_must_be_a_real_time_and_a_held_time_not_in_the_future(org) -> None:
    with pytest.raises(RuleViolation) as err:
        scheduled(org, datetime(2999, 1, 1, tzinfo=SHANGHAI))
    assert (err.value.rule, err.value.field) == ("ESC-5", "scheduled_at")
    with pytest.raises(RuleViolation) as err:
        meeting(org, "town-hexi", "dept-urban", held_at=T0 + timedelta(hours=3, minutes=6))
    assert (err.value.rule, err.value.field) == ("ESC-5", "held_at")
    meeting(org, "town-hexi", "dept-urban", held_at=T0 + timedelta(hours=3, minutes=4))


def supervision(org, **fields) -> Supervision:
    return Supervision.record("sup-1", org("town-hexi"), "supervision", org("dept-urban"),
                              "请于月底前完成整治", T0, due,
                              **{"addressed": (org("dept-urban"), org("dept-water")), **fields})


@pytest.mark.rule("JNT-5")
def test_a_supervision_is_answered_by_default_within_five_working_days() -> None:
    assert due("JNT-5", T0) == datetime(2026, 3, 18, tzinfo=SHANGHAI)  # 24:00 Tue 17th


@pytest.mark.rule("JNT-5")
def test_a_supervision_names_departments_and_by_when_never_sooner_than_the_limit(org) -> None:
    assert supervision(org).due_at == due("JNT-5", T0)
    later = datetime(2026, 3, 31, 18, tzinfo=SHANGHAI)
    assert supervision(org, due_at=later).events[0].due_at == later
    for fields, field in (({"due_at": T0 + timedelta(days=1)}, "due_at"),
                          ({"addressed": ()}, "addressed"),
                          ({"addressed": (org("town-beishan"),)}, "addressed"),
                          ({"addressed": (org("unit-market-hexi"),)}, "addressed")):
        with pytest.raises(RuleViolation) as err:
            supervision(org, **fields)
        assert (err.value.rule, err.value.field) == ("JNT-5", field)
    with pytest.raises(RuleViolation) as err:
        supervision(org, due_at=datetime(9999, 1, 1, tzinfo=SHANGHAI))
    assert (err.value.rule, err.value.field) == ("ESC-5", "due_at")


@pytest.mark.rule("JNT-5")
def test_each_department_addressed_answers_once_in_writing(org) -> None:
    record = supervision(org)
    with pytest.raises(NotAllowed) as err:
        record.answer(org("dept-market"), "已整改", (), T0)
    assert err.value.field == "acting_org"
    with pytest.raises(RuleViolation) as bad:
        record.answer(org("dept-urban"), "  ", (), T0)
    assert (bad.value.rule, bad.value.field) == ("JNT-5", "text")
    record.answer(org("dept-urban"), "已完成拆除", (MINUTES,), T0 + timedelta(days=2))
    with pytest.raises(NotAllowed) as again:
        record.answer(org("dept-urban"), "再次答复", (), T0 + timedelta(days=3))
    assert again.value.field == "status"
    assert [o.id for o in record.silent] == ["dept-water"]
    answered = record.events[-1]
    assert isinstance(answered, ev.SupervisionAnswered) and answered.documents == (MINUTES,)


@pytest.mark.rule("ESC-5")
@pytest.mark.rule("JNT-1")
def test_a_regular_schedule_starts_at_a_real_time(org) -> None:
    with pytest.raises(RuleViolation) as err:
        MeetingSchedule.plan("sch-9", org("dept-urban"), "联席会议",
                             (org("dept-urban"), org("town-hexi")), "monthly",
                             datetime(9999, 1, 31, tzinfo=SHANGHAI))
    assert (err.value.rule, err.value.field) == ("ESC-5", "first_at")
