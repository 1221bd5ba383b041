"""SHR-2 (7), CMP-8: complaint handling reaches the feed; the complainant never does."""

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import nats
import pytest

from liandong_contracts import complaint_v1 as cmp
from liandong_contracts.cloudevents import to_headers
from liandong_contracts.samples import complaint
from tests.integration.sharing.conftest import Sharing, eventually, stream_messages
from tests.support import acting

READER = "town-beishan"


def private_text() -> tuple[str, str, str]:
    name, phone = "欧阳锦绣", f"139{random.randrange(10**8):08d}"
    return name, phone, f"投诉人{name}，联系电话{phone}，反映餐馆油烟直排"


def fresh(event: cmp.ComplaintEvent, complaint_id: str, **fields: Any) -> cmp.ComplaintEvent:
    now = datetime.now(UTC)
    return event.model_copy(update={"event_id": uuid.uuid4(), "complaint_id": complaint_id,
                                    "correlation_id": complaint_id, "occurred_at": now,
                                    **fields})


async def publish(url: str, event: cmp.ComplaintEvent, msg_id: str | None = None) -> None:
    headers = to_headers(event)
    if msg_id:
        headers["Nats-Msg-Id"] = msg_id  # a resend the duplicate window does not absorb
    async with await nats.connect(url) as nc:
        await nc.jetstream().publish(event.subject(), event.model_dump_json().encode(),
                                     headers=headers)


async def feed_items(sharing: Sharing, marker: str) -> list[dict[str, Any]]:
    answer = (await sharing.get("/feed", READER, after=0, limit=200)).json()
    items = answer["items"]
    while len(answer["items"]) == 200:
        answer = (await sharing.get("/feed", READER, after=answer["cursor"], limit=200)).json()
        items += answer["items"]
    return [i for i in items if marker in i["title"]]


@pytest.mark.rule("SHR-2")
@pytest.mark.rule("CMP-8")
async def test_complaint_steps_are_shared_without_the_complainants_identity(
        sharing: Sharing, nats_url: str) -> None:
    follow = await sharing.http.post("/subscriptions", json={"categories": [
        "complaint_handling"]}, headers=acting(READER))
    assert follow.status_code == 201
    name, phone, text = private_text()
    complaint_id = f"TS-{uuid.uuid4().hex[:10]}"
    samples = {type(e): e for e in complaint()}
    now = datetime.now(UTC)
    received = fresh(samples[cmp.ComplaintReceived], complaint_id, summary=text,
                     reference_no=f"12345-{complaint_id}", received_at=now - timedelta(minutes=9),
                     registered_at=now - timedelta(minutes=8))
    answered = fresh(samples[cmp.ComplainantAnswered], complaint_id, result=text)
    # the complaint service's events arrive on the bus, free text and all
    await publish(nats_url, received)
    await publish(nats_url, answered)
    items = await eventually(lambda: _both(feed_items(sharing, complaint_id)), timeout=30)
    by_title = {i["title"]: i for i in items}
    assert set(by_title) == {f"投诉举报受理 12345-{complaint_id}", f"投诉举报答复 {complaint_id}"}
    assert {i["category"] for i in items} == {"complaint_handling"}
    assert {i["audience"] for i in items} == {"all"}
    assert "12345政务服务便民热线" in by_title[f"投诉举报受理 12345-{complaint_id}"]["summary"]
    # a resend of the first event (new message id) publishes nothing more
    await publish(nats_url, received, msg_id=str(uuid.uuid4()))
    duplicates = {"subject": cmp.ComplaintReceived.subject()}
    await eventually(lambda: _counted(sharing, "liandong_messages_duplicate_total", duplicates))
    assert len(await feed_items(sharing, complaint_id)) == 2
    await sharing.settled()
    # on the bus: one InfoPublished per complaint event, in the handler's name
    messages = await stream_messages(nats_url)
    for cause in (received, answered):
        [shared] = [json.loads(m.data) for m in messages
                    if m.headers.get("ce-causationid") == str(cause.event_id)]
        formed_at = datetime.fromisoformat(shared["formed_at"])
        assert shared["actor"]["id"] == cause.actor.id and shared["audience"] == "all"
        assert abs(formed_at - cause.occurred_at) < timedelta(milliseconds=1)
    # CMP-8: neither the name nor the phone is anywhere in the stream or the database
    for message in messages:
        carried = message.data.decode() + json.dumps(message.headers, ensure_ascii=False)
        assert name not in carried and phone not in carried
    for collection in await sharing.rt.store.db.list_collection_names():
        for doc in await sharing.rt.store.db[collection].find().to_list():
            stored = json.dumps(doc, ensure_ascii=False, default=str)
            assert name not in stored and phone not in stored, collection


async def _both(found: Any) -> list[dict[str, Any]] | None:
    items = await found
    return items if len(items) == 2 else None


async def _counted(sharing: Sharing, metric: str, labels: dict[str, str]) -> bool:
    return (sharing.rt.registry.get_sample_value(metric, labels) or 0) >= 1
