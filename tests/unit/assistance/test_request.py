"""The assistance request aggregate, rule by rule (AST-1 … AST-6)."""

from datetime import datetime, timedelta

import pytest

from assistance.domain import events as ev
from assistance.domain.errors import NotAllowed, RuleViolation
from assistance.domain.request import AssistanceRequest
from assistance.domain.request_rules import is_police
from assistance.domain.values import Ask
from liandong_contracts.assistance_v1 import AssistanceKind as K
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation
from tests.unit.assistance.conftest import LETTER, OPINION, SHANGHAI, T0, due


def ask(kind: K = K.IDENTIFICATION, **fields) -> Ask:
    return Ask(**{"kind": kind, "summary": "请协助认定", "documents": (LETTER,), **fields})


def made(org, kind: K = K.IDENTIFICATION, receiver: str = "dept-market",
         **fields) -> AssistanceRequest:
    return AssistanceRequest.make("ast-1", org("town-hexi"), org(receiver), ask(kind, **fields),
                                  T0, due)


@pytest.mark.rule("AST-1")
def test_a_written_request_is_due_for_an_answer_in_five_working_days(org) -> None:
    request = made(org)
    assert request.answer_due_at == datetime(2026, 3, 18, tzinfo=SHANGHAI)  # 24:00 Tue 17th
    assert request.on_site_due_at is None and request.status == "requested"
    [asked] = request.events
    assert isinstance(asked, ev.AssistanceRequested) and asked.at == T0
    assert asked.receiver.id == "dept-market" and asked.ask.documents == (LETTER,)


@pytest.mark.rule("AST-1")
def test_a_request_without_the_written_request_is_refused(org) -> None:
    with pytest.raises(RuleViolation) as err:
        made(org, documents=())
    assert (err.value.rule, err.value.field) == ("AST-1", "documents")


@pytest.mark.rule("AST-1")
@pytest.mark.parametrize("requester", ["dept-urban", "police-bureau", "unit-market-hexi"])
def test_only_a_township_or_street_office_asks_for_assistance(org, requester: str) -> None:
    with pytest.raises(RuleViolation, match="only a township or street office") as err:
        AssistanceRequest.make("ast-1", org(requester), org("dept-market"), ask(), T0, due)
    assert err.value.field == "acting_org"
    AssistanceRequest.make("ast-1", org("street-dongguan"), org("dept-market"), ask(), T0, due)


@pytest.mark.rule("AST-1")
@pytest.mark.parametrize("receiver", ["unit-market-hexi", "police-bureau", "street-xicheng",
                                      "district-gov"])
def test_technical_help_is_asked_of_a_department_not_a_unit_or_another_body(
        org, receiver: str) -> None:
    with pytest.raises(RuleViolation) as err:
        made(org, K.TECHNICAL_SUPPORT, receiver)
    assert (err.value.rule, err.value.field) == ("AST-1", "receiver")


@pytest.mark.rule("AST-1")
def test_an_answer_to_an_identification_comes_in_writing_with_evidence(org) -> None:
    request = made(org)
    with pytest.raises(RuleViolation, match="in writing") as err:
        request.respond(org("dept-market"), "answered", "", (), T0 + timedelta(days=1))
    assert (err.value.rule, err.value.field, request.status) == ("AST-1", "documents",
                                                                 "requested")
    request.respond(org("dept-market"), "answered", "", (OPINION,), T0 + timedelta(days=1))
    answered = request.events[-1]
    assert isinstance(answered, ev.AssistanceAnswered) and answered.documents == (OPINION,)
    assert request.status == "answered"


@pytest.mark.rule("AST-1")
def test_only_the_body_asked_answers_and_only_once(org) -> None:
    request = made(org)
    with pytest.raises(NotAllowed) as err:
        request.respond(org("dept-urban"), "refused", "不归我局", (), T0)
    assert err.value.field == "acting_org"
    request.respond(org("dept-market"), "refused", "无鉴定能力", (), T0)
    with pytest.raises(NotAllowed) as again:
        request.respond(org("dept-market"), "answered", "", (OPINION,), T0)
    assert again.value.field == "status" and request.status == "refused"
    assert len(request.events) == 2


@pytest.mark.rule("AST-2")
@pytest.mark.parametrize("flag", ["urgent", "evidence_at_risk"])
def test_an_urgent_request_wants_staff_on_site_within_two_hours(org, flag: str) -> None:
    request = made(org, K.ON_SITE_DISPATCH, **{flag: True})
    assert request.on_site_due_at == T0 + timedelta(hours=2)
    request.dispatch(org("dept-market"), 3, T0 + timedelta(minutes=50), T0 + timedelta(hours=1))
    sent = request.events[-1]
    assert isinstance(sent, ev.StaffDispatched) and sent.staff_count == 3
    assert sent.dispatched_at == T0 + timedelta(minutes=50)


@pytest.mark.rule("AST-2")
def test_archives_and_training_want_no_staff_on_site_even_when_urgent(org) -> None:
    request = made(org, K.ARCHIVE_ACCESS, urgent=True, evidence_at_risk=True)
    assert request.on_site_due_at is None
    with pytest.raises(RuleViolation) as err:
        request.dispatch(org("dept-market"), 1, T0, T0)
    assert (err.value.rule, err.value.field) == ("AST-2", "kind")


@pytest.mark.rule("AST-2")
def test_a_dispatch_is_by_the_receiver_after_the_request_and_a_refusal_does_not_end_it(
        org) -> None:
    request = made(org, K.ON_SITE_DISPATCH, urgent=True)
    with pytest.raises(NotAllowed):
        request.dispatch(org("dept-urban"), 2, T0, T0)
    with pytest.raises(RuleViolation, match="after they were asked for"):
        request.dispatch(org("dept-market"), 2, T0 - timedelta(hours=1), T0)
    request.respond(org("dept-market"), "refused", "非本局职责", (), T0)
    assert request.awaiting_staff  # AST-2: the on-site duty outlives the refusal
    request.dispatch(org("dept-market"), 2, T0 + timedelta(minutes=30), T0 + timedelta(hours=1),
                     leader="李强")
    assert [(d.staff_count, d.leader) for d in request.dispatches] == [(2, "李强")]
    assert not request.awaiting_staff


@pytest.mark.rule("AST-2")
@pytest.mark.rule("ESC-5")
def test_staff_are_sent_no_later_than_the_dispatch_is_recorded_and_at_a_real_time(org) -> None:
    request = made(org, K.ON_SITE_DISPATCH, urgent=True)
    recorded = T0 + timedelta(hours=1)
    for sent, rule in ((recorded + timedelta(minutes=1), "AST-2"),
                       (datetime(2300, 1, 1, tzinfo=SHANGHAI), "ESC-5")):
        with pytest.raises(RuleViolation) as err:
            request.dispatch(org("dept-market"), 2, sent, recorded)
        assert (err.value.rule, err.value.field) == (rule, "dispatched_at")
    request.dispatch(org("dept-market"), 2, recorded, recorded)
    [dispatch] = request.dispatches
    assert (dispatch.dispatched_at, dispatch.recorded_at) == (recorded, recorded)


@pytest.mark.rule("AST-1")
@pytest.mark.parametrize("kind", [K.IDENTIFICATION, K.TECHNICAL_SUPPORT])
def test_a_department_that_cannot_help_says_why_in_writing(org, kind: K) -> None:
    request = made(org, kind)
    for empty in ("", "  "):
        with pytest.raises(RuleViolation) as err:
            request.respond(org("dept-market"), "refused", empty, (), T0)
        assert (err.value.rule, err.value.field) == ("AST-1", "reason")
    assert request.status == "requested" and len(request.events) == 1
    request.respond(org("dept-market"), "refused", "本局无该类鉴定资质，请委托第三方机构", (), T0)
    refused = request.events[-1]
    assert isinstance(refused, ev.AssistanceAnswered) and refused.reason.startswith("本局")


@pytest.mark.rule("AST-3")
def test_the_receiver_extends_the_answer_time_before_the_limit(org) -> None:
    request = made(org)
    first, second = request.answer_due_at + timedelta(days=3), request.answer_due_at + \
        timedelta(days=7)
    request.extend(org("dept-market"), first, "需送省级机构检测", T0 + timedelta(days=2))
    request.extend(org("dept-market"), second, "检测排队", first - timedelta(hours=1))
    assert request.answer_due_at == second
    assert [x.new_due_at for x in request.extensions] == [first, second]
    extended = request.events[-1]
    assert isinstance(extended, ev.AssistanceExtended) and extended.new_due_at == second


@pytest.mark.rule("AST-3")
def test_an_extension_asked_after_the_limit_is_refused_and_changes_nothing(org) -> None:
    request = made(org)
    due_at = request.answer_due_at
    with pytest.raises(RuleViolation, match="before the limit") as err:
        request.extend(org("dept-market"), due_at + timedelta(days=5), "太忙", due_at)
    assert (err.value.rule, err.value.field) == ("AST-3", "new_due_at")
    assert request.answer_due_at == due_at and not request.extensions
    assert len(request.events) == 1


@pytest.mark.rule("AST-3")
def test_an_extension_moves_the_due_time_later_says_why_and_is_the_receivers(org) -> None:
    request = made(org)
    with pytest.raises(RuleViolation, match="later than"):
        request.extend(org("dept-market"), request.answer_due_at, "需要时间", T0)
    with pytest.raises(RuleViolation) as err:
        request.extend(org("dept-market"), request.answer_due_at + timedelta(days=1), " ", T0)
    assert err.value.field == "reason"
    with pytest.raises(NotAllowed):
        request.extend(org("town-hexi"), request.answer_due_at + timedelta(days=1), "x", T0)
    assert not request.extensions


@pytest.mark.rule("AST-4")
def test_archive_access_is_not_refused_without_a_reason(org) -> None:
    request = made(org, K.ARCHIVE_ACCESS)
    with pytest.raises(RuleViolation) as err:
        request.respond(org("dept-market"), "refused", "  ", (), T0)
    assert (err.value.rule, err.value.field, request.status) == ("AST-4", "reason", "requested")
    request.respond(org("dept-market"), "refused", "档案涉密，需经批准", (), T0)
    assert request.status == "refused"


@pytest.mark.rule("AST-4")
def test_archive_access_is_granted_without_a_written_opinion(org) -> None:
    request = made(org, K.ARCHIVE_ACCESS, case_id="case-9")
    request.respond(org("dept-market"), "granted", "", (), T0)
    assert request.status == "granted" and request.ask.case_id == "case-9"


@pytest.mark.rule("AST-5")
def test_a_township_asks_a_department_to_train_its_staff(org) -> None:
    request = made(org, K.TRAINING, "dept-urban", summary="请组织执法人员集中培训和考试")
    assert request.ask.kind is K.TRAINING and request.receiver.id == "dept-urban"
    with pytest.raises(RuleViolation) as err:
        made(org, K.TRAINING, "police-bureau")
    assert (err.value.rule, err.value.field) == ("AST-5", "receiver")
    request.respond(org("dept-urban"), "granted", "", (), T0)
    assert request.status == "granted"


@pytest.mark.rule("AST-6")
def test_the_public_security_organ_is_a_kind_in_the_directory_not_a_name(org) -> None:
    assert is_police(org("police-bureau"))
    named_like_police = Organisation("dept-x", OrgKind.DEPARTMENT, "示例区公安交通协管办公室")
    assert not is_police(named_like_police)
    renamed = Organisation("police-y", OrgKind.PUBLIC_SECURITY, "示例区治安警察大队")
    assert is_police(renamed)
    for other in ("procuratorate", "court", "dept-market"):
        assert not is_police(org(other))
    AssistanceRequest.make("ast-2", org("town-hexi"), renamed,
                           ask(K.POLICE_ASSISTANCE, urgent=True), T0, due)
    with pytest.raises(RuleViolation) as err:
        AssistanceRequest.make("ast-3", org("town-hexi"), named_like_police,
                               ask(K.POLICE_ASSISTANCE), T0, due)
    assert (err.value.rule, err.value.field) == ("AST-6", "receiver")


@pytest.mark.rule("AST-6")
def test_police_assistance_is_asked_of_the_police_only(org) -> None:
    request = made(org, K.POLICE_ASSISTANCE, "police-bureau", urgent=True,
                   summary="当事人暴力抗法，请求现场控制并固定证据")
    assert request.on_site_due_at == T0 + timedelta(hours=2)
    for other in ("dept-market", "court", "procuratorate"):
        with pytest.raises(RuleViolation) as err:
            made(org, K.POLICE_ASSISTANCE, other)
        assert (err.value.rule, err.value.field) == ("AST-6", "receiver")
    request.dispatch(org("police-bureau"), 4, T0 + timedelta(minutes=30), T0 + timedelta(hours=1))
    assert len(request.dispatches) == 1


@pytest.mark.rule("ESC-5")
@pytest.mark.rule("AST-3")
def test_an_extension_to_a_time_the_system_cannot_count_to_is_refused(org) -> None:
    request = made(org)
    for never in (datetime(9999, 12, 31, tzinfo=SHANGHAI), datetime(2300, 1, 1, tzinfo=SHANGHAI)):
        with pytest.raises(RuleViolation) as err:
            request.extend(org("dept-market"), never, "无限期", T0)
        assert (err.value.rule, err.value.field) == ("ESC-5", "new_due_at")
    assert not request.extensions
