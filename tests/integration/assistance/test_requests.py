"""Assistance requests over HTTP, the real database and the real NATS stream."""

import asyncio
from datetime import datetime, timedelta

import pytest

from liandong_contracts.assistance_v1 import AssistanceRequested
from tests.integration.assistance.conftest import (
    LETTER,
    MARKET,
    OPINION,
    TOWN,
    Service,
    Stream,
    running,
    settings_for,
)
from tests.support import acting


def ask(kind: str = "identification", receiver: str = "dept-market", **fields) -> dict:
    return {"kind": kind, "receiver": receiver, "summary": "请协助鉴定涉案食品",
            "documents": [LETTER], **fields}


async def post(svc: Service, body: dict, headers: dict = TOWN) -> dict:
    answer = await svc.http.post("/requests", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.mark.rule("AST-1")
@pytest.mark.rule("AST-2")
@pytest.mark.rule("AST-3")
async def test_a_request_is_extended_dispatched_answered_and_every_step_published(
        svc: Service, stream: Stream) -> None:
    # Hexi township asks market supervision, urgently, in writing
    made = await post(svc, ask(urgent=True, case_id="case-77"))
    request_id = made["request_id"]
    assert request_id.startswith("ast-") and made["on_site_due_at"] is not None
    answer_due = datetime.fromisoformat(made["answer_due_at"])
    on_site_due = datetime.fromisoformat(made["on_site_due_at"])
    assert timedelta(hours=1, minutes=59) < on_site_due - datetime.now(answer_due.tzinfo)
    inbox = (await svc.http.get("/requests/inbox", headers=MARKET)).json()
    assert request_id in [r["request_id"] for r in inbox]
    # the department sends staff, asks for more time before the limit, then answers in writing
    sent = await svc.http.post(f"/requests/{request_id}/dispatch", json={"staff_count": 2},
                               headers=MARKET)
    assert sent.status_code == 202, sent.text
    later = (answer_due + timedelta(days=3)).isoformat()
    extended = await svc.http.post(f"/requests/{request_id}/extension", headers=MARKET,
                                   json={"new_due_at": later, "reason": "需送省级机构检测"})
    assert extended.status_code == 202, extended.text
    answered = await svc.http.post(f"/requests/{request_id}/answer", headers=MARKET,
                                   json={"answer": "answered", "documents": [OPINION]})
    assert answered.status_code == 202, answered.text
    # the parties see the state, the due times and the history; no one else does
    seen = (await svc.http.get(f"/requests/{request_id}", headers=TOWN)).json()
    assert seen["status"] == "answered" and seen["answer"]["documents"] == [
        {**OPINION, "sha256": None}]
    assert datetime.fromisoformat(seen["answer_due_at"]) == datetime.fromisoformat(later)
    assert [h["event"] for h in seen["history"]] == [
        "AssistanceRequested", "OnSiteDispatched", "AssistanceExtended", "AssistanceAnswered"]
    outsider = await svc.http.get(f"/requests/{request_id}", headers=acting("dept-water"))
    assert outsider.status_code == 404
    assert request_id not in [r["request_id"] for r in
                              (await svc.http.get("/requests/inbox", headers=MARKET)).json()]
    outbox = (await svc.http.get("/requests/outbox", headers=TOWN)).json()
    assert request_id in [r["request_id"] for r in outbox]
    # the stream holds exactly the four events, in order, with the request's id
    events = await stream.exactly(svc, request_id, 4)
    assert [e["type"] for e in events] == [h["event"] for h in seen["history"]]
    assert events[0]["subject"] == AssistanceRequested.subject()
    assert events[0]["urgent"] and events[0]["actor"]["id"] == "town-hexi"
    assert events[1]["request_id"] == request_id and events[1]["call_id"] is None


@pytest.mark.rule("AST-4")
@pytest.mark.rule("AST-1")
async def test_refusals_change_nothing_and_publish_nothing(svc: Service, stream: Stream) -> None:
    request_id = (await post(svc, ask("archive_access", case_id="case-78")))["request_id"]
    before = (await svc.http.get(f"/requests/{request_id}", headers=TOWN)).json()
    no_reason = await svc.http.post(f"/requests/{request_id}/answer", headers=MARKET,
                                    json={"answer": "refused", "reason": " "})
    assert no_reason.status_code == 422
    assert no_reason.json() == {"rule": "AST-4", "field": "reason", "detail":
                                "a archive_access request is not refused without a reason, "
                                "in writing: the refusal is reported to the district "
                                "government"}
    not_theirs = await svc.http.post(f"/requests/{request_id}/answer",
                                     headers=acting("dept-urban"),
                                     json={"answer": "granted"})
    assert not_theirs.status_code == 403
    by_department = await svc.http.post("/requests", json=ask(), headers=MARKET)
    assert by_department.status_code == 422 and by_department.json()["field"] == "acting_org"
    unwritten = await svc.http.post("/requests", json=ask(documents=[]), headers=TOWN)
    assert unwritten.json()["rule"] == "AST-1" and unwritten.json()["field"] == "documents"
    assert (await svc.http.get(f"/requests/{request_id}", headers=TOWN)).json() == before
    [only] = await stream.exactly(svc, request_id, 1)
    assert only["type"] == "AssistanceRequested" and only["kind"] == "archive_access"


@pytest.mark.rule("AST-5")
@pytest.mark.rule("AST-6")
async def test_training_and_police_assistance_take_the_same_path(
        svc: Service, stream: Stream) -> None:
    training = await post(svc, ask("training", "dept-urban", summary="请安排业务实习和考试"))
    assert training["on_site_due_at"] is None
    police = await post(svc, ask("police_assistance", "police-bureau", urgent=True,
                                 summary="当事人阻挠执法，请求现场控制"))
    assert police["on_site_due_at"] is not None
    wrong = await svc.http.post("/requests", headers=TOWN,
                                json=ask("police_assistance", "court"))
    assert wrong.status_code == 422 and wrong.json()["rule"] == "AST-6"
    sent = await svc.http.post(f"/requests/{police['request_id']}/dispatch",
                               json={"staff_count": 4}, headers=acting("police-bureau"))
    assert sent.status_code == 202, sent.text
    [asked] = await stream.exactly(svc, training["request_id"], 1)
    assert asked["kind"] == "training" and asked["receiver"]["id"] == "dept-urban"
    asked, dispatched = await stream.exactly(svc, police["request_id"], 2)
    assert asked["receiver"]["kind"] == "public_security" and dispatched["staff_count"] == 4


@pytest.mark.rule("AST-3")
async def test_an_extension_after_the_limit_is_refused_over_http(
        nats_url: str, mongo_url: str, stream: Stream) -> None:
    async with running(settings_for(nats_url, mongo_url, **{"AST-1": "1s"})) as svc:
        made = await post(svc, ask())
        due = datetime.fromisoformat(made["answer_due_at"])
        await asyncio.sleep(max(0.0, (due - datetime.now(due.tzinfo)).total_seconds()) + 0.1)
        late = await svc.http.post(f"/requests/{made['request_id']}/extension", headers=MARKET,
                                   json={"new_due_at": (due + timedelta(days=5)).isoformat(),
                                         "reason": "人手不足"})
        assert late.status_code == 422 and late.json()["rule"] == "AST-3"
        seen = (await svc.http.get(f"/requests/{made['request_id']}", headers=MARKET)).json()
        assert seen["answer_due_at"] == made["answer_due_at"] and seen["extensions"] == []
        assert [e["type"] for e in await stream.exactly(svc, made["request_id"], 1)] == [
            "AssistanceRequested"]
