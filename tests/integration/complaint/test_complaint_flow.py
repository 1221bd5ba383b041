"""A complaint from receipt to feedback over HTTP, its events read back from JetStream."""

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.integration.complaint.conftest import Stream
from tests.support import acting

URBAN = acting("dept-urban", "staff-31")
HEXI = acting("town-hexi")
PERSON = {"name": "司马相如测", "phone": "13700001111", "id_number": "110105199001011234",
          "address": "北山乡杏花村九号院", "email": "xiangru.test@example.cn"}
LETTER = {"title": "举报信", "uri": "https://files.example/cmp/letter.pdf"}


def complaint(**overrides: Any) -> dict[str, Any]:
    received_at = datetime.now(UTC) - timedelta(minutes=30)
    return {"channel": "hotline_12345", "received_at": received_at.isoformat(),
            "matter_code": "M-URB-001", "locality": "town-hexi",
            "summary": "幸福路人行道被摊点长期占用", "materials": [LETTER],
            "complainant": PERSON, **overrides}


async def receive(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> str:
    answer = await client.post("/complaints", json=complaint(**overrides), headers=headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["complaint_id"])


async def ok(client: httpx.AsyncClient, path: str, body: dict[str, Any],
             headers: dict[str, str]) -> None:
    answer = await client.post(path, json=body, headers=headers)
    assert answer.status_code == 202, answer.text


@pytest.mark.rule("CMP-8")
@pytest.mark.rule("CMP-6")
@pytest.mark.rule("CMP-7")
async def test_personal_data_stays_in_the_register_through_forward_answer_and_feedback(
        client: httpx.AsyncClient, stream: Stream, app: FastAPI,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # urban management takes a hotline complaint on a matter handed to Hexi township
    answer = await client.post("/complaints", json=complaint(), headers=URBAN)
    assert answer.status_code == 201, answer.text
    cid, reference_no = answer.json()["complaint_id"], answer.json()["reference_no"]
    assert re.fullmatch(r"cmp-[0-9a-f]{16}", cid) and re.fullmatch(r"TS-\d{8}-\d{4}", reference_no)
    # CMP-6: it sends the complainant and the investigation to the township
    await ok(client, f"/complaints/{cid}/forward", {"matter_code": "M-URB-001",
             "locality": "town-hexi", "reason": "该事项已划转乡镇"}, URBAN)
    # the township verifies, answers the complainant, then feeds back (CMP-7)
    await ok(client, f"/complaints/{cid}/verification",
             {"outcome": "no_violation", "findings": "现场已无摊点"}, HEXI)
    await ok(client, f"/complaints/{cid}/answer", {"result": "经核查现场已无占道"}, HEXI)
    view = (await client.get(f"/complaints/{cid}", headers=HEXI)).json()
    assert view["status"] == "handling"  # feedback still owed to urban management
    await ok(client, f"/complaints/{cid}/feedback", {"result": "经核查现场已无占道"}, HEXI)

    events = await stream.wait_for(cid, 5)
    assert [e["type"] for e in events] == [
        "ComplaintReceived", "ComplaintForwarded", "ComplaintVerified",
        "ComplainantAnswered", "ComplaintFeedbackSent"]
    received, forwarded, *_, feedback = events
    assert received["received_by"]["id"] == "dept-urban" == received["actor"]["id"]
    assert received["reference_no"] == reference_no
    assert forwarded["receiver"]["id"] == "town-hexi"
    assert forwarded["complainant_directed_to_receiver"] is True
    assert forwarded["investigation_requested"] is True
    assert feedback["department"]["id"] == "dept-urban" and feedback["actor"]["id"] == "town-hexi"

    # CMP-8: no message on the stream, payload or header, carries any personal value
    for headers, body in await stream.messages():
        text = body.decode() + " ".join(f"{k}={v}" for k, v in headers.items())
        assert not [value for value in PERSON.values() if value in text]
    # nor any log record, nor the complaint document; only the protected register
    logged = "\n".join(record.getMessage() for record in caplog.records)
    escaped = [json.dumps(value)[1:-1] for value in PERSON.values()]  # as JSON logs write it
    assert not [value for value in (*PERSON.values(), *escaped) if value in logged]
    db = app.state.runtime.store.db
    stored = await db.complaints.find_one({"_id": cid})
    assert not [value for value in PERSON.values() if value in repr(stored)]
    register = await db.complainants.find_one({"_id": stored["complainant_ref"]})
    assert {k: register[k] for k in PERSON} == PERSON

    view = (await client.get(f"/complaints/{cid}", headers=HEXI)).json()
    assert view["status"] == "closed"
    assert [t["event"] for t in view["timeline"]] == [e["type"] for e in events]


@pytest.mark.rule("CMP-8")
async def test_only_the_bodies_handling_a_complaint_see_the_complainant(
        client: httpx.AsyncClient) -> None:
    # the market regulator owns expired food (never handed over); it is in Beishan
    cid = await receive(client, acting("dept-market"), matter_code="M-MKT-003",
                        locality="town-beishan")
    handler = (await client.get(f"/complaints/{cid}", headers=acting("dept-market")))
    assert handler.json()["complainant"]["phone"] == PERSON["phone"]
    for party in ("town-beishan", "district-gov"):
        seen = await client.get(f"/complaints/{cid}", headers=acting(party))
        assert seen.status_code == 200 and "complainant" not in seen.json()
        assert not [value for value in PERSON.values() if value in seen.text]
    outsider = await client.get(f"/complaints/{cid}", headers=acting("dept-water"))
    assert outsider.status_code == 404 and PERSON["name"] not in outsider.text
    inbox = (await client.get("/complaints/inbox", headers=acting("dept-market")))
    assert cid in [c["complaint_id"] for c in inbox.json()]
    assert PERSON["name"] not in inbox.text


@pytest.mark.rule("CMP-1")
@pytest.mark.rule("CMP-2")
@pytest.mark.rule("ESC-5")
async def test_receipt_is_refused_for_units_and_future_times_and_numbers_run_per_day(
        client: httpx.AsyncClient) -> None:
    unit = await client.post("/complaints", json=complaint(),
                             headers=acting("unit-urban-brigade"))
    assert unit.status_code == 422 and unit.json()["rule"] == "CMP-1"
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    late = await client.post("/complaints", json=complaint(received_at=future), headers=HEXI)
    assert late.status_code == 422
    assert (late.json()["rule"], late.json()["field"]) == ("ESC-5", "received_at")
    first = await client.post("/complaints", json=complaint(), headers=HEXI)
    second = await client.post("/complaints", json=complaint(), headers=HEXI)
    (day1, n1), (day2, n2) = (r.json()["reference_no"].rsplit("-", 1) for r in (first, second))
    assert day1 != day2 or int(n2) == int(n1) + 1


@pytest.mark.rule("CMP-5")
@pytest.mark.rule("CMP-3")
async def test_refusals_change_nothing_and_publish_nothing(client: httpx.AsyncClient,
                                                           stream: Stream) -> None:
    # Hexi receives a complaint about unlicensed construction, owned by urban management
    cid = await receive(client, HEXI, matter_code="M-URB-009")
    await ok(client, f"/complaints/{cid}/verification",
             {"outcome": "no_jurisdiction", "findings": "属无规划许可建设"}, HEXI)
    before = (await client.get(f"/complaints/{cid}", headers=HEXI)).json()
    forward = {"matter_code": "M-URB-009", "locality": "town-hexi", "reason": "属城管局管辖"}
    bare = await client.post(f"/complaints/{cid}/forward", json=forward, headers=HEXI)
    assert bare.status_code == 422
    assert (bare.json()["rule"], bare.json()["field"]) == ("CMP-5", "materials")
    stranger = await client.post(f"/complaints/{cid}/answer", json={"result": "已处理"},
                                 headers=acting("dept-water"))
    assert stranger.status_code == 403
    no_answer = await client.post(f"/complaints/{cid}/answer", json={"result": "不归我镇"},
                                  headers=HEXI)
    assert no_answer.status_code == 409  # without jurisdiction it forwards (CMP-5)
    assert (await client.get(f"/complaints/{cid}", headers=HEXI)).json() == before
    # with written material the forward goes to the owner in the catalogue
    material = {"title": "核查记录", "uri": "https://files.example/cmp/record.pdf"}
    await ok(client, f"/complaints/{cid}/forward", {**forward, "materials": [material]}, HEXI)
    events = await stream.wait_for(cid, 3)
    assert [e["type"] for e in events] == [
        "ComplaintReceived", "ComplaintVerified", "ComplaintForwarded"]
    assert events[2]["receiver"]["id"] == "dept-urban"
    assert [m["title"] for m in events[2]["materials"]] == ["核查记录", "举报信"]
    # the owner answers; the complaint closes and refuses a second answer
    await ok(client, f"/complaints/{cid}/answer", {"result": "已立案调查"}, URBAN)
    again = await client.post(f"/complaints/{cid}/answer", json={"result": "再答"}, headers=URBAN)
    assert again.status_code == 409 and again.json()["field"] == "status"
    assert len(await stream.wait_for(cid, 4)) == 4
