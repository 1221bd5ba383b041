"""Commands over NATS beyond referral: a township registers a complaint and asks for
assistance, a department answers it, each by request-reply in its own name, served by
the same service methods and refused as over HTTP; the complainant never reaches the bus."""

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from importlib import import_module
from typing import Any

import httpx
import pytest

from liandong_client import Accepted, Delivery, OrgClient, Refusal
from liandong_contracts import complaint_v1 as cmp
from liandong_runtime.settings import MongoSettings, NatsSettings
from tests.support import acting, eventually

pytestmark = pytest.mark.integration
TOWN, URBAN, MARKET = "town-hexi", "dept-urban", "dept-market"
PERSON = {"name": "司马相如测", "phone": "13700001111", "id_number": "110105199001011234",
          "address": "北山乡杏花村九号院", "email": "xiangru.test@example.cn"}
LETTER = {"title": "协助函", "uri": "https://files.example/ast/letter.pdf"}
OPINION = {"title": "鉴定意见", "uri": "https://files.example/ast/opinion.pdf"}


def complaint() -> dict[str, Any]:
    return {"channel": "hotline_12345",
            "received_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(),
            "matter_code": "M-URB-009", "locality": TOWN,
            "summary": "幸福路人行道被摊点长期占用",
            "materials": [{"title": "举报信", "uri": "https://files.example/cmp/letter.pdf"}],
            "complainant": PERSON}


@pytest.fixture(scope="module")
async def apps(guarded, servers: dict[str, str]) -> AsyncIterator[dict[str, Any]]:
    server, passwords = guarded
    run = uuid.uuid4().hex[:8]
    async with AsyncExitStack() as stack:
        out: dict[str, Any] = {}
        for name in ("complaint", "assistance"):
            bootstrap = import_module(f"{name}.bootstrap")
            settings_class = getattr(bootstrap, f"{name.capitalize()}Settings")
            app = bootstrap.build_app(settings_class(
                nats=NatsSettings(url=server.url, user=name, password=passwords[name]),
                mongodb=MongoSettings(url=servers["MONGODB_URL"],
                                      database=f"liandong_cmds_{name}_{run}"),
                outbox_poll_s=0.05))
            await stack.enter_async_context(app.router.lifespan_context(app))
            out[name] = await stack.enter_async_context(httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://t"))
        for org in (TOWN, URBAN, MARKET):
            out[org] = await OrgClient.connect(server.url, org, password=passwords[org])
            stack.push_async_callback(out[org].close)
        yield out


@pytest.mark.rule("CMP-8")
async def test_a_complaint_registered_over_nats_reaches_the_owner_without_the_complainant(
        apps: dict[str, Any]) -> None:
    town: OrgClient = apps[TOWN]
    command_id = f"cmp-{uuid.uuid4().hex}"
    registered = await town.command("complaint", "register", input=complaint(),
                                    command_id=command_id)
    assert isinstance(registered, Accepted) and registered.status == 201, registered
    complaint_id = registered.result["complaint_id"]
    again = await town.command("complaint", "register", input=complaint(),
                               command_id=command_id)
    assert again == registered  # the same complaint, not a second one
    seen = await apps["complaint"].get(f"/complaints/{complaint_id}", headers=acting(TOWN))
    assert seen.status_code == 200, seen.text
    got: list[Delivery] = []
    async with apps[URBAN].events(slot=3, only="complaint.>") as events:
        async def received() -> bool:
            for item in await events.fetch(timeout=0.5):
                assert isinstance(item, Delivery)
                await item.msg.ack()
                got.append(item)
            return any(d.event.correlation_id == complaint_id for d in got)
        await eventually(received, what="the owner receives the complaint")
    mine = [d for d in got if d.event.correlation_id == complaint_id]
    assert isinstance(mine[0].event, cmp.ComplaintReceived)
    for delivery in mine:
        text = delivery.msg.data.decode()
        assert all(value not in text for value in PERSON.values())
    bad = await town.command("complaint", "register", input={**complaint(), "channel": "x"})
    assert isinstance(bad, Refusal) and (bad.status, bad.field) == (422, "input.channel")


@pytest.mark.rule("AST-1")
async def test_an_assistance_request_is_asked_and_answered_over_nats(
        apps: dict[str, Any]) -> None:
    town, market = apps[TOWN], apps[MARKET]
    asked = await town.command("assistance", "request", input={
        "kind": "identification", "receiver": MARKET, "summary": "请协助鉴定涉案食品",
        "documents": [LETTER]})
    assert isinstance(asked, Accepted) and asked.status == 201, asked
    request_id = asked.result["request_id"]
    not_receiver = await town.command("assistance", "answer", id=request_id,
                                      input={"answer": "answered", "documents": [OPINION]})
    over_http = await apps["assistance"].post(f"/requests/{request_id}/answer",
                                              json={"answer": "answered",
                                                    "documents": [OPINION]},
                                              headers=acting(TOWN))
    assert isinstance(not_receiver, Refusal)
    assert (not_receiver.status, not_receiver.field) == (
        over_http.status_code, over_http.json().get("field"))
    answered = await market.command("assistance", "answer", id=request_id,
                                    input={"answer": "answered", "documents": [OPINION]})
    assert answered == Accepted(202, {}), answered
    seen = (await apps["assistance"].get(f"/requests/{request_id}",
                                         headers=acting(TOWN))).json()
    assert seen["status"] == "answered", json.dumps(seen)[:300]
