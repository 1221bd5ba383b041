"""CMP-4 (a named case exists and is the township's own, from the referral service's cases),
CMP-6 (the department's guidance on the complaint), over the real database and NATS; the
CMP-4 duty watched end to end by the escalation service through the broker."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import nats
import pytest

from escalation.bootstrap import EscalationSettings, build_app
from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.settings import MongoSettings, NatsSettings
from tests.integration.complaint.conftest import Stream, eventually
from tests.integration.complaint.test_complaint_flow import HEXI, URBAN, ok, receive
from tests.support import acting

HEXI_REF = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")
BEISHAN_REF = OrgRef(id="town-beishan", kind=OrgKind.TOWNSHIP, name="北山乡人民政府")


def registered(case_id: str, owner: OrgRef, complaint_id: str | None = None
               ) -> ref.CaseRegistered:
    now = datetime.now(UTC)
    return ref.CaseRegistered(
        occurred_at=now, actor=owner, correlation_id=case_id, case_id=case_id,
        matter_code="M-URB-001", locality=owner, owner=owner,
        found_at=now - timedelta(hours=1), summary="占道经营立案", complaint_id=complaint_id)


async def publish(nats_url: str, event: ref.ReferralEvent) -> None:
    body, headers = encode(event)
    async with await nats.connect(nats_url) as nc:
        await nc.jetstream().publish(event.subject(), body, headers=headers)


async def view(client: httpx.AsyncClient, cid: str, headers: dict[str, str]) -> dict:
    return dict((await client.get(f"/complaints/{cid}", headers=headers)).json())


@pytest.mark.rule("CMP-4")
@pytest.mark.rule("JUR-3")
async def test_a_complaint_names_only_a_registered_case_of_the_township(
        client: httpx.AsyncClient, stream: Stream, nats_url: str) -> None:
    """Reproduction: any free-text id was accepted as the case opened."""
    cid = await receive(client, HEXI)
    free = await client.post(f"/complaints/{cid}/verification", headers=HEXI, json={
        "outcome": "penalty_due", "findings": "占道属实", "case_id": "随便写的案号"})
    assert free.status_code == 422
    assert (free.json()["rule"], free.json()["field"]) == ("CMP-4", "case_id")
    await ok(client, f"/complaints/{cid}/verification",
             {"outcome": "penalty_due", "findings": "占道属实"}, HEXI)
    # a case of another township, and a case not (yet) registered, are refused
    theirs, ours = f"AJ-{uuid.uuid4().hex[:8]}", f"AJ-{uuid.uuid4().hex[:8]}"
    await publish(nats_url, registered(theirs, BEISHAN_REF))
    await publish(nats_url, registered(ours, HEXI_REF))

    async def refused_as_not_ours() -> bool:
        answer = await client.post(f"/complaints/{cid}/case", json={"case_id": theirs},
                                   headers=HEXI)
        return answer.status_code == 422 and "not a case of" in answer.json()["detail"]

    await eventually(refused_as_not_ours)
    blocked = await client.post(f"/complaints/{cid}/answer", json={"result": "已立案"},
                                headers=HEXI)
    assert blocked.status_code == 409 and "CMP-4" in blocked.json()["detail"]

    async def named() -> bool:
        answer = await client.post(f"/complaints/{cid}/case", json={"case_id": ours},
                                   headers=HEXI)
        return answer.status_code == 202

    await eventually(named)
    assert (await view(client, cid, HEXI))["case_id"] == ours
    last = (await stream.wait_for(cid, 3))[-1]
    assert (last["type"], last["case_id"], last["via"]) == ("ComplaintCaseNamed", ours,
                                                            "complaint")
    await ok(client, f"/complaints/{cid}/answer", {"result": "已立案查处"}, HEXI)


@pytest.fixture
async def escalation(nats_url: str, mongo_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = EscalationSettings(
        nats=NatsSettings(url=nats_url),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_cmp_esc_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05, watch_interval_s=0.2)
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t",
                                     headers=acting("district-gov")) as esc:
            yield esc


@pytest.mark.rule("CMP-4")
@pytest.mark.rule("ESC-1")
async def test_the_case_registered_for_a_complaint_names_itself_and_ends_the_duty(
        client: httpx.AsyncClient, stream: Stream, nats_url: str,
        escalation: httpx.AsyncClient) -> None:
    cid = await receive(client, HEXI)
    await ok(client, f"/complaints/{cid}/verification",
             {"outcome": "penalty_due", "findings": "占道属实"}, HEXI)

    async def duty(state: str) -> bool:
        open_ = (await escalation.get("/deadlines", params={"org": "town-hexi"})).json()
        found = [d for d in open_ if d["_id"] == f"case:{cid}"]
        return [d["rule"] for d in found] == ["CMP-4"] if state == "open" else found == []

    await eventually(lambda: duty("open"))
    case_id = f"AJ-{uuid.uuid4().hex[:8]}"
    await publish(nats_url, registered(case_id, HEXI_REF, complaint_id=cid))

    async def named() -> bool:
        return (await view(client, cid, HEXI))["case_id"] == case_id

    await eventually(named)
    last = (await stream.wait_for(cid, 3))[-1]
    assert (last["type"], last["via"], last["actor"]["id"]) == (
        "ComplaintCaseNamed", "case_registered", "town-hexi")
    await eventually(lambda: duty("closed"))


@pytest.mark.rule("CMP-6")
async def test_the_departments_guidance_is_recorded_and_the_township_sees_it(
        client: httpx.AsyncClient, stream: Stream) -> None:
    cid = await receive(client, URBAN)
    received = (await stream.wait_for(cid, 1))[0]
    assert received["owner"]["id"] == "town-hexi"  # CMP-6: the owner named at receipt
    await ok(client, f"/complaints/{cid}/forward", {"matter_code": "M-URB-001",
             "locality": "town-hexi", "reason": "该事项已划转乡镇"}, URBAN)
    text = "请现场拍照固定证据，依《城市道路管理条例》第二十七条处理"
    await ok(client, f"/complaints/{cid}/guidance", {"guidance": text}, URBAN)
    stranger = await client.post(f"/complaints/{cid}/guidance", json={"guidance": "x"},
                                 headers=HEXI)
    assert stranger.status_code == 403 and stranger.json()["field"] == "acting_org"
    seen = await view(client, cid, HEXI)
    assert [(g["by"], g["text"]) for g in seen["guidance"]] == [("dept-urban", text)]
    assert seen["timeline"][-1]["event"] == "GuidanceGiven"
    forwarded = (await stream.wait_for(cid, 2))[-1]
    assert forwarded["received_at"] == received["received_at"]
    assert len(await stream.events_of(cid)) == 2  # guidance is not broadcast
