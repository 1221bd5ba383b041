"""SHR-3: an organisation follows what is shared with it; the feed never misses or repeats."""

import asyncio

import pytest

from tests.integration.sharing.conftest import Sharing
from tests.support import acting

TOWN = acting("town-hexi")


async def follow(sharing: Sharing, **criteria: list[str]) -> str:
    answer = await sharing.http.post("/subscriptions", json=criteria, headers=TOWN)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["subscription_id"])


async def poll(sharing: Sharing, after: int, org: str = "town-hexi") -> tuple[list[str], int]:
    answer = (await sharing.get("/feed", org, after=after, limit=200)).json()
    return [i["title"] for i in answer["items"]], answer["cursor"]


@pytest.mark.rule("SHR-3")
async def test_the_feed_brings_new_matching_items_once_with_a_cursor(sharing: Sharing) -> None:
    assert await poll(sharing, 0) == ([], 0)  # no subscription, nothing followed
    await follow(sharing, categories=["law_changes"])
    await follow(sharing, producers=["dept-market"], matter_codes=["M-MKT-003"])
    await follow(sharing, categories=["enforcement_statistics"])  # only Hexi's own: none
    for org, title, fields in [
        ("dept-urban", "law", {"category": "law_changes"}),
        ("dept-urban", "law-elsewhere", {"category": "law_changes", "audience": ["town-beishan"]}),
        ("dept-market", "food", {"matter_code": "M-MKT-003"}),
        ("dept-market", "other-matter", {"matter_code": "M-MKT-001"}),
        ("town-hexi", "own", {"category": "enforcement_statistics"}),
        ("dept-water", "unfollowed", {}),
    ]:
        assert (await sharing.publish(org, title=title, **fields)).status_code == 201
    titles, cursor = await poll(sharing, 0)
    assert titles == ["law", "food"]
    assert await poll(sharing, cursor) == ([], cursor)
    await sharing.publish("dept-urban", title="law-2", category="law_changes",
                          audience=["town-hexi"])
    assert (await poll(sharing, cursor))[0] == ["law-2"]
    assert (await sharing.get("/feed", "town-hexi", after=-1)).status_code == 422


@pytest.mark.rule("SHR-3")
async def test_a_client_polling_during_concurrent_publications_sees_each_exactly_once(
        sharing: Sharing) -> None:
    await follow(sharing)  # everything shared with Hexi
    titles = [f"brief-{n}" for n in range(24)]
    seen: list[str] = []
    cursor = 0

    async def publish_all() -> None:
        orgs = ("dept-urban", "dept-market", "town-beishan", "dept-water")
        await asyncio.gather(*(sharing.publish(orgs[n % 4], title=t)
                               for n, t in enumerate(titles)))

    publishing = asyncio.create_task(publish_all())
    while not publishing.done():
        batch, cursor = await poll(sharing, cursor)
        seen += batch
    await publishing
    batch, cursor = await poll(sharing, cursor)
    seen += batch
    assert sorted(seen) == sorted(titles) and len(seen) == len(titles)


@pytest.mark.rule("SHR-3")
async def test_subscriptions_are_listed_and_deleted_by_their_owner_only(
        sharing: Sharing) -> None:
    sub = await follow(sharing, categories=["complaint_handling"], producers=["town-beishan"])
    listed = (await sharing.get("/subscriptions", "town-hexi")).json()
    assert listed == [{"subscription_id": sub, "org_id": "town-hexi",
                       "categories": ["complaint_handling"], "producers": ["town-beishan"],
                       "matter_codes": []}]
    assert (await sharing.get("/subscriptions", "town-beishan")).json() == []
    foreign = await sharing.http.delete(f"/subscriptions/{sub}",
                                        headers=acting("town-beishan"))
    assert foreign.status_code == 404
    bad = await sharing.http.post("/subscriptions", json={"categories": ["gossip"]}, headers=TOWN)
    assert bad.status_code == 422 and bad.json()["rule"] == "SHR-2"
    assert (await sharing.http.delete(f"/subscriptions/{sub}", headers=TOWN)).status_code == 204
    assert (await sharing.get("/subscriptions", "town-hexi")).json() == []
