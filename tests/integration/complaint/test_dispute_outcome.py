"""A contested forward stays with its receiver until escalation's outcome names the owner."""

import uuid
from datetime import UTC, datetime

import httpx
import nats
import pytest
from fastapi import FastAPI

from liandong_contracts import escalation_v1 as esc
from liandong_contracts.cloudevents import encode
from liandong_contracts.orgs import OrgKind, OrgRef
from tests.integration.complaint.conftest import Stream, eventually
from tests.integration.complaint.test_complaint_flow import HEXI, URBAN, ok, receive

GOVERNMENT = OrgRef(id="district-gov", kind=OrgKind.DISTRICT_GOVERNMENT, name="示例区人民政府")
URBAN_REF = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="示例区城市管理局")
HEXI_REF = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")


def decided(dispute_id: str, owner: OrgRef, subject_id: str = "",
            subject_kind: str = "complaint") -> esc.DisputeDecided:
    return esc.DisputeDecided(
        occurred_at=datetime.now(UTC), actor=GOVERNMENT, correlation_id=dispute_id,
        dispute_id=dispute_id, matter_code="M-URB-001", parties=(URBAN_REF, HEXI_REF),
        owner=owner, decision_ref="示区政决〔2026〕1号", subject_id=subject_id,
        subject_kind=subject_kind)  # type: ignore[arg-type]


async def publish(nats_url: str, event: esc.EscalationEvent, msg_id: str | None = None) -> None:
    body, headers = encode(event)
    if msg_id:
        headers["Nats-Msg-Id"] = msg_id
    async with await nats.connect(nats_url) as nc:
        await nc.jetstream().publish(event.subject(), body, headers=headers)


async def metric(client: httpx.AsyncClient, name: str, subject: str) -> float:
    for line in (await client.get("/metrics")).text.splitlines():
        if line.startswith(f'{name}{{subject="{subject}"}}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.rule("DSP-1")
@pytest.mark.rule("DSP-2")
@pytest.mark.rule("ESC-3")
async def test_a_contested_complaint_goes_to_the_owner_the_district_decides_once(
        client: httpx.AsyncClient, stream: Stream, app: FastAPI, nats_url: str) -> None:
    # urban management forwards a complaint to Hexi, which contests the forward
    cid = await receive(client, URBAN)
    await ok(client, f"/complaints/{cid}/forward", {"matter_code": "M-URB-001",
             "locality": "town-hexi", "reason": "该事项已划转乡镇"}, URBAN)
    await ok(client, f"/complaints/{cid}/contest", {"reason": "该路段由城管局直管"}, HEXI)
    contested = (await stream.wait_for(cid, 3))[-1]
    assert contested["type"] == "ComplaintForwardContested"
    assert contested["sender"]["id"] == "dept-urban" and contested["actor"]["id"] == "town-hexi"
    view = (await client.get(f"/complaints/{cid}", headers=HEXI)).json()
    assert view["status"] == "disputed" and view["handler_id"] == "town-hexi"
    blocked = await client.post(f"/complaints/{cid}/answer", json={"result": "x"}, headers=HEXI)
    assert blocked.status_code == 409

    # another subject's dispute is acknowledged and ignored, even when named like ours:
    # disputes are routed on their subject, never on their id
    await publish(nats_url, decided(f"dsp-{cid}", HEXI_REF, cid, "case"))
    # the district government decides urban management owns it (DSP-2)
    decision = decided(f"ZY-{uuid.uuid4().hex[:8]}", URBAN_REF, cid)
    await publish(nats_url, decision)

    async def handed_over() -> dict | None:
        doc = (await client.get(f"/complaints/{cid}", headers=URBAN)).json()
        return doc if doc["handler_id"] == "dept-urban" else None

    view = await eventually(handed_over)
    assert view["status"] == "handling" and view["timeline"][-1]["event"] == "DisputeDecided"
    # a redelivery under another message id is recognised and changes nothing
    subject = esc.DisputeDecided.subject()
    await publish(nats_url, decision, msg_id=str(uuid.uuid4()))
    await eventually(lambda: _at_least(metric(client, "liandong_messages_duplicate_total",
                                              subject), 1))
    assert (await client.get(f"/complaints/{cid}", headers=URBAN)).json() == view
    assert await app.state.runtime.dead_letters.count() == 0
    assert len(await stream.events_of(cid)) == 3  # an outcome emits nothing

    # the owner answers; the decision binds, so nothing else is due and it closes
    await ok(client, f"/complaints/{cid}/answer", {"result": "由城管局依法处理"}, URBAN)
    assert (await client.get(f"/complaints/{cid}", headers=URBAN)).json()["status"] == "closed"
    # ESC-3: the answer ends Hexi's paused duty, and the feedback no longer owed
    answered = (await stream.wait_for(cid, 4))[-1]
    assert answered["type"] == "ComplainantAnswered"
    assert answered["took_over_from"]["id"] == "town-hexi" and answered["feedback_released"]


async def _at_least(value, expected: float) -> bool:
    return await value >= expected
