"""SHR-2 requests and SHR-3 penalty decisions over the real database and NATS; the request's
answer watched end to end by the escalation service through the broker."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import nats
import pytest

from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.orgs import OrgKind, OrgRef
from tests.integration.sharing.conftest import Sharing, ago, events_of
from tests.support import acting, escalation_client, eventually

TOWN, MARKET = "town-hexi", "dept-market"
HEXI = OrgRef(id=TOWN, kind=OrgKind.TOWNSHIP, name="河西镇人民政府")
MARKET_REF = OrgRef(id=MARKET, kind=OrgKind.DEPARTMENT, name="示例区市场监督管理局")


@pytest.fixture
async def escalation(nats_url: str, mongo_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with escalation_client(nats_url, mongo_url, f"liandong_shr_esc_{uuid.uuid4().hex[:8]}",
                                 {"SHR-2": "3s"}) as client:
        yield client


async def ask(sharing: Sharing, title: str) -> dict:
    answer = await sharing.http.post("/info/requests", headers=acting(MARKET), json={
        "township": TOWN, "category": "township_penalty_decisions", "title": title,
        "matter_code": "M-MKT-003"})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@pytest.mark.rule("SHR-2")
@pytest.mark.rule("ESC-1")
async def test_a_request_answered_ends_its_duty_and_one_unanswered_is_reported(
        sharing: Sharing, escalation: httpx.AsyncClient, nats_url: str) -> None:
    answered = await ask(sharing, "一季度食品类处罚决定")
    ignored = await ask(sharing, "二季度食品类处罚决定")
    assert answered["status"] == "requested" and answered["due_at"]
    # the township sees what it is asked; the department what it asked
    asked = (await sharing.get("/info/requests", TOWN)).json()
    assert {answered["info_id"], ignored["info_id"]} <= {i["info_id"] for i in asked}
    assert all(i["requested_by"]["id"] == MARKET for i in asked)

    async def watched() -> bool:
        open_ = (await escalation.get("/deadlines", params={"org": TOWN})).json()
        ids = {d["_id"]: d["rule"] for d in open_}
        return all(ids.get(f"request:{r['info_id']}") == "SHR-2" for r in (answered, ignored))

    await eventually(watched)
    done = await sharing.http.post("/info", headers=acting(TOWN), json={
        "info_id": answered["info_id"], "category": "township_penalty_decisions",
        "title": "一季度食品类处罚决定", "formed_at": ago(minutes=30), "audience": [TOWN],
        "summary": "作出处罚决定5件，均已执行"})
    assert done.status_code == 201, done.text
    item = (await sharing.get(f"/info/{answered['info_id']}", MARKET)).json()
    assert item["status"] == "published" and MARKET in item["audience"]
    assert await events_of(nats_url, answered["info_id"]) == ["info_requested", "info_published"]

    async def reported() -> list[dict] | None:
        notices = (await escalation.get("/notifications")).json()
        mine = [n["deadline_id"] for n in notices
                if n["deadline_id"] in {f"request:{answered['info_id']}",
                                        f"request:{ignored['info_id']}"}]
        return mine or None

    assert await eventually(reported) == [f"request:{ignored['info_id']}"]
    still_open = (await sharing.get("/info/requests", TOWN)).json()
    assert [i["info_id"] for i in still_open if i["info_id"] in (
        answered["info_id"], ignored["info_id"])] == [ignored["info_id"]]


@pytest.mark.rule("SHR-2")
async def test_requests_outside_3_and_4_or_of_a_department_are_refused(sharing: Sharing) -> None:
    for org, body, field in [
        (TOWN, {"township": "town-beishan", "category": "enforcement_statistics"}, "acting_org"),
        (MARKET, {"township": "dept-urban", "category": "enforcement_statistics"}, "township"),
        (MARKET, {"township": "town-nowhere", "category": "enforcement_statistics"}, "township"),
    ]:
        answer = await sharing.http.post("/info/requests", headers=acting(org),
                                         json={**body, "title": "请提供"})
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == field
    other = await sharing.http.post("/info/requests", headers=acting(MARKET), json={
        "township": TOWN, "category": "department_dynamic_info", "title": "请提供"})
    assert other.status_code == 422  # the body's schema names (3) and (4) only


@pytest.mark.rule("SHR-4")
async def test_a_delay_beyond_the_bound_or_without_reason_is_refused(sharing: Sharing) -> None:
    """Reproduction: a delay to 2030 was accepted."""
    body = {"category": "department_dynamic_info", "title": "检查记录",
            "formed_at": ago(minutes=5), "reason": "汇总整理中",
            "new_due_at": "2030-01-01T00:00:00+08:00"}
    far = await sharing.http.post("/info/delays", headers=acting(MARKET), json=body)
    assert far.status_code == 422
    assert (far.json()["rule"], far.json()["field"]) == ("SHR-4", "new_due_at")
    blank = await sharing.http.post("/info/delays", headers=acting(MARKET), json={
        **body, "reason": " ", "new_due_at": ago(hours=-30)})
    assert (blank.json()["rule"], blank.json()["field"]) == ("SHR-4", "reason")
    assert await sharing.rt.store.db.info.count_documents({}) == 0


async def publish(url: str, event: ref.ReferralEvent) -> None:
    body, headers = encode(event)
    async with await nats.connect(url) as nc:
        await nc.jetstream().publish(event.subject(), body, headers=headers)


def closed(actor: OrgRef, case_id: str, outcome: str) -> ref.CaseClosed:
    return ref.CaseClosed(occurred_at=datetime.now(UTC), actor=actor, correlation_id=case_id,
                          case_id=case_id, outcome=outcome,  # type: ignore[arg-type]
                          closed_on=date.today())


@pytest.mark.rule("SHR-3")
async def test_a_townships_case_closed_with_a_penalty_is_shared_without_retyping(
        sharing: Sharing, nats_url: str) -> None:
    marker = uuid.uuid4().hex[:8]
    penalty, quiet, departments = f"AJ-{marker}-1", f"AJ-{marker}-2", f"AJ-{marker}-3"
    await publish(nats_url, closed(HEXI, quiet, "no_violation"))
    await publish(nats_url, closed(MARKET_REF, departments, "administrative_penalty"))
    await publish(nats_url, closed(HEXI, penalty, "administrative_penalty"))

    async def shared() -> list[dict] | None:
        items = (await sharing.get("/info", MARKET, producer=TOWN, limit=200)).json()["items"]
        found = [i for i in items if marker in i["title"]]
        return found or None

    [item] = await eventually(shared)
    assert item["category"] == "township_penalty_decisions" and penalty in item["title"]
    assert item["case_id"] == penalty and item["producer"]["id"] == TOWN
    everything = (await sharing.get("/info", MARKET, limit=200)).json()["items"]
    assert [i for i in everything if marker in i["title"]] == [item]
