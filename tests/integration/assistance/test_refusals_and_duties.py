"""The revised rules over HTTP, the real database and the real stream: refusals give their
reason and leave the on-site duty open (AST-1, AST-2), hazard notices reach the police and
want staff or a reason (JNT-4), scheduled meetings owe minutes (JNT-1), supervisions are
answered by each department addressed (JNT-5)."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.assistance.conftest import LETTER, MARKET, TOWN, Service, Stream
from tests.support import acting

POLICE, URBAN, WATER = acting("police-bureau"), acting("dept-urban"), acting("dept-water")
MINUTES = {"title": "会议纪要", "uri": "https://files.example/minutes/8.pdf"}


async def created(svc: Service, path: str, body: dict, headers: dict = TOWN) -> dict:
    answer = await svc.http.post(path, json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def now() -> datetime:
    return datetime.now(UTC)


@pytest.mark.rule("AST-1")
@pytest.mark.rule("AST-2")
async def test_an_urgent_identification_refused_with_a_reason_still_wants_staff_on_site(
        svc: Service, stream: Stream) -> None:
    made = await created(svc, "/requests", {
        "kind": "identification", "receiver": "dept-market", "urgent": True,
        "summary": "请协助鉴定涉案冷库食品并现场封存", "documents": [LETTER]})
    rid = made["request_id"]
    # AST-1: no refusal without a reason, in writing
    silent = await svc.http.post(f"/requests/{rid}/answer", headers=MARKET,
                                 json={"answer": "refused"})
    assert silent.status_code == 422
    assert (silent.json()["rule"], silent.json()["field"]) == ("AST-1", "reason")
    refused = await svc.http.post(f"/requests/{rid}/answer", headers=MARKET, json={
        "answer": "refused", "reason": "本局无冷链食品鉴定资质，建议委托省检测院"})
    assert refused.status_code == 202, refused.text
    # AST-2: the refusal did not end the on-site duty: it stays in the inbox until staff go
    assert rid in [r["request_id"] for r in
                   (await svc.http.get("/requests/inbox", headers=MARKET)).json()]
    # a dispatch is no later than it is recorded
    future = (now() + timedelta(minutes=10)).isoformat()
    early = await svc.http.post(f"/requests/{rid}/dispatch", headers=MARKET,
                                json={"staff_count": 2, "dispatched_at": future})
    assert early.status_code == 422
    assert (early.json()["rule"], early.json()["field"]) == ("AST-2", "dispatched_at")
    sent = await svc.http.post(f"/requests/{rid}/dispatch", headers=MARKET,
                               json={"staff_count": 2, "leader": "周建国"})
    assert sent.status_code == 202, sent.text
    seen = (await svc.http.get(f"/requests/{rid}", headers=TOWN)).json()
    assert seen["status"] == "refused" and seen["dispatches"][0]["leader"] == "周建国"
    assert rid not in [r["request_id"] for r in
                       (await svc.http.get("/requests/inbox", headers=MARKET)).json()]
    _, answered, dispatched = await stream.exactly(svc, rid, 3)
    assert (answered["answer"], answered["reason"]) == ("refused",
                                                        "本局无冷链食品鉴定资质，建议委托省检测院")
    assert (dispatched["type"], dispatched["leader"]) == ("OnSiteDispatched", "周建国")
    assert dispatched["dispatched_at"] <= dispatched["occurred_at"]


@pytest.mark.rule("JNT-4")
@pytest.mark.rule("AST-6")
async def test_a_public_order_hazard_goes_to_the_police_who_send_staff_not_a_report(
        svc: Service, stream: Stream) -> None:
    made = await created(svc, "/calls", {"kind": "hazard_notice", "called": ["police-bureau"],
                                         "reason": "夜市摊贩聚集斗殴，存在重大治安隐患"})
    call_id = made["call_id"]
    assert list(made["due_at"]) == ["police-bureau"]
    noted = await svc.http.post(f"/calls/{call_id}/answer", headers=POLICE,
                                json={"answer": "reported"})
    assert noted.status_code == 422
    assert (noted.json()["rule"], noted.json()["field"]) == ("JNT-4", "answer")
    nameless = await svc.http.post(f"/calls/{call_id}/dispatch", headers=POLICE,
                                   json={"staff_count": 4})
    assert nameless.status_code == 422 and nameless.json()["field"] == "leader"
    sent_at = (now() + timedelta(seconds=1)).replace(microsecond=0)  # after the notice
    await asyncio.sleep((sent_at - now()).total_seconds() + 0.05)  # and before now
    when = sent_at.isoformat()
    sent = await svc.http.post(f"/calls/{call_id}/dispatch", headers=POLICE,
                               json={"staff_count": 4, "leader": "孙警官", "dispatched_at": when})
    assert sent.status_code == 202, sent.text
    seen = (await svc.http.get(f"/calls/{call_id}", headers=TOWN)).json()
    assert seen["silent"] == [] and seen["called"][0]["via"] == "dispatch"
    called, dispatched = await stream.exactly(svc, call_id, 2)
    assert called["called"][0]["kind"] == "public_security"
    assert (dispatched["leader"], dispatched["staff_count"]) == ("孙警官", 4)
    assert datetime.fromisoformat(dispatched["dispatched_at"]) == datetime.fromisoformat(when)


@pytest.mark.rule("JNT-4")
async def test_a_refused_hazard_notice_carries_its_kind_for_escalation(
        svc: Service, stream: Stream) -> None:
    made = await created(svc, "/calls", {"kind": "hazard_notice", "called": ["dept-housing"],
                                         "matter_code": "M-HSG-004", "reason": "脚手架坍塌风险"})
    refused = await svc.http.post(f"/calls/{made['call_id']}/answer",
                                  headers=acting("dept-housing"),
                                  json={"answer": "refused", "reason": "已立案查处，无需再派员"})
    assert refused.status_code == 202, refused.text
    _, answered = await stream.exactly(svc, made["call_id"], 2)
    assert (answered["call_kind"], answered["answer"]) == ("hazard_notice", "refused")


@pytest.mark.rule("JNT-1")
@pytest.mark.rule("ESC-5")
async def test_a_scheduled_meeting_owes_its_minutes_by_the_end_of_its_day(
        svc: Service, stream: Stream) -> None:
    at = now() - timedelta(hours=1)
    made = await created(svc, "/scheduled-meetings", {
        "topic": "月度联席会议", "participants": ["town-hexi", "dept-urban"],
        "scheduled_at": at.isoformat()})
    mid = made["meeting_id"]
    due = datetime.fromisoformat(made["minutes_due_at"])
    assert due > at and due - at <= timedelta(days=4)  # the end of its (working) day
    listed = (await svc.http.get("/scheduled-meetings", headers=URBAN)).json()
    assert [m["held"] for m in listed if m["meeting_id"] == mid] == [False]
    minutes = {"schedule": "scheduled", "held_at": at.isoformat(), "topic": "月度联席会议",
               "participants": ["town-hexi", "dept-urban"], "minutes": MINUTES}
    unnamed = await svc.http.post("/meetings", headers=URBAN, json=minutes)
    assert unnamed.status_code == 422 and unnamed.json()["field"] == "meeting_id"
    future = await svc.http.post("/meetings", headers=URBAN, json={
        **minutes, "meeting_id": mid, "held_at": (now() + timedelta(hours=1)).isoformat()})
    assert future.status_code == 422 and future.json()["rule"] == "ESC-5"
    held = await created(svc, "/meetings", {**minutes, "meeting_id": mid}, headers=URBAN)
    assert held["meeting_id"] == mid
    twice = await svc.http.post("/meetings", headers=URBAN, json={**minutes, "meeting_id": mid})
    assert twice.status_code == 409
    listed = (await svc.http.get("/scheduled-meetings", headers=TOWN)).json()
    assert [m["held"] for m in listed if m["meeting_id"] == mid] == [True]
    scheduled, minuted = await stream.exactly(svc, mid, 2)
    assert scheduled["type"] == "ConsultationMeetingScheduled"
    assert (minuted["type"], minuted["meeting_id"]) == ("ConsultationMeetingHeld", mid)


@pytest.mark.rule("JNT-5")
async def test_a_supervision_is_answered_by_each_department_addressed(
        svc: Service, stream: Stream) -> None:
    made = await created(svc, "/supervisions", {
        "kind": "supervision", "about": "dept-urban", "addressed": ["dept-urban", "dept-water"],
        "text": "河道两侧违建整治进度滞后，请限期完成并书面报告"})
    sid = made["supervision_id"]
    assert made["addressed"] == ["dept-urban", "dept-water"] and made["due_at"]
    sooner = await svc.http.post("/supervisions", headers=TOWN, json={
        "kind": "supervision", "about": "dept-urban", "text": "x",
        "due_at": (now() + timedelta(hours=1)).isoformat()})
    assert sooner.status_code == 422 and sooner.json()["field"] == "due_at"
    answered = await svc.http.post(f"/supervisions/{sid}/answer", headers=WATER,
                                   json={"text": "已拆除违建三处", "documents": [LETTER]})
    assert answered.status_code == 202, answered.text
    outsider = await svc.http.post(f"/supervisions/{sid}/answer", headers=MARKET,
                                   json={"text": "x"})
    assert outsider.status_code == 404
    [seen] = [s for s in (await svc.http.get("/supervisions", headers=WATER)).json()
              if s["supervision_id"] == sid]
    assert seen["silent_ids"] == ["dept-urban"]
    assert [a["org_id"] for a in seen["answers"]] == ["dept-water"]
    recorded, answer = await stream.exactly(svc, sid, 2)
    assert [o["id"] for o in recorded["addressed"]] == ["dept-urban", "dept-water"]
    assert (answer["type"], answer["actor"]["id"]) == ("SupervisionAnswered", "dept-water")
