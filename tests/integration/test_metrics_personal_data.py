"""CMP-8 for metrics: after complaints with personal data, no label value carries any of it."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
import pytest

from complaint.bootstrap import ComplaintSettings, build_app
from liandong_runtime.settings import MongoSettings, NatsSettings
from tests.support import acting

PERSON = {"name": "欧阳测试", "phone": "13912345678", "id_number": "110105199202023456",
          "address": "柳庄镇梨花巷七号", "email": "ouyang.metrics@example.cn"}
REPORTER = {"first_name": "测报", "last_name": "上官", "phone": "13698765432",
            "email": "shangguan.metrics@example.cn"}
URBAN = acting("dept-urban")


@pytest.fixture
async def client(nats_url: str, mongo_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = ComplaintSettings(
        nats=NatsSettings(url=nats_url),
        mongodb=MongoSettings(url=mongo_url, database=f"liandong_cmpm_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05)
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client


@pytest.mark.rule("CMP-8")
async def test_no_metric_label_carries_a_complainants_personal_data(client) -> None:
    # a hotline complaint and an Open311 report, each with a person's details
    received = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    answer = await client.post("/complaints", headers=URBAN, json={
        "channel": "hotline_12345", "received_at": received, "matter_code": "M-URB-001",
        "locality": "town-hexi", "summary": "人行道被占用", "complainant": PERSON})
    assert answer.status_code == 201, answer.text
    form = {"jurisdiction_id": "town-hexi", "service_code": "M-URB-006",
            "description": "垃圾乱倒", "address_string": "河西镇幸福路", **REPORTER}
    answer = await client.post("/open311/v2/requests.json", content=urlencode(form).encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded",
                                        **acting("town-hexi", "civic-app")})
    assert answer.status_code == 201, answer.text
    # a client that puts personal data in a path
    await client.get(f"/complaints/{PERSON['phone']}", headers=URBAN)
    await client.get(f"/{PERSON['name']}/{PERSON['id_number']}")
    for _ in range(300):  # until the relay has published the events
        text = (await client.get("/metrics")).text
        if 'faststream_published_messages_total{' in text:
            break
        await asyncio.sleep(0.05)
    assert 'destination="liandong.complaint.complaint_received.v1"' in text
    assert 'route="/complaints/{complaint_id}"' in text
    for value in [*PERSON.values(), *REPORTER.values()]:
        assert value not in text
