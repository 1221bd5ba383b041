"""The service layer with fakes: resulting state and the contracts it would publish."""

from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest

from liandong_contracts import sharing_v1 as wire
from liandong_contracts.samples import complaint
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.storage import AlreadyProcessed
from sharing.adapters.complaint_facts import facts_of
from sharing.domain.errors import NotAllowed, RuleViolation, SubscriptionNotFound
from sharing.service import commands as c
from sharing.service.handlers import SharingService, complaint_info_id
from tests.unit.sharing.conftest import at
from tests.unit.sharing.fakes import FakeUnitOfWork

TOWN, ECOLOGY = c.Acting("town-hexi", "staff-007"), c.Acting("dept-ecology")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> Clock:
    return Clock(at(2026, 3, 10, 10, 0))


@pytest.fixture
def service(uow, district: ReferenceData, limit, clock) -> SharingService:
    ids = iter(f"inf-{n:016x}" for n in range(1, 100))
    return SharingService(uow, district, limit, clock=clock, new_id=lambda: next(ids))


def publication(**overrides: Any) -> c.PublishInfo:
    fields: dict[str, Any] = {
        "acting": ECOLOGY, "category": "department_dynamic_info", "title": "餐饮油烟专项检查简报",
        "formed_at": at(2026, 3, 10, 9, 0), "audience": ("town-hexi", "street-dongguan"),
        "summary": "检查餐饮单位12家", "matter_code": "M-ENV-003",
        "attachments": ("https://files.example/brief.pdf",)}
    return c.PublishInfo(**{**fields, **overrides})


@pytest.mark.rule("SHR-1")
@pytest.mark.rule("SHR-3")
async def test_a_department_shares_with_named_townships_in_its_own_name(
        service: SharingService, uow: FakeUnitOfWork) -> None:
    done = await service.publish(publication())
    [event] = uow.store.published
    assert isinstance(event, wire.InfoPublished)
    assert (event.actor.id, event.correlation_id, event.info_id) == (
        "dept-ecology", done.info_id, done.info_id)
    assert event.audience == ("town-hexi", "street-dongguan")
    assert event.occurred_at == at(2026, 3, 10, 10, 0) and event.acting_person is None
    assert str(event.attachments[0].uri) == "https://files.example/brief.pdf"
    assert (done.status, done.due_at, done.late) == ("published", at(2026, 3, 11), False)


@pytest.mark.rule("SHR-1")
@pytest.mark.parametrize(("field", "value", "rule"), [
    ("audience", ("town-hexi", "town-nowhere"), "SHR-1"),
    ("matter_code", "M-NOPE-001", "JUR-1"),
    ("category", "gossip", "SHR-2"),
    ("acting", c.Acting("dept-nowhere"), "JUR-1"),
])
async def test_a_reference_outside_the_district_is_refused_and_nothing_is_published(
        service: SharingService, uow: FakeUnitOfWork, field, value, rule) -> None:
    with pytest.raises(RuleViolation) as refused:
        await service.publish(publication(**{field: value}))
    assert refused.value.rule == rule
    assert not uow.store.published and not uow.store.info


@pytest.mark.rule("SHR-4")
async def test_a_delay_then_the_publication_under_the_same_id(
        service: SharingService, uow: FakeUnitOfWork, clock: Clock) -> None:
    delay = c.DeclareDelay(ECOLOGY, "department_dynamic_info", "检查记录", at(2026, 3, 10, 9, 0),
                           "检查记录需汇总", at(2026, 3, 12, 18, 0))
    declared = await service.declare_delay(delay)
    assert (declared.status, declared.due_at, declared.new_due_at) == (
        "delayed", at(2026, 3, 11), at(2026, 3, 12, 18, 0))
    clock.now = at(2026, 3, 12, 9, 0)
    done = await service.publish(publication(info_id=declared.info_id))
    assert done.info_id == declared.info_id and done.late is False
    assert [e.type for e in uow.store.published] == ["InfoSharingDelayed", "InfoPublished"]
    assert {e.correlation_id for e in uow.store.published} == {declared.info_id}
    with pytest.raises(NotAllowed) as twice:
        await service.publish(publication(info_id=declared.info_id))
    assert twice.value.field == "status" and len(uow.store.published) == 2


@pytest.mark.rule("SHR-4")
async def test_a_delay_after_the_due_time_changes_nothing(
        service: SharingService, uow: FakeUnitOfWork, clock: Clock) -> None:
    clock.now = at(2026, 3, 11, 0, 0, 1)
    with pytest.raises(RuleViolation) as refused:
        await service.declare_delay(c.DeclareDelay(
            ECOLOGY, "other", "简报", at(2026, 3, 10, 9, 0), "来不及", at(2026, 3, 12)))
    assert refused.value.rule == "SHR-4"
    assert not uow.store.published and not uow.store.info


@pytest.mark.rule("SHR-4")
async def test_a_late_publication_is_recorded_late_and_emits_only_the_publication(
        service: SharingService, uow: FakeUnitOfWork, clock: Clock) -> None:
    clock.now = at(2026, 3, 11, 9, 0)
    done = await service.publish(publication())
    assert done.late is True and uow.store.info[done.info_id].late is True
    assert [e.type for e in uow.store.published] == ["InfoPublished"]


@pytest.mark.rule("SHR-2")
@pytest.mark.rule("CMP-8")
async def test_a_complaint_event_becomes_one_category_7_item_even_when_redelivered(
        service: SharingService, uow: FakeUnitOfWork) -> None:
    received = complaint()[0]
    cmd = c.ShareComplaintStep(str(received.event_id), "sharing-complaint-complaint-received",
                               received.actor, facts_of(received))
    info_id = await service.share_complaint_step(cmd)
    with pytest.raises(AlreadyProcessed):
        await service.share_complaint_step(cmd)
    again = c.ShareComplaintStep(cmd.event_id, "another-consumer", cmd.handler, cmd.facts)
    assert await service.share_complaint_step(again) == info_id  # the id guards too
    [event] = uow.store.published
    assert isinstance(event, wire.InfoPublished) and info_id == complaint_info_id(cmd.event_id)
    assert event.category is wire.InfoCategory.COMPLAINT_HANDLING and event.audience == "all"
    assert (event.actor, event.causation_id, event.formed_at) == (
        received.actor, received.event_id, received.occurred_at)
    assert received.summary not in event.summary


@pytest.mark.rule("SHR-3")
async def test_a_subscription_names_known_categories_producers_and_matters(
        service: SharingService, uow: FakeUnitOfWork) -> None:
    sub_id = await service.subscribe(c.Subscribe(TOWN, ("complaint_handling", "other"),
                                                 ("dept-ecology",), ("M-ENV-003",)))
    saved = uow.store.subscriptions[sub_id]
    assert saved.org_id == "town-hexi" and saved.producers == ("dept-ecology",)
    for bad, rule in [(c.Subscribe(TOWN, ("gossip",)), "SHR-2"),
                      (c.Subscribe(TOWN, (), ("dept-nowhere",)), "JUR-1"),
                      (c.Subscribe(TOWN, (), (), ("M-NOPE",)), "JUR-1")]:
        with pytest.raises(RuleViolation) as refused:
            await service.subscribe(bad)
        assert refused.value.rule == rule
    with pytest.raises(SubscriptionNotFound):
        await service.unsubscribe(c.Unsubscribe(ECOLOGY, sub_id))
    await service.unsubscribe(c.Unsubscribe(TOWN, sub_id))
    assert not uow.store.subscriptions


def test_complaint_info_ids_are_derived_from_the_event() -> None:
    event_id = str(uuid4())
    assert complaint_info_id(event_id) == complaint_info_id(event_id)
    assert complaint_info_id(event_id) != complaint_info_id(str(uuid4()))
