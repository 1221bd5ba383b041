"""The service layer with fakes: resulting state and the contracts it would publish."""

from datetime import timedelta

import pytest

from assistance.domain.errors import (
    CallNotFound,
    MeetingNotFound,
    NotAllowed,
    RequestNotFound,
    RuleViolation,
    SupervisionNotFound,
)
from assistance.service import commands as c
from assistance.service.calls import JointService
from assistance.service.records import RecordService
from assistance.service.requests import AssistanceService
from liandong_contracts import assistance_v1 as ast
from liandong_contracts import joint_v1 as jnt
from liandong_contracts.assistance_v1 import AssistanceKind as K
from liandong_runtime.refdata import ReferenceData
from tests.unit.assistance.conftest import LETTER, OPINION, T0, Clock, FakeUnitOfWork, counter, due

TOWN, MARKET = c.Acting("town-hexi", "staff-007"), c.Acting("dept-market")


@pytest.fixture
def requests(uow: FakeUnitOfWork, district: ReferenceData, clock: Clock) -> AssistanceService:
    return AssistanceService(uow, district, due, clock, counter())


@pytest.fixture
def joint(uow: FakeUnitOfWork, district: ReferenceData, clock: Clock) -> JointService:
    return JointService(uow, district, due, clock, counter())


@pytest.fixture
def records(uow: FakeUnitOfWork, district: ReferenceData, clock: Clock) -> RecordService:
    return RecordService(uow, district, due, clock, counter(100))


def asking(kind: K = K.IDENTIFICATION, receiver: str = "dept-market", **fields) -> \
        c.RequestAssistance:
    return c.RequestAssistance(TOWN, kind, receiver, "请协助鉴定", (LETTER,), **fields)


@pytest.mark.rule("AST-1")
@pytest.mark.rule("AST-2")
async def test_a_request_publishes_one_contract_in_the_townships_name(
        requests: AssistanceService, uow: FakeUnitOfWork) -> None:
    made = await requests.request(asking(urgent=True, case_id="case-3"))
    [asked] = uow.published
    assert isinstance(asked, ast.AssistanceRequested) and made.id == "ast-1"
    assert (asked.request_id, asked.correlation_id, asked.actor.id) == ("ast-1", "ast-1",
                                                                       "town-hexi")
    assert asked.acting_person == "staff-007" and asked.occurred_at == T0
    assert asked.receiver.id == "dept-market" and asked.urgent and asked.case_id == "case-3"
    assert str(asked.documents[0].uri) == LETTER.uri
    assert made.answer_due_at == due("AST-1", T0)
    assert made.on_site_due_at == T0 + timedelta(hours=2)


@pytest.mark.rule("AST-3")
async def test_an_extension_after_the_limit_is_refused_and_nothing_is_published(
        requests: AssistanceService, uow: FakeUnitOfWork, clock: Clock) -> None:
    made = await requests.request(asking())
    clock.now = made.answer_due_at + timedelta(seconds=1)
    late = c.ExtendAnswerTime(MARKET, made.id, made.answer_due_at + timedelta(days=5), "忙")
    with pytest.raises(RuleViolation) as err:
        await requests.extend(late)
    assert err.value.rule == "AST-3" and len(uow.published) == 1
    stored = uow.state["requests"][made.id]
    assert stored.answer_due_at == made.answer_due_at and stored.version == 1


@pytest.mark.rule("AST-3")
async def test_an_extension_in_time_moves_the_due_time_on_the_wire(
        requests: AssistanceService, uow: FakeUnitOfWork, clock: Clock) -> None:
    made = await requests.request(asking())
    clock.advance(days=3)
    new_due = made.answer_due_at + timedelta(days=4)
    await requests.extend(c.ExtendAnswerTime(MARKET, made.id, new_due, "需外送检测"))
    [extended] = uow.of(ast.AssistanceExtended)
    assert extended.new_due_at == new_due and extended.actor.id == "dept-market"
    assert uow.state["requests"][made.id].answer_due_at == new_due


@pytest.mark.rule("AST-4")
async def test_an_archive_refusal_without_reason_is_refused_and_changes_nothing(
        requests: AssistanceService, uow: FakeUnitOfWork) -> None:
    made = await requests.request(asking(K.ARCHIVE_ACCESS))
    with pytest.raises(RuleViolation) as err:
        await requests.answer(c.AnswerRequest(MARKET, made.id, "refused", ""))
    assert (err.value.rule, err.value.field) == ("AST-4", "reason")
    assert uow.state["requests"][made.id].status == "requested" and len(uow.published) == 1
    await requests.answer(c.AnswerRequest(MARKET, made.id, "granted"))
    [answered] = uow.of(ast.AssistanceAnswered)
    assert answered.kind is K.ARCHIVE_ACCESS and answered.answer == "granted"


@pytest.mark.rule("AST-1")
async def test_the_written_answer_and_its_evidence_travel_with_the_answer(
        requests: AssistanceService, uow: FakeUnitOfWork) -> None:
    made = await requests.request(asking())
    await requests.answer(c.AnswerRequest(MARKET, made.id, "answered", "", (OPINION,)))
    [answered] = uow.of(ast.AssistanceAnswered)
    assert [d.title for d in answered.documents] == [OPINION.title]
    with pytest.raises(NotAllowed):
        await requests.answer(c.AnswerRequest(MARKET, made.id, "refused", "again"))
    with pytest.raises(RequestNotFound):
        await requests.answer(c.AnswerRequest(MARKET, "ast-404", "granted"))


@pytest.mark.rule("AST-2")
async def test_a_dispatch_for_a_request_names_the_request_and_not_a_call(
        requests: AssistanceService, uow: FakeUnitOfWork, clock: Clock) -> None:
    made = await requests.request(asking(K.ON_SITE_DISPATCH, evidence_at_risk=True))
    clock.advance(minutes=45)
    await requests.dispatch(c.DispatchForRequest(MARKET, made.id, 2))
    [sent] = uow.of(ast.OnSiteDispatched)
    assert (sent.request_id, sent.call_id, sent.staff_count) == (made.id, None, 2)
    assert sent.dispatched_at == clock.now


async def test_an_unknown_acting_organisation_is_refused_naming_jur_1(
        requests: AssistanceService, uow: FakeUnitOfWork) -> None:
    with pytest.raises(RuleViolation) as err:
        await requests.request(c.RequestAssistance(c.Acting("nobody"), K.TRAINING,
                                                   "dept-urban", "x", (LETTER,)))
    assert (err.value.rule, err.value.field) == ("JUR-1", "acting_org") and not uow.published


@pytest.mark.rule("JNT-6")
async def test_a_whistle_publishes_who_was_called_and_each_answer(
        joint: JointService, uow: FakeUnitOfWork, clock: Clock) -> None:
    made = await joint.call(c.CallJointEnforcement(
        TOWN, "whistle", ("dept-market", "dept-urban"), "夜市占道、无照经营"))
    clock.advance(minutes=20)
    await joint.answer(c.AnswerCall(MARKET, made.id, "reported"))
    with pytest.raises(NotAllowed):
        await joint.answer(c.AnswerCall(MARKET, made.id, "reported"))
    with pytest.raises(NotAllowed):
        await joint.answer(c.AnswerCall(c.Acting("dept-water"), made.id, "reported"))
    called, answered = uow.published
    assert isinstance(called, jnt.JointEnforcementCalled) and called.call_id == made.id
    assert [o.id for o in called.called] == ["dept-market", "dept-urban"]
    assert isinstance(answered, jnt.JointEnforcementAnswered)
    assert (answered.actor.id, answered.occurred_at) == ("dept-market", T0 + timedelta(
        minutes=20))
    assert [o.id for o in uow.state["calls"][made.id].silent] == ["dept-urban"]


@pytest.mark.rule("JNT-4")
async def test_a_dispatch_on_a_hazard_notice_publishes_only_the_dispatch(
        joint: JointService, uow: FakeUnitOfWork) -> None:
    made = await joint.call(c.CallJointEnforcement(
        TOWN, "hazard_notice", ("dept-housing",), "无安全生产许可证施工，脚手架坍塌风险",
        matter_code="M-HSG-004"))
    assert made.due_at == T0 + timedelta(hours=2)
    await joint.dispatch(c.DispatchForCall(c.Acting("dept-housing"), made.id, 6, leader="赵刚"))
    assert [type(e) for e in uow.published] == [jnt.JointEnforcementCalled,
                                                 ast.OnSiteDispatched]
    sent = uow.published[-1]
    assert (sent.call_id, sent.request_id, sent.correlation_id) == (made.id, None, made.id)
    assert (sent.leader, sent.staff_count, sent.dispatched_at) == ("赵刚", 6, T0)
    assert uow.state["calls"][made.id].responses["dept-housing"].via == "dispatch"


async def test_an_unknown_matter_on_a_call_is_refused_naming_the_field(
        joint: JointService, uow: FakeUnitOfWork) -> None:
    with pytest.raises(RuleViolation) as err:
        await joint.call(c.CallJointEnforcement(TOWN, "hazard_notice", ("dept-housing",), "x",
                                                matter_code="M-NOPE"))
    assert (err.value.rule, err.value.field) == ("JUR-1", "matter_code") and not uow.published


@pytest.mark.rule("JNT-3")
async def test_a_meeting_for_a_call_needs_a_call_the_recorder_is_party_to(
        joint: JointService, records: RecordService, uow: FakeUnitOfWork, clock) -> None:
    clue = await joint.call(c.CallJointEnforcement(TOWN, "major_clue", ("dept-market",), "线索"))
    clock.advance(hours=1)
    minutes = c.RecordMeeting(TOWN, "ad_hoc", clock.now, "专题会商",
                              ("town-hexi", "dept-market"), LETTER, clue.id)
    meeting_id = await records.hold_meeting(minutes)
    held = uow.of(jnt.ConsultationMeetingHeld)[0]
    assert (held.meeting_id, held.call_id, held.correlation_id) == (meeting_id, clue.id,
                                                                    meeting_id)
    outsider = c.RecordMeeting(c.Acting("dept-water"), "ad_hoc", clock.now, "x",
                               ("dept-water", "dept-market"), LETTER, clue.id)
    with pytest.raises(CallNotFound):
        await records.hold_meeting(outsider)
    assert len(uow.of(jnt.ConsultationMeetingHeld)) == 1


@pytest.mark.rule("JNT-2")
async def test_naming_the_same_liaison_twice_publishes_once(
        records: RecordService, uow: FakeUnitOfWork) -> None:
    name = c.NameLiaison(c.Acting("dept-water"), "钱多多", "执法大队副队长")
    await records.name_liaison(name)
    await records.name_liaison(name)
    [named] = uow.published
    assert isinstance(named, jnt.LiaisonPersonNamed) and named.correlation_id == "dept-water"
    assert "phone" not in named.model_dump()


@pytest.mark.rule("JNT-5")
async def test_a_schedule_is_stored_without_an_event_and_a_supervision_is_published(
        records: RecordService, uow: FakeUnitOfWork) -> None:
    plan = await records.plan_meetings(c.PlanMeetings(TOWN, "季度联席会议",
                                                      ("town-hexi", "dept-urban"), "quarterly",
                                                      T0 + timedelta(days=1)))
    assert plan.id in uow.state["schedules"] and not uow.published
    made = await records.supervise(c.RecordSupervision(
        TOWN, "recommendation", "unit-market-hexi", "建议给予表彰", "reward", "M-MKT-001"))
    [recorded] = uow.published
    assert isinstance(recorded, jnt.SupervisionRecorded) and recorded.correlation_id == made.id
    assert recorded.supervision_id == made.id and recorded.addressed == ()
    assert (recorded.about.kind, recorded.matter_code) == ("dispatched_unit", "M-MKT-001")


@pytest.mark.rule("JNT-1")
async def test_a_scheduled_meeting_is_published_and_its_minutes_carry_its_id_once(
        records: RecordService, uow: FakeUnitOfWork, clock) -> None:
    planned = await records.schedule_meeting(c.ScheduleMeeting(
        TOWN, "月度联席会议", ("town-hexi", "dept-urban"), T0 + timedelta(hours=2)))
    [announced] = uow.published
    assert isinstance(announced, jnt.ConsultationMeetingScheduled)
    assert (announced.meeting_id, announced.scheduled_at) == (planned.id,
                                                              T0 + timedelta(hours=2))
    clock.advance(hours=4)
    minutes = c.RecordMeeting(c.Acting("dept-urban"), "scheduled", T0 + timedelta(hours=2),
                              "月度联席会议", ("town-hexi", "dept-urban"), LETTER,
                              meeting_id=planned.id)
    assert await records.hold_meeting(minutes) == planned.id
    held = uow.of(jnt.ConsultationMeetingHeld)[0]
    assert (held.meeting_id, held.schedule) == (planned.id, "scheduled")
    with pytest.raises(NotAllowed):
        await records.hold_meeting(minutes)
    outsider = c.RecordMeeting(c.Acting("dept-water"), "scheduled", clock.now, "x",
                               ("dept-water", "town-hexi"), LETTER, meeting_id=planned.id)
    with pytest.raises(MeetingNotFound):
        await records.hold_meeting(outsider)
    assert len(uow.of(jnt.ConsultationMeetingHeld)) == 1


@pytest.mark.rule("JNT-5")
async def test_a_supervision_addresses_departments_and_each_answer_is_published(
        records: RecordService, uow: FakeUnitOfWork, clock) -> None:
    made = await records.supervise(c.RecordSupervision(
        TOWN, "supervision", "unit-market-hexi", "集贸市场周边占道经营反弹，请限期整治"))
    assert [o.id for o in made.addressed] == ["dept-market"]  # the unit's department
    assert made.due_at == due("JNT-5", T0)
    asked = await records.supervise(c.RecordSupervision(
        TOWN, "supervision", "dept-urban", "河道违建整治", addressed_ids=("dept-urban",
                                                                        "dept-water")))
    [first, second] = uow.of(jnt.SupervisionRecorded)
    assert [o.id for o in second.addressed] == ["dept-urban", "dept-water"]
    assert (first.due_at, second.supervision_id) == (due("JNT-5", T0), asked.id)
    clock.advance(days=1)
    await records.answer_supervision(c.AnswerSupervision(c.Acting("dept-water"), asked.id,
                                                         "已清理河道两侧违建三处"))
    [answer] = uow.of(jnt.SupervisionAnswered)
    assert (answer.supervision_id, answer.actor.id, answer.occurred_at) == (
        asked.id, "dept-water", T0 + timedelta(days=1))
    with pytest.raises(SupervisionNotFound):
        await records.answer_supervision(c.AnswerSupervision(c.Acting("dept-health"), asked.id,
                                                             "x"))
    assert [o.id for o in uow.state["supervisions"][asked.id].silent] == ["dept-urban"]


@pytest.mark.rule("JNT-4")
async def test_a_refused_hazard_notice_tells_escalation_what_kind_of_call_it_was(
        joint: JointService, uow: FakeUnitOfWork) -> None:
    made = await joint.call(c.CallJointEnforcement(
        TOWN, "hazard_notice", ("police-bureau",), "夜市聚集斗殴隐患，需治安处置"))
    with pytest.raises(RuleViolation) as err:
        await joint.answer(c.AnswerCall(c.Acting("police-bureau"), made.id, "reported"))
    assert (err.value.rule, err.value.field) == ("JNT-4", "answer")
    await joint.answer(c.AnswerCall(c.Acting("police-bureau"), made.id, "refused",
                                    "已由属地派出所处置完毕"))
    [answered] = uow.of(jnt.JointEnforcementAnswered)
    assert (answered.call_kind, answered.answer) == ("hazard_notice", "refused")


@pytest.mark.rule("AST-1")
async def test_a_refusal_without_a_reason_is_refused_and_nothing_is_published(
        requests: AssistanceService, uow: FakeUnitOfWork) -> None:
    made = await requests.request(asking(urgent=True))
    with pytest.raises(RuleViolation) as err:
        await requests.answer(c.AnswerRequest(MARKET, made.id, "refused"))
    assert (err.value.rule, err.value.field) == ("AST-1", "reason")
    assert len(uow.published) == 1 and uow.state["requests"][made.id].status == "requested"
