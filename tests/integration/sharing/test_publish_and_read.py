"""SHR-1 … SHR-3 over the real database and NATS: publish, read, search."""

import asyncio
import json

import pytest

from tests.integration.sharing.conftest import Sharing, ago, events_of, stream_messages

TOWN, OTHER_TOWN, DEPT = "town-hexi", "town-beishan", "dept-ecology"


@pytest.mark.rule("SHR-1")
@pytest.mark.rule("SHR-3")
async def test_a_department_shares_and_only_the_township_it_names_reads_it(
        sharing: Sharing, nats_url: str) -> None:
    # the ecology department shares its inspection briefing with Hexi township
    answer = await sharing.publish(DEPT, category="department_dynamic_info",
                                   title="餐饮油烟专项检查简报", audience=[TOWN],
                                   matter_code="M-ENV-003",
                                   attachments=["https://files.example/brief.pdf"])
    assert answer.status_code == 201, answer.text
    info_id = answer.json()["info_id"]
    assert info_id.startswith("inf-") and answer.json()["late"] is False
    # Hexi reads it; Beishan does not see it at all
    listed = (await sharing.get("/info", TOWN)).json()["items"]
    assert [i["info_id"] for i in listed] == [info_id]
    item = (await sharing.get(f"/info/{info_id}", TOWN)).json()
    assert item["producer"]["id"] == DEPT and item["audience"] == [TOWN]
    assert "late" not in item  # SHR-4 bookkeeping is the producer's
    assert (await sharing.get("/info", OTHER_TOWN)).json()["items"] == []
    assert (await sharing.get(f"/info/{info_id}", OTHER_TOWN)).status_code == 404
    own = (await sharing.get(f"/info/{info_id}", DEPT)).json()
    assert own["late"] is False and own["status"] == "published" and own["due_at"]
    # the event is on the bus, in the department's name, about this information
    await sharing.settled()
    assert await events_of(nats_url, info_id) == ["info_published"]
    [message] = [m for m in await stream_messages(nats_url)
                 if m.headers.get("ce-subject") == info_id]
    event = json.loads(message.data)
    assert (event["actor"]["id"], event["correlation_id"], event["audience"]) == (
        DEPT, info_id, [TOWN])


@pytest.mark.rule("SHR-1")
@pytest.mark.rule("SHR-2")
@pytest.mark.rule("ESC-5")
async def test_refusals_name_the_rule_and_change_nothing(sharing: Sharing, nats_url: str) -> None:
    await sharing.settled()
    before = len(await stream_messages(nats_url))
    refusals = [
        (DEPT, {"category": "gossip"}, "SHR-2", "category"),
        ("unit-market-hexi", {}, "SHR-1", "acting_org"),
        ("police-bureau", {}, "SHR-1", "acting_org"),
        (DEPT, {"audience": [TOWN, "town-nowhere"]}, "SHR-1", "audience"),
        (DEPT, {"audience": []}, "SHR-1", "audience"),
        (DEPT, {"matter_code": "M-NOPE-001"}, "JUR-1", "matter_code"),
        (DEPT, {"formed_at": ago(hours=-2)}, "ESC-5", "formed_at"),
        (DEPT, {"formed_at": "9999-12-31T23:00:00+08:00"}, "ESC-5", "formed_at"),
        (TOWN, {"category": "department_dynamic_info"}, "SHR-2", "category"),
        (DEPT, {"category": "township_penalty_decisions"}, "SHR-2", "category"),
        ("district-gov", {"category": "department_enforcement"}, "SHR-2", "category"),
    ]
    for org, fields, rule, field in refusals:
        answer = await sharing.publish(org, **fields)
        assert answer.status_code == 422, answer.text
        assert (answer.json()["rule"], answer.json()["field"]) == (rule, field)
    assert "complaint_handling" in (await sharing.publish(DEPT, category="x")).json()["detail"]
    stranger = await sharing.publish("dept-nowhere")  # a token for no organisation of the district
    assert stranger.status_code == 403 and "dept-nowhere" in stranger.json()["detail"]
    assert await sharing.rt.store.db.info.count_documents({}) == 0
    await asyncio.sleep(0.3)
    assert len(await stream_messages(nats_url)) == before


@pytest.mark.rule("SHR-2")
async def test_all_eight_categories_are_accepted(sharing: Sharing) -> None:
    from sharing.domain.rules import CATEGORIES, PUBLISHERS

    for category in CATEGORIES:
        publisher = DEPT if "department" in PUBLISHERS[category] else TOWN  # type: ignore[index]
        answer = await sharing.publish(publisher, category=category)
        assert answer.status_code == 201, (category, answer.text)
    listed = (await sharing.get("/info", TOWN, limit=20)).json()["items"]
    assert sorted(i["category"] for i in listed) == sorted(CATEGORIES)


@pytest.mark.rule("SHR-3")
@pytest.mark.rule("ESC-5")
async def test_one_platform_searches_by_category_organisation_matter_and_date(
        sharing: Sharing) -> None:
    published = {}
    for key, org, category, matter, formed in [
        ("law", "dept-urban", "law_changes", "M-URB-001", "2026-03-02T10:00:00+08:00"),
        ("stats", TOWN, "enforcement_statistics", None, "2026-03-05T16:00:00+08:00"),
        ("fumes", DEPT, "department_dynamic_info", "M-ENV-003", "2026-03-05T09:00:00+08:00"),
        ("penalty", "street-dongguan", "township_penalty_decisions", "M-URB-001",
         "2026-03-09T11:00:00+08:00"),
    ]:
        answer = await sharing.publish(org, category=category, matter_code=matter,
                                       formed_at=formed, title=key)
        published[key] = answer.json()["info_id"]

    async def titles(**params: object) -> list[str]:
        answer = await sharing.get("/info", "town-liuzhuang", **params)
        assert answer.status_code == 200, answer.text
        return [i["title"] for i in answer.json()["items"]]

    assert await titles() == ["penalty", "fumes", "stats", "law"]  # newest published first
    assert await titles(category="law_changes") == ["law"]
    assert await titles(producer=DEPT) == ["fumes"]
    assert await titles(matter_code="M-URB-001") == ["penalty", "law"]
    assert await titles(since="2026-03-05", until="2026-03-05") == ["fumes", "stats"]
    assert await titles(since="2026-03-05T12:00:00+08:00") == ["penalty", "stats"]
    assert await titles(until="2026-03-05T09:00:00+08:00") == ["fumes", "law"]
    first = (await sharing.get("/info", TOWN, limit=3)).json()
    assert [i["title"] for i in first["items"]] == ["penalty", "fumes", "stats"]
    rest = (await sharing.get("/info", TOWN, limit=3, before=first["next_before"])).json()
    assert [i["title"] for i in rest["items"]] == ["law"] and rest["next_before"] is None
    assert (await sharing.get("/info", TOWN, category="gossip")).json()["rule"] == "SHR-2"
    assert (await sharing.get("/info", TOWN, limit=201)).status_code == 422
    assert (await sharing.get("/info", TOWN, since="yesterday")).status_code == 422
    # ESC-5: no date crashes a query; one the system cannot count from is a 422
    for bound in ({"until": "9999-12-31"}, {"since": "0001-01-01"},
                  {"since": "0001-01-01T00:00:00+14:00"}, {"until": "9999-12-31T23:00:00-12:00"}):
        far = await sharing.get("/info", TOWN, **bound)
        assert far.status_code == 422, (bound, far.text)
