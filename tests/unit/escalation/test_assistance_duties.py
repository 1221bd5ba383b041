"""What the assistance service's events mean for duties: one test per mapping, each of
which fails if its mapping is removed; and the default limits these duties use."""

from datetime import datetime, timedelta, timezone

import pytest

from escalation.service.duties import Close, Extend, Open, Report, duties_for
from liandong_contracts import assistance_v1 as ast
from liandong_contracts import joint_v1 as jnt
from liandong_contracts.orgs import OrgKind
from liandong_contracts.samples import sample_of
from liandong_runtime.limits import DEFAULT_LIMITS, Limits
from liandong_runtime.workdays import load_calendar

K = ast.AssistanceKind
CST = timezone(timedelta(hours=8))


def refusal(kind: K, reason: str = "本局无该类鉴定资质") -> ast.AssistanceAnswered:
    return sample_of(ast.AssistanceAnswered).model_copy(
        update={"kind": kind, "answer": "refused", "reason": reason, "documents": ()})


@pytest.mark.rule("AST-1")
@pytest.mark.parametrize("kind", [K.IDENTIFICATION, K.TECHNICAL_SUPPORT])
def test_a_refused_identification_ends_the_answer_duty_and_is_reported(kind: K) -> None:
    e = refusal(kind)
    rid = e.request_id
    assert duties_for(e) == [
        Close(f"assistance:{rid}", e.occurred_at),
        Report(f"refusal:assistance:{rid}", "AST-1", f"拒绝执法协助请求 {rid}（{kind}）",
               e.actor.model_dump(mode="json"), "本局无该类鉴定资质", e.occurred_at)]


@pytest.mark.rule("AST-4")
def test_a_refused_archive_access_is_reported_with_its_reason() -> None:
    e = refusal(K.ARCHIVE_ACCESS, "档案涉密，需经局长批准")
    close, report = duties_for(e)
    assert close == Close(f"assistance:{e.request_id}", e.occurred_at)
    assert isinstance(report, Report)
    assert (report.rule, report.reason, report.responsible["id"]) == (
        "AST-4", "档案涉密，需经局长批准", e.actor.id)


@pytest.mark.rule("AST-2")
@pytest.mark.parametrize("kind", [K.IDENTIFICATION, K.ON_SITE_DISPATCH, K.POLICE_ASSISTANCE])
def test_a_refusal_never_ends_the_on_site_duty(kind: K) -> None:
    e = refusal(kind)
    closed = [a.deadline_id for a in duties_for(e) if isinstance(a, Close)]
    assert closed == [f"assistance:{e.request_id}"]


@pytest.mark.rule("AST-2")
def test_only_staff_on_site_end_the_on_site_duty_at_the_time_they_were_sent() -> None:
    e = sample_of(ast.OnSiteDispatched)
    assert duties_for(e) == [Close(f"dispatch:{e.request_id}", e.dispatched_at)]


@pytest.mark.rule("AST-1")
def test_a_written_answer_ends_the_answer_duty_without_a_report() -> None:
    e = sample_of(ast.AssistanceAnswered)
    assert duties_for(e) == [Close(f"assistance:{e.request_id}", e.occurred_at)]
    training = refusal(K.TRAINING, "本季度培训已排满")
    assert duties_for(training) == [Close(f"assistance:{e.request_id}", e.occurred_at)]


def hazard_answer(answer: str, reason: str = "") -> jnt.JointEnforcementAnswered:
    return sample_of(jnt.JointEnforcementAnswered).model_copy(
        update={"call_kind": "hazard_notice", "answer": answer, "reason": reason})


@pytest.mark.rule("JNT-4")
def test_reported_on_a_hazard_notice_is_not_action_and_ends_nothing() -> None:
    assert duties_for(hazard_answer("reported")) == []
    unknown = sample_of(jnt.JointEnforcementAnswered).model_copy(update={"call_kind": None})
    assert duties_for(unknown) == []


@pytest.mark.rule("JNT-4")
def test_a_reason_without_action_ends_the_hazard_duty_and_is_reported() -> None:
    e = hazard_answer("refused", "已由属地派出所处置")
    deadline = f"call:{e.call_id}:{e.actor.id}"
    close, report = duties_for(e)
    assert close == Close(deadline, e.occurred_at)
    assert isinstance(report, Report) and report.report_id == f"refusal:{deadline}"
    assert (report.rule, report.reason, report.responsible["id"]) == (
        "JNT-4", "已由属地派出所处置", e.actor.id)


@pytest.mark.rule("JNT-4")
@pytest.mark.rule("AST-6")
def test_a_hazard_notice_to_the_police_opens_the_two_hour_duty_for_the_police() -> None:
    police = sample_of(ast.AssistanceRequested).receiver.model_copy(
        update={"id": "police-bureau", "kind": OrgKind.PUBLIC_SECURITY,
                "name": "示例市公安局示例分局"})
    e = sample_of(jnt.JointEnforcementCalled).model_copy(
        update={"kind": "hazard_notice", "called": (police,)})
    [opened] = duties_for(e)
    assert isinstance(opened, Open)
    assert (opened.deadline_id, opened.rule, opened.responsible["kind"]) == (
        f"call:{e.call_id}:police-bureau", "JNT-4", "public_security")
    sent = sample_of(ast.OnSiteDispatched).model_copy(
        update={"request_id": None, "call_id": e.call_id, "actor": police})
    assert duties_for(sent) == [Close(f"call:{e.call_id}:police-bureau", sent.dispatched_at)]


@pytest.mark.rule("JNT-6")
def test_a_department_reporting_for_duty_after_a_whistle_ends_its_duty() -> None:
    e = sample_of(jnt.JointEnforcementAnswered)
    assert e.call_kind == "whistle"
    assert duties_for(e) == [Close(f"call:{e.call_id}:{e.actor.id}", e.occurred_at)]


@pytest.mark.rule("JNT-1")
def test_a_scheduled_meeting_owes_its_minutes_from_its_scheduled_time() -> None:
    e = sample_of(jnt.ConsultationMeetingScheduled)
    [opened] = duties_for(e)
    assert isinstance(opened, Open)
    assert (opened.deadline_id, opened.rule, opened.started_at, opened.responsible["id"]) == (
        f"minutes:{e.meeting_id}", "JNT-1", e.scheduled_at, e.actor.id)


@pytest.mark.rule("JNT-1")
def test_the_minutes_of_a_scheduled_meeting_end_its_duty_and_ad_hoc_minutes_owe_nothing() -> None:
    e = sample_of(jnt.ConsultationMeetingHeld)
    assert e.schedule == "scheduled"
    assert duties_for(e) == [Close(f"minutes:{e.meeting_id}", e.occurred_at)]
    assert duties_for(e.model_copy(update={"schedule": "ad_hoc"})) == []


def supervision(**fields) -> jnt.SupervisionRecorded:
    e = sample_of(jnt.SupervisionRecorded)
    market, ecology = sample_of(jnt.ConsultationMeetingScheduled).participants[1:]
    return e.model_copy(update={"kind": "supervision", "recommendation": None,
                                "supervision_id": "DB-1", "addressed": (market, ecology),
                                **fields})


@pytest.mark.rule("JNT-5")
def test_a_supervision_owes_an_answer_from_each_department_addressed() -> None:
    e = supervision()
    opened = duties_for(e)
    assert [(a.deadline_id, a.rule, a.responsible["id"]) for a in opened] == [
        ("supervision:DB-1:dept-market", "JNT-5", "dept-market"),
        ("supervision:DB-1:dept-ecology", "JNT-5", "dept-ecology")]
    assert all(isinstance(a, Open) and a.started_at == e.occurred_at for a in opened)
    assert duties_for(sample_of(jnt.SupervisionRecorded)) == []  # a recommendation


@pytest.mark.rule("JNT-5")
def test_a_later_date_the_township_names_moves_each_answer_duty() -> None:
    later = datetime(2026, 4, 30, 18, tzinfo=CST)
    actions = duties_for(supervision(due_at=later))
    assert [a for a in actions if isinstance(a, Extend)] == [
        Extend("supervision:DB-1:dept-market", later),
        Extend("supervision:DB-1:dept-ecology", later)]


@pytest.mark.rule("JNT-5")
def test_each_departments_answer_ends_its_own_duty() -> None:
    e = sample_of(jnt.SupervisionAnswered)
    assert duties_for(e) == [
        Close(f"supervision:{e.supervision_id}:{e.actor.id}", e.occurred_at)]


@pytest.mark.rule("AST-1")
@pytest.mark.rule("AST-2")
@pytest.mark.rule("JNT-1")
@pytest.mark.rule("JNT-4")
@pytest.mark.rule("JNT-5")
@pytest.mark.rule("JNT-6")
def test_the_default_limits_of_assistance_and_joint_duties_are_pinned() -> None:
    assert {rule: DEFAULT_LIMITS[rule] for rule in
            ("AST-1", "AST-2", "JNT-1", "JNT-4", "JNT-5", "JNT-6")} == {
        "AST-1": "5wd", "AST-2": "2h", "JNT-1": "same_day", "JNT-4": "2h", "JNT-5": "5wd",
        "JNT-6": "2h"}
    limits, calendar = Limits(), load_calendar()
    meeting = datetime(2026, 3, 27, 14, tzinfo=CST)  # a Friday afternoon
    assert limits.due("JNT-1", meeting, calendar) == datetime(2026, 3, 28, tzinfo=CST)
    notice = datetime(2026, 3, 13, 8, 30, tzinfo=CST)
    assert limits.due("JNT-4", notice, calendar) == notice + timedelta(hours=2)
