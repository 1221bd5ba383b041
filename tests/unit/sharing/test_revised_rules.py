"""The revised sharing rules through the service layer with fakes: SHR-2 publishers and
requests, SHR-3 penalty decisions fed from closed cases, SHR-4's bounded delay, ESC-5."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest

from liandong_contracts import sharing_v1 as wire
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.limits import Limits
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.storage import AlreadyProcessed
from liandong_runtime.workdays import WorkingCalendar
from sharing.domain.errors import NotAllowed, RuleViolation
from sharing.service import commands as c
from sharing.service.handlers import SharingService, case_info_id
from tests.unit.sharing.conftest import at
from tests.unit.sharing.fakes import FakeUnitOfWork

NOW = at(2026, 3, 10, 10, 0)  # a Tuesday; information formed today is due by 24:00
TOWN, MARKET = c.Acting("town-hexi", "staff-3"), c.Acting("dept-market", "staff-9")
HEXI = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")


def service_with(uow: FakeUnitOfWork, district: ReferenceData,
                 limit: Callable[[str, datetime], datetime]) -> SharingService:
    ids = iter(f"inf-{n:016x}" for n in range(1, 100))
    return SharingService(uow, district, limit, clock=lambda: NOW, new_id=lambda: next(ids))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(uow: FakeUnitOfWork, district: ReferenceData, limit) -> SharingService:
    return service_with(uow, district, limit)


def delay(new_due_at: datetime, reason: str = "检查记录需汇总整理") -> c.DeclareDelay:
    return c.DeclareDelay(MARKET, "department_dynamic_info", "餐饮检查记录",
                          NOW - timedelta(hours=1), reason, new_due_at)


@pytest.mark.rule("SHR-4")
@pytest.mark.parametrize("new_due_at", [
    at(2030, 1, 1), at(2026, 3, 18, 0, 0, 1), datetime(9999, 12, 31, tzinfo=NOW.tzinfo)])
async def test_a_delay_reaches_at_most_five_working_days_beyond_the_due_time(
        service: SharingService, uow: FakeUnitOfWork, new_due_at: datetime) -> None:
    """Reproduction: a delay to 2030 was accepted. Due 24:00 Tuesday 10 March; five
    working days beyond: 24:00 Tuesday 17 March."""
    with pytest.raises(RuleViolation) as refused:
        await service.declare_delay(delay(new_due_at))
    assert (refused.value.rule, refused.value.field) == ("SHR-4", "new_due_at")
    assert not uow.store.info and not uow.store.published


@pytest.mark.rule("SHR-4")
async def test_a_delay_to_the_bound_is_accepted_and_the_bound_is_configurable(
        service: SharingService, uow: FakeUnitOfWork, district: ReferenceData,
        calendar: WorkingCalendar) -> None:
    done = await service.declare_delay(delay(at(2026, 3, 18)))
    assert (done.status, done.new_due_at) == ("delayed", at(2026, 3, 18))
    with pytest.raises(RuleViolation) as refused:
        await service.declare_delay(delay(at(2026, 3, 18), reason=" "))
    assert (refused.value.rule, refused.value.field) == ("SHR-4", "reason")
    tighter = Limits({"SHR-4-MAX": "1wd"})
    strict = service_with(uow, district, lambda rule, start: tighter.due(rule, start, calendar))
    with pytest.raises(RuleViolation):
        await strict.declare_delay(delay(at(2026, 3, 12, 0, 0, 1)))
    assert (await strict.declare_delay(delay(at(2026, 3, 12)))).status == "delayed"


@pytest.mark.rule("SHR-2")
@pytest.mark.parametrize(("acting", "category"), [
    (TOWN, "department_dynamic_info"), (MARKET, "township_penalty_decisions"),
    (MARKET, "discretion_standards"), (c.Acting("district-gov"), "department_enforcement")])
async def test_a_body_outside_a_categorys_publishers_is_refused(
        service: SharingService, uow: FakeUnitOfWork, acting: c.Acting, category: str) -> None:
    """Reproduction: any body published any category."""
    with pytest.raises(RuleViolation) as refused:
        await service.publish(c.PublishInfo(acting, category, "信息", NOW, "all", "内容"))
    assert (refused.value.rule, refused.value.field) == ("SHR-2", "category")
    assert not uow.store.published


@pytest.mark.rule("SHR-2")
async def test_the_district_government_publishes_law_changes(
        service: SharingService, uow: FakeUnitOfWork) -> None:
    done = await service.publish(c.PublishInfo(
        c.Acting("district-gov"), "law_changes", "《城市市容和环境卫生管理条例》修订", NOW, "all",
        "第三十条罚款幅度调整"))
    assert done.status == "published" and uow.store.published[-1].actor.id == "district-gov"


@pytest.mark.rule("SHR-2")
async def test_a_department_asks_a_township_and_the_answer_ends_the_request(
        service: SharingService, uow: FakeUnitOfWork) -> None:
    asked = await service.request(c.RequestInfo(
        MARKET, "town-hexi", "township_penalty_decisions", "一季度食品类处罚决定", "M-MKT-003"))
    assert (asked.status, asked.due_at) == ("requested", at(2026, 3, 14))  # SHR-2: 3wd
    [requested] = uow.store.published
    assert isinstance(requested, wire.InfoRequested)
    assert (requested.actor.id, requested.township.id, requested.info_id) == (
        "dept-market", "town-hexi", asked.info_id)
    answer = c.PublishInfo(TOWN, "township_penalty_decisions", "一季度食品类处罚决定",
                           NOW - timedelta(hours=2), ("dept-ecology",), "作出处罚决定5件",
                           info_id=asked.info_id)
    with pytest.raises(NotAllowed) as refused:  # only the township asked answers
        await service.publish(c.PublishInfo(c.Acting("street-dongguan"), *_rest(answer)))
    assert refused.value.field == "acting_org"
    with pytest.raises(RuleViolation) as wrong:
        await service.publish(c.PublishInfo(TOWN, "enforcement_statistics", *_rest(answer)[1:]))
    assert (wrong.value.rule, wrong.value.field) == ("SHR-2", "category")
    done = await service.publish(answer)
    published = uow.store.published[-1]
    assert isinstance(published, wire.InfoPublished) and done.status == "published"
    assert published.requested_by is not None and published.requested_by.id == "dept-market"
    assert set(published.audience) == {"dept-ecology", "dept-market"}  # the asker sees it


def _rest(cmd: c.PublishInfo) -> tuple:
    return (cmd.category, cmd.title, cmd.formed_at, cmd.audience, cmd.summary,
            cmd.matter_code, cmd.attachments, cmd.info_id)


@pytest.mark.rule("SHR-2")
@pytest.mark.parametrize(("acting", "township", "category", "field"), [
    (TOWN, "street-dongguan", "township_penalty_decisions", "acting_org"),
    (MARKET, "town-hexi", "department_dynamic_info", "category"),
    (MARKET, "dept-ecology", "enforcement_statistics", "township")])
async def test_only_a_department_asks_and_only_a_township_for_3_or_4(
        service: SharingService, uow: FakeUnitOfWork, acting: c.Acting, township: str,
        category: str, field: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        await service.request(c.RequestInfo(acting, township, category, "请提供"))
    assert (refused.value.rule, refused.value.field) == ("SHR-2", field)
    assert not uow.store.published


@pytest.mark.rule("SHR-3")
async def test_a_townships_penalty_decision_reaches_the_platform_from_the_closed_case(
        service: SharingService, uow: FakeUnitOfWork) -> None:
    event_id = str(uuid4())
    cmd = c.SharePenaltyDecision(event_id, "sharing-referral-case-closed", HEXI, "AJ-2026-0322",
                                 date(2026, 3, 10), NOW - timedelta(minutes=2))
    info_id = await service.share_penalty_decision(cmd)
    assert info_id == case_info_id(event_id)
    [published] = uow.store.published
    assert isinstance(published, wire.InfoPublished)
    assert published.category is wire.InfoCategory.TOWNSHIP_PENALTY_DECISIONS
    assert (published.actor.id, published.caused_by_case, published.audience) == (
        "town-hexi", "AJ-2026-0322", "all")
    assert str(published.causation_id) == event_id and "AJ-2026-0322" in published.title
    with pytest.raises(AlreadyProcessed):  # a redelivery publishes nothing more
        await service.share_penalty_decision(cmd)
    department = OrgRef(id="dept-market", kind=OrgKind.DEPARTMENT, name="示例区市场监督管理局")
    other = c.SharePenaltyDecision(str(uuid4()), cmd.consumer, department, "AJ-9",
                                   date(2026, 3, 10), NOW)
    assert await service.share_penalty_decision(other) is None  # (3) is the townships'
    assert len(uow.store.published) == 1


@pytest.mark.rule("ESC-5")
@pytest.mark.parametrize("formed_at", [
    NOW + timedelta(minutes=6), datetime(9999, 12, 31, 23, 0, tzinfo=NOW.tzinfo)])
async def test_a_declared_formation_in_the_future_is_refused(
        service: SharingService, uow: FakeUnitOfWork, formed_at: datetime) -> None:
    with pytest.raises(RuleViolation) as refused:
        await service.publish(c.PublishInfo(TOWN, "enforcement_statistics", "统计", formed_at,
                                            "all", "本月统计"))
    assert (refused.value.rule, refused.value.field) == ("ESC-5", "formed_at")
    with pytest.raises(RuleViolation) as refused:
        await service.declare_delay(c.DeclareDelay(TOWN, "enforcement_statistics", "统计",
                                                   formed_at, "汇总中", at(2026, 3, 12)))
    assert (refused.value.rule, refused.value.field) == ("ESC-5", "formed_at")
    assert not uow.store.published


@pytest.mark.rule("ESC-5")
async def test_the_recording_time_is_kept_beside_the_declared_formation(
        service: SharingService, uow: FakeUnitOfWork) -> None:
    done = await service.publish(c.PublishInfo(TOWN, "enforcement_statistics", "统计",
                                               NOW - timedelta(hours=3), "all", "本月统计"))
    info = uow.store.info[done.info_id]
    assert (info.heading.formed_at, info.recorded_at) == (NOW - timedelta(hours=3), NOW)
