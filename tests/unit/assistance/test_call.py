"""The joint-enforcement call aggregate, rule by rule (JNT-3, JNT-4, JNT-6)."""

from datetime import timedelta

import pytest

from assistance.domain import events as ev
from assistance.domain.call import JointCall
from assistance.domain.errors import NotAllowed, RuleViolation
from assistance.domain.values import Summons
from liandong_runtime.refdata import ReferenceData
from tests.unit.assistance.conftest import T0, due

LATER = T0 + timedelta(minutes=40)


def call(org, kind: str, caller: str, *called: str, matter=None) -> JointCall:
    summons = Summons(kind, tuple(map(org, called)), "集贸市场占道经营、无照经营集中整治",
                      matter)
    return JointCall.make("call-1", org(caller), summons, T0, due)


@pytest.mark.rule("JNT-6")
def test_a_township_blows_the_whistle_and_each_department_is_due_quickly(org) -> None:
    whistle = call(org, "whistle", "town-hexi", "dept-market", "dept-urban", "dept-market")
    assert whistle.due_at == T0 + timedelta(hours=2)
    assert [o.id for o in whistle.summons.called] == ["dept-market", "dept-urban"]
    [called] = whistle.events
    assert isinstance(called, ev.JointEnforcementCalled) and called.kind == "whistle"
    assert [o.id for o in whistle.silent] == ["dept-market", "dept-urban"]


@pytest.mark.rule("JNT-6")
@pytest.mark.parametrize("caller", ["dept-urban", "unit-market-hexi", "police-bureau"])
def test_only_a_township_blows_the_whistle(org, caller: str) -> None:
    with pytest.raises(RuleViolation, match="only a township") as err:
        call(org, "whistle", caller, "dept-market")
    assert (err.value.rule, err.value.field) == ("JNT-6", "acting_org")


@pytest.mark.rule("JNT-6")
@pytest.mark.parametrize("called", ["street-xicheng", "police-bureau", "unit-market-hexi",
                                    "town-hexi"])
def test_a_whistle_names_departments_and_never_the_caller(org, called: str) -> None:
    with pytest.raises(RuleViolation) as err:
        call(org, "whistle", "town-hexi", "dept-market", called)
    assert (err.value.rule, err.value.field) == ("JNT-6", "called")


@pytest.mark.rule("JNT-6")
def test_who_answered_and_when_is_recorded_once_each(org) -> None:
    whistle = call(org, "whistle", "street-dongguan", "dept-market", "dept-health")
    whistle.answer(org("dept-market"), "reported", "", LATER)
    with pytest.raises(NotAllowed) as err:
        whistle.answer(org("dept-market"), "refused", "人手不足", LATER)
    assert err.value.field == "status"
    assert whistle.responses["dept-market"].at == LATER
    assert [o.id for o in whistle.silent] == ["dept-health"]
    answered = whistle.events[-1]
    assert isinstance(answered, ev.JointEnforcementAnswered) and answered.answer == "reported"


@pytest.mark.rule("JNT-6")
def test_only_a_called_body_answers(org) -> None:
    whistle = call(org, "whistle", "town-hexi", "dept-market")
    for outsider in ("dept-urban", "town-hexi"):
        with pytest.raises(NotAllowed, match="only a called body") as err:
            whistle.answer(org(outsider), "reported", "", LATER)
        assert err.value.field == "acting_org"
    assert not whistle.responses and len(whistle.events) == 1


@pytest.mark.rule("JNT-4")
def test_a_hazard_notice_goes_to_the_department_that_owns_the_violation(
        org, district: ReferenceData) -> None:
    unlicensed = district.catalogue.matter("M-HSG-004")  # never handed over: housing owns it
    notice = call(org, "hazard_notice", "town-hexi", "dept-housing", matter=unlicensed)
    assert notice.due_at == T0 + timedelta(hours=2)
    with pytest.raises(RuleViolation, match="does not own") as err:
        call(org, "hazard_notice", "town-hexi", "dept-emergency", matter=unlicensed)
    assert (err.value.rule, err.value.field) == ("JNT-4", "called")


@pytest.mark.rule("JNT-4")
def test_a_department_notifies_the_township_of_a_handed_over_matter(
        org, district: ReferenceData) -> None:
    burning = district.catalogue.matter("M-ENV-001")  # handed to the townships in 2024
    notice = call(org, "hazard_notice", "dept-ecology", "town-beishan", matter=burning)
    assert [o.id for o in notice.summons.called] == ["town-beishan"]
    with pytest.raises(RuleViolation):
        call(org, "hazard_notice", "dept-ecology", "dept-urban", matter=burning)


@pytest.mark.rule("JNT-4")
def test_a_hazard_notice_names_the_matter_and_one_owner(org, district: ReferenceData) -> None:
    with pytest.raises(RuleViolation) as err:
        call(org, "hazard_notice", "town-hexi", "dept-housing")
    assert (err.value.rule, err.value.field) == ("JNT-4", "matter_code")
    with pytest.raises(RuleViolation, match="one body"):
        call(org, "hazard_notice", "town-hexi", "dept-housing", "dept-urban",
             matter=district.catalogue.matter("M-HSG-004"))


@pytest.mark.rule("JNT-4")
def test_a_notified_body_refuses_only_with_a_reason(org, district: ReferenceData) -> None:
    notice = call(org, "hazard_notice", "town-hexi", "dept-housing",
                  matter=district.catalogue.matter("M-HSG-004"))
    with pytest.raises(RuleViolation) as err:
        notice.answer(org("dept-housing"), "refused", "", LATER)
    assert (err.value.rule, err.value.field) == ("JNT-4", "reason")
    assert not notice.responses
    notice.answer(org("dept-housing"), "refused", "已于昨日查处完毕", LATER)
    assert notice.responses["dept-housing"].reason == "已于昨日查处完毕"


@pytest.mark.rule("JNT-4")
def test_sending_staff_at_once_is_the_notified_bodys_report(org, district) -> None:
    notice = call(org, "hazard_notice", "town-hexi", "dept-housing",
                  matter=district.catalogue.matter("M-HSG-004"))
    notice.dispatch(org("dept-housing"), 5, LATER, leader="赵刚")
    notice.dispatch(org("dept-housing"), 2, LATER + timedelta(minutes=30), leader="钱进")
    done = notice.responses["dept-housing"]
    assert (done.answer, done.via, done.at) == ("reported", "dispatch", LATER)
    assert [type(e) for e in notice.events] == [ev.JointEnforcementCalled,
                                                 ev.StaffDispatched, ev.StaffDispatched]
    with pytest.raises(NotAllowed):
        notice.answer(org("dept-housing"), "reported", "", LATER)
    assert not notice.silent


@pytest.mark.rule("JNT-4")
def test_staff_sent_on_a_hazard_notice_say_who_how_many_and_when(org, district) -> None:
    notice = call(org, "hazard_notice", "town-hexi", "dept-housing",
                  matter=district.catalogue.matter("M-HSG-004"))
    for leader in (None, " "):
        with pytest.raises(RuleViolation) as err:
            notice.dispatch(org("dept-housing"), 3, LATER, leader=leader)
        assert (err.value.rule, err.value.field) == ("JNT-4", "leader")
    with pytest.raises(RuleViolation) as err:
        notice.dispatch(org("dept-housing"), 3, LATER, LATER + timedelta(minutes=1), "赵刚")
    assert (err.value.rule, err.value.field) == ("JNT-4", "dispatched_at")
    notice.dispatch(org("dept-housing"), 3, LATER, T0 + timedelta(minutes=25), "赵刚")
    [sent] = notice.dispatches
    assert (sent.leader, sent.staff_count, sent.dispatched_at, sent.recorded_at) == (
        "赵刚", 3, T0 + timedelta(minutes=25), LATER)
    assert notice.responses["dept-housing"].at == T0 + timedelta(minutes=25)


@pytest.mark.rule("JNT-4")
def test_a_report_without_action_is_no_answer_to_a_hazard_notice(org, district) -> None:
    notice = call(org, "hazard_notice", "town-hexi", "dept-housing",
                  matter=district.catalogue.matter("M-HSG-004"))
    with pytest.raises(RuleViolation) as err:
        notice.answer(org("dept-housing"), "reported", "", LATER)
    assert (err.value.rule, err.value.field) == ("JNT-4", "answer")
    assert [o.id for o in notice.silent] == ["dept-housing"] and len(notice.events) == 1


@pytest.mark.rule("JNT-4")
@pytest.mark.rule("AST-6")
def test_a_public_order_hazard_is_notified_to_the_public_security_organ(org, district) -> None:
    notice = call(org, "hazard_notice", "town-hexi", "police-bureau")
    assert notice.due_at == T0 + timedelta(hours=2)
    assert [o.id for o in notice.summons.called] == ["police-bureau"]
    with_matter = call(org, "hazard_notice", "dept-market", "police-bureau",
                       matter=district.catalogue.matter("M-HSG-004"))
    assert with_matter.summons.matter is not None
    for other in ("court", "procuratorate"):
        with pytest.raises(RuleViolation) as err:
            call(org, "hazard_notice", "town-hexi", other)
        assert (err.value.rule, err.value.field) == ("JNT-4", "matter_code")
    notice.dispatch(org("police-bureau"), 4, LATER, leader="孙警官")
    assert notice.events[-1].leader == "孙警官"


@pytest.mark.rule("JNT-4")
def test_a_body_that_refused_sends_no_staff_and_outsiders_send_none(org, district) -> None:
    notice = call(org, "hazard_notice", "town-hexi", "dept-housing",
                  matter=district.catalogue.matter("M-HSG-004"))
    with pytest.raises(NotAllowed):
        notice.dispatch(org("dept-urban"), 3, LATER, leader="赵刚")
    notice.answer(org("dept-housing"), "refused", "非本局管辖", LATER)
    with pytest.raises(NotAllowed) as err:
        notice.dispatch(org("dept-housing"), 3, LATER, leader="赵刚")
    assert err.value.field == "status" and not notice.dispatches


@pytest.mark.rule("JNT-3")
def test_a_major_clue_calls_the_departments_concerned_without_a_clock(org) -> None:
    clue = call(org, "major_clue", "dept-market", "dept-health", "town-hexi", "police-bureau")
    assert clue.due_at is None and len(clue.summons.called) == 3
    with pytest.raises(RuleViolation) as err:
        call(org, "major_clue", "dept-market", "dept-market")
    assert (err.value.rule, err.value.field) == ("JNT-3", "called")
    with pytest.raises(RuleViolation) as err:
        call(org, "major_clue", "police-bureau", "dept-market")
    assert err.value.field == "acting_org"


@pytest.mark.rule("JNT-4")
@pytest.mark.rule("JUR-1")
def test_a_hazard_notice_follows_the_hand_over_of_the_township_notified(
        org, district: ReferenceData) -> None:
    dust = district.catalogue.matter("M-HSG-001")  # handed to Hexi and the streets only
    notice = call(org, "hazard_notice", "dept-housing", "town-hexi", matter=dust)
    assert [o.id for o in notice.summons.called] == ["town-hexi"]
    with pytest.raises(RuleViolation, match="does not own") as err:
        call(org, "hazard_notice", "dept-housing", "town-beishan", matter=dust)
    assert (err.value.rule, err.value.field) == ("JNT-4", "called")
