"""The dispute desk over HTTP, in-process, on the real database and NATS (DSP-1, DSP-2)."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support import acting, escalation_client, eventually

TOWN, URBAN = acting("town-hexi"), acting("dept-urban")
# A matter no other test uses: the decision's catalogue correction travels on the session's
# stream, and every referral or complaint app started later in the session applies it.
GOV, WATER = acting("district-gov"), acting("dept-water")


@pytest.fixture
async def desk(nats_url: str, mongo_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with escalation_client(nats_url, mongo_url, f"liandong_desk_{uuid.uuid4().hex[:8]}",
                                 {"DSP-1": "2s"}) as client:
        yield client


async def raise_one(desk: httpx.AsyncClient) -> str:
    body = {"other_party": "dept-urban", "matter_code": "M-AGR-002", "subject_id": "case-x",
            "reason": "该违建位于两镇交界，城管局认为属本镇"}
    answer = await desk.post("/disputes", json=body, headers=TOWN)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["dispute_id"])


async def state(desk: httpx.AsyncClient, dispute_id: str) -> dict:
    answer = await desk.get(f"/disputes/{dispute_id}")
    assert answer.status_code == 200, answer.text
    return answer.json()


async def notices_about(desk: httpx.AsyncClient, dispute_id: str) -> list[dict]:
    """This test's notices only: the session's streams hold other tests' events too."""
    notices = (await desk.get("/notifications")).json()
    return [n for n in notices if n["deadline_id"].startswith(f"dispute:{dispute_id}:")]


async def _two(notices) -> list[dict] | None:
    found = await notices
    return found if len(found) == 2 else None


@pytest.mark.rule("DSP-1")
async def test_a_dispute_raised_directly_is_settled_by_agreement_of_both(desk) -> None:
    dispute_id = await raise_one(desk)
    deadlines = (await desk.get("/deadlines", params={"org": "town-hexi"})).json()
    assert any(d["_id"] == f"dispute:{dispute_id}:town-hexi" and d["rule"] == "DSP-1"
               for d in deadlines)
    theirs = (await desk.get("/deadlines", params={"org": "dept-urban"})).json()
    assert any(d["_id"] == f"dispute:{dispute_id}:dept-urban" for d in theirs)  # both hold it
    first = await desk.post(f"/disputes/{dispute_id}/agreement", json={"owner": "dept-urban"},
                            headers=URBAN)
    assert first.json() == {"state": "negotiating"}
    second = await desk.post(f"/disputes/{dispute_id}/agreement", json={"owner": "dept-urban"},
                             headers=TOWN)
    assert second.json() == {"state": "settled"}
    assert (await state(desk, dispute_id))["owner"]["id"] == "dept-urban"
    await asyncio.sleep(2.5)  # the DSP-1 limit passes: a settled dispute is not reported
    assert await notices_about(desk, dispute_id) == []
    assert (await state(desk, dispute_id))["state"] == "settled"


@pytest.mark.rule("DSP-2")
async def test_an_unsettled_dispute_goes_up_and_the_decision_corrects_the_catalogue(desk) -> None:
    dispute_id = await raise_one(desk)
    for _ in range(150):
        if (await state(desk, dispute_id))["state"] == "escalated":
            break
        await asyncio.sleep(0.2)
    assert (await state(desk, dispute_id))["state"] == "escalated"
    notices = await eventually(lambda: _two(notices_about(desk, dispute_id)),
                               what="both parties notified")
    assert {n["responsible"]["id"] for n in notices} == {"town-hexi", "dept-urban"}
    assert {n["rule"] for n in notices} == {"DSP-1"}
    assert {n["kind"] for n in notices} == {"breach"}

    decision = {"owner": "town-hexi", "decision_ref": "区政府管辖争议决定〔2026〕7号",
                "catalogue_correction": True}
    refused = await desk.post(f"/disputes/{dispute_id}/decision", json=decision, headers=URBAN)
    assert refused.status_code == 403 and "district government" in refused.json()["detail"]
    assert (await state(desk, dispute_id))["state"] == "escalated"

    decided = await desk.post(f"/disputes/{dispute_id}/decision", json=decision, headers=GOV)
    assert decided.json() == {"state": "decided"}
    [correction] = (await desk.get("/catalogue-corrections")).json()
    assert correction["matter_code"] == "M-AGR-002" and correction["owner"] == "township"


@pytest.mark.rule("DSP-1")
async def test_bad_dispute_requests_are_refused_and_change_nothing(desk) -> None:
    dispute_id = await raise_one(desk)
    before = await state(desk, dispute_id)
    outsider = await desk.post(f"/disputes/{dispute_id}/agreement", json={"owner": "town-hexi"},
                               headers=WATER)
    assert outsider.status_code == 403
    third = await desk.post(f"/disputes/{dispute_id}/agreement", json={"owner": "dept-water"},
                            headers=TOWN)
    assert third.status_code == 422 and third.json()["rule"] == "DSP-1"
    early = await desk.post(f"/disputes/{dispute_id}/decision", headers=GOV, json={
        "owner": "town-hexi", "decision_ref": "x"})
    assert early.status_code == 409
    same_side = await desk.post("/disputes", headers=TOWN, json={
        "other_party": "street-dongguan", "matter_code": "M-AGR-002", "subject_id": "c",
        "reason": "r"})
    assert same_side.status_code == 422
    missing = await desk.post("/disputes/dsp-nope/escalation", headers=TOWN)
    assert missing.status_code == 404
    assert await state(desk, dispute_id) == before
