"""Joint enforcement over HTTP, the real database and the real NATS stream."""

from datetime import UTC, datetime, timedelta

import pytest

from liandong_contracts.assistance_v1 import OnSiteDispatched
from liandong_contracts.joint_v1 import JointEnforcementCalled
from tests.integration.assistance.conftest import MARKET, TOWN, Service, Stream
from tests.support import acting

URBAN, HOUSING = acting("dept-urban"), acting("dept-housing")
MINUTES = {"title": "会议纪要", "uri": "https://files.example/minutes/7.pdf"}


async def call(svc: Service, body: dict, headers: dict = TOWN) -> dict:
    answer = await svc.http.post("/calls", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.mark.rule("JNT-6")
@pytest.mark.rule("JNT-4")
async def test_a_whistle_records_who_reported_how_and_when_and_who_is_silent(
        svc: Service, stream: Stream) -> None:
    # Hexi township blows the whistle on a night market; three departments are named
    made = await call(svc, {"kind": "whistle", "called": ["dept-market", "dept-urban",
                                                          "dept-health"],
                            "reason": "夜市占道经营、无照经营、无证餐饮"})
    call_id = made["call_id"]
    assert call_id.startswith("call-") and set(made["due_at"]) == {"dept-market", "dept-urban",
                                                                    "dept-health"}
    # market reports, urban sends staff (its report), an outsider and a repeat are refused
    assert (await svc.http.post(f"/calls/{call_id}/answer", json={"answer": "reported"},
                                headers=MARKET)).status_code == 202
    sent = await svc.http.post(f"/calls/{call_id}/dispatch", json={"staff_count": 6},
                               headers=URBAN)
    assert sent.status_code == 202, sent.text
    again = await svc.http.post(f"/calls/{call_id}/answer", json={"answer": "reported"},
                                headers=MARKET)
    outsider = await svc.http.post(f"/calls/{call_id}/answer", json={"answer": "reported"},
                                   headers=acting("dept-water"))
    no_reason = await svc.http.post(f"/calls/{call_id}/answer", json={"answer": "refused"},
                                    headers=acting("dept-health"))
    assert (again.status_code, outsider.status_code) == (409, 403)
    assert no_reason.status_code == 422 and no_reason.json()["rule"] == "JNT-4"
    # the call shows every called body: answer, how, when; health is still silent
    seen = (await svc.http.get(f"/calls/{call_id}", headers=TOWN)).json()
    by_id = {c["id"]: c for c in seen["called"]}
    assert (by_id["dept-market"]["answer"], by_id["dept-market"]["via"]) == ("reported",
                                                                              "answer")
    assert (by_id["dept-urban"]["answer"], by_id["dept-urban"]["via"]) == ("reported",
                                                                            "dispatch")
    assert by_id["dept-health"]["answered_at"] is None and seen["silent"] == ["dept-health"]
    assert (await svc.http.get(f"/calls/{call_id}", headers=acting("dept-water"))
            ).status_code == 404
    inbox = (await svc.http.get("/calls/inbox", headers=acting("dept-health"))).json()
    assert call_id in [c["call_id"] for c in inbox]
    # the stream: the call, market's answer, urban's dispatch; nothing for the refusals
    called, answered, dispatched = await stream.exactly(svc, call_id, 3)
    assert called["subject"] == JointEnforcementCalled.subject()
    assert [o["id"] for o in called["called"]] == ["dept-market", "dept-urban", "dept-health"]
    assert (answered["type"], answered["actor"]["id"]) == ("JointEnforcementAnswered",
                                                           "dept-market")
    assert dispatched["subject"] == OnSiteDispatched.subject()
    assert (dispatched["call_id"], dispatched["actor"]["id"]) == (call_id, "dept-urban")


@pytest.mark.rule("JNT-6")
@pytest.mark.rule("JNT-4")
async def test_a_wrong_call_is_refused_and_publishes_nothing(svc: Service, stream: Stream) -> None:
    by_department = await svc.http.post("/calls", headers=URBAN, json={
        "kind": "whistle", "called": ["dept-market"], "reason": "x"})
    assert by_department.status_code == 422
    assert (by_department.json()["rule"], by_department.json()["field"]) == ("JNT-6",
                                                                             "acting_org")
    not_owner = await svc.http.post("/calls", headers=TOWN, json={
        "kind": "hazard_notice", "called": ["dept-urban"], "matter_code": "M-HSG-004",
        "reason": "脚手架坍塌风险"})
    assert not_owner.status_code == 422 and not_owner.json()["rule"] == "JNT-4"
    notice = await call(svc, {"kind": "hazard_notice", "called": ["dept-housing"],
                              "matter_code": "M-HSG-004", "reason": "脚手架坍塌风险"})
    assert list(notice["due_at"]) == ["dept-housing"]
    refused = await svc.http.post(f"/calls/{notice['call_id']}/answer", headers=HOUSING,
                                  json={"answer": "refused", "reason": "已立案查处"})
    assert refused.status_code == 202
    late_dispatch = await svc.http.post(f"/calls/{notice['call_id']}/dispatch", headers=HOUSING,
                                        json={"staff_count": 2})
    assert late_dispatch.status_code == 409
    called, answered = await stream.exactly(svc, notice["call_id"], 2)
    assert called["kind"] == "hazard_notice" and answered["reason"] == "已立案查处"


@pytest.mark.rule("JNT-1")
@pytest.mark.rule("JNT-3")
async def test_meetings_and_their_schedule(svc: Service, stream: Stream) -> None:
    clue = await call(svc, {"kind": "major_clue", "called": ["dept-market", "dept-health"],
                            "reason": "疑似制售假药窝点"})
    held = await svc.http.post("/meetings", headers=TOWN, json={
        "schedule": "ad_hoc", "held_at": datetime.now(UTC).isoformat(), "topic": "专题会商",
        "participants": ["town-hexi", "dept-market", "dept-health"], "minutes": MINUTES,
        "call_id": clue["call_id"]})
    assert held.status_code == 201, held.text
    meeting_id = held.json()["meeting_id"]
    alone = await svc.http.post("/meetings", headers=TOWN, json={
        "schedule": "scheduled", "held_at": datetime.now(UTC).isoformat(), "topic": "x",
        "participants": ["town-hexi"], "minutes": MINUTES})
    assert alone.status_code == 422 and alone.json()["rule"] == "JNT-1"
    meetings = (await svc.http.get("/meetings", headers=MARKET)).json()
    assert meeting_id in [m["meeting_id"] for m in meetings]
    [event] = await stream.exactly(svc, meeting_id, 1)
    assert (event["type"], event["call_id"], event["schedule"]) == (
        "ConsultationMeetingHeld", clue["call_id"], "ad_hoc")
    # a regular schedule is stored only, and shows the next meeting due
    first = datetime.now(UTC) - timedelta(days=45)
    plan = await svc.http.post("/meeting-schedules", headers=URBAN, json={
        "topic": "城市管理联席会议", "participants": ["dept-urban", "town-hexi"],
        "every": "monthly", "first_at": first.isoformat()})
    assert plan.status_code == 201, plan.text
    [listed] = [s for s in (await svc.http.get("/meeting-schedules", headers=TOWN)).json()
                if s["schedule_id"] == plan.json()["schedule_id"]]
    assert datetime.fromisoformat(listed["next_due_at"]) >= datetime.now(UTC)
    assert await stream.events(plan.json()["schedule_id"]) == []


@pytest.mark.rule("JNT-2")
@pytest.mark.rule("JNT-5")
async def test_liaisons_and_supervisions(svc: Service, stream: Stream) -> None:
    before = {x["org_id"]: x for x in (await svc.http.get("/liaisons", headers=TOWN)).json()}
    assert before["dept-water"]["liaison_name"] == "杨晓梅"
    assert before["town-beishan"]["source"] == "directory" and "police-bureau" not in before
    named = await svc.http.put("/liaisons/me", headers=acting("dept-water"),
                               json={"liaison_name": "钱多多", "role": "执法大队副队长"})
    assert named.status_code == 200, named.text
    # JNT-2: both sides name theirs: the township too
    by_town = await svc.http.put("/liaisons/me", headers=acting("town-beishan"),
                                 json={"liaison_name": "李明", "role": "综合执法队联络员"})
    assert by_town.status_code == 200, by_town.text
    by_police = await svc.http.put("/liaisons/me", headers=acting("police-bureau"),
                                   json={"liaison_name": "王警官", "role": "联络员"})
    assert by_police.status_code == 422 and by_police.json()["rule"] == "JNT-2"
    after = {x["org_id"]: x for x in (await svc.http.get("/liaisons", headers=MARKET)).json()}
    assert (after["dept-water"]["liaison_name"], after["dept-water"]["source"]) == ("钱多多",
                                                                                    "named")
    assert (after["town-beishan"]["liaison_name"], after["town-beishan"]["kind"]) == (
        "李明", "township")
    assert all("phone" not in x and "0000-00000" not in str(x) for x in after.values())
    [liaison] = await stream.exactly(svc, "dept-water", 1)
    assert liaison["type"] == "LiaisonPersonNamed" and "phone" not in liaison
    assert "0000-0000037" not in str(liaison)  # the directory's phone for the department

    bad = await svc.http.post("/supervisions", headers=TOWN, json={
        "kind": "recommendation", "about": "dept-market", "recommendation": "removal",
        "text": "建议调整"})
    assert bad.status_code == 422 and (bad.json()["rule"], bad.json()["field"]) == ("JNT-5",
                                                                                    "about")
    made = await svc.http.post("/supervisions", headers=TOWN, json={
        "kind": "recommendation", "about": "unit-market-hexi", "recommendation": "reward",
        "text": "所长配合联合执法表现突出，建议表彰"})
    assert made.status_code == 201, made.text
    sup_id = made.json()["supervision_id"]
    seen = (await svc.http.get("/supervisions", headers=MARKET)).json()
    assert sup_id in [s["supervision_id"] for s in seen]
    [event] = await stream.exactly(svc, sup_id, 1)
    assert event["about"]["kind"] == "dispatched_unit" and event["recommendation"] == "reward"
