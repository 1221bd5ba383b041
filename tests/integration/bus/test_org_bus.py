"""Every organisation on the bus, with exactly its own view: on a NATS server run with the
generated users (services, operator, one per organisation of the directory), the referral
service in-process logged in as itself, and organisations' systems logged in as
themselves through `liandong_client`.
"""

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import nats
import pytest
from nats.js.api import ConsumerConfig

from liandong_client import Accepted, Delivery, OrgClient, Refusal
from liandong_contracts import referral_v1 as ref
from liandong_runtime.addressing import ADDRESSED_STREAM
from liandong_runtime.embedded import EmbeddedNats
from liandong_runtime.runtime import Runtime
from liandong_runtime.settings import MongoSettings, NatsSettings
from referral.bootstrap import ReferralSettings, build_app
from tests.support import acting, eventually

pytestmark = pytest.mark.integration
TOWN, URBAN, MARKET = "town-hexi", "dept-urban", "dept-market"
MATERIALS = {"transfer_letter": "https://files.example/letter.pdf",
             "case_source": ["https://files.example/record.pdf"],
             "preliminary_evidence": ["https://files.example/photo.jpg"]}
Guarded = tuple[EmbeddedNats, dict[str, str]]


def finding(summary: str = "无证建设") -> dict[str, Any]:
    return {"matter_code": "M-URB-009", "locality": TOWN, "urgent": False,
            "found_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 60)),
            "summary": summary}


@dataclass
class District:
    rt: Runtime
    http: httpx.AsyncClient
    orgs: dict[str, OrgClient]
    guarded: Guarded

    async def settled(self) -> None:
        async def none_pending() -> bool:
            return await self.rt.store.db.outbox.count_documents(
                {"pending_since": {"$exists": True}}) == 0
        await eventually(none_pending, what="outbox empty")

    async def events_of(self, case_id: str) -> list[str]:
        docs = await self.rt.store.db.outbox.find({"headers.ce-subject": case_id}).to_list()
        return [doc["_id"] for doc in docs]


@pytest.fixture(scope="module")
async def district(guarded: Guarded, servers: dict[str, str]) -> AsyncIterator[District]:
    server, passwords = guarded
    app = build_app(ReferralSettings(
        nats=NatsSettings(url=server.url, user="referral", password=passwords["referral"]),
        mongodb=MongoSettings(url=servers["MONGODB_URL"],
                              database=f"liandong_orgbus_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05))
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(app.router.lifespan_context(app))
        http = await stack.enter_async_context(httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"))
        orgs = {}
        for org in (TOWN, URBAN, MARKET):
            orgs[org] = await OrgClient.connect(server.url, org, password=passwords[org])
            stack.push_async_callback(orgs[org].close)
        yield District(app.state.runtime, http, orgs, guarded)


async def transferred_case(d: District, summary: str = "无证建设") -> str:
    town = d.orgs[TOWN]
    recorded = await town.command("referral", "record_finding", input=finding(summary))
    assert isinstance(recorded, Accepted) and recorded.status == 201, recorded
    case_id = str(recorded.result["case_id"])
    moved = await town.command("referral", "transfer", id=case_id,
                               input={"materials": MATERIALS})
    assert moved == Accepted(202, {}), moved
    return case_id


async def drain(client: OrgClient, slot: int, until: int, timeout: float = 20) -> list[Delivery]:
    """What the organisation's durable `slot` delivers until `until` events came (acked)."""
    got: list[Delivery] = []
    deadline = asyncio.get_running_loop().time() + timeout
    async with client.events(slot) as events:
        while len(got) < until and asyncio.get_running_loop().time() < deadline:
            for item in await events.fetch(timeout=0.5):
                assert isinstance(item, Delivery), item
                await item.msg.ack()
                got.append(item)
        for item in await events.fetch(timeout=0.5):  # nothing more than expected
            assert isinstance(item, Delivery)
            await item.msg.ack()
            got.append(item)
    return got


@pytest.mark.rule("REF-4")
async def test_each_organisation_receives_exactly_the_events_addressed_to_it(
        district: District) -> None:
    case_id = await transferred_case(district)
    await district.settled()
    urban = [d for d in await drain(district.orgs[URBAN], 1, 2) if d.event.correlation_id
             == case_id]
    town = [d for d in await drain(district.orgs[TOWN], 1, 2) if d.event.correlation_id
            == case_id]
    assert [type(d.event) for d in urban] == [ref.FindingRecorded, ref.CaseTransferred]
    assert [type(d.event) for d in town] == [ref.FindingRecorded, ref.CaseTransferred]
    assert urban[1].event.receiver.id == URBAN  # type: ignore[attr-defined]
    market = await drain(district.orgs[MARKET], 1, 0, timeout=1)
    assert not [d for d in market if d.event.correlation_id == case_id]
    # the copy is the event as published, byte for byte (CMP-8 holds as on the services' streams)
    for delivery in urban:
        doc = await district.rt.store.db.outbox.find_one({"_id": str(delivery.event.event_id)})
        assert doc is not None and delivery.msg.data == doc["body"]
        assert delivery.msg.headers["ce-id"] == doc["headers"]["ce-id"]


@pytest.mark.rule("REF-7")
async def test_a_command_over_nats_is_refused_as_over_http_with_rule_and_field(
        district: District) -> None:
    town = district.orgs[TOWN]
    recorded = await town.command("referral", "record_finding", input=finding())
    assert isinstance(recorded, Accepted)
    case_id = recorded.result["case_id"]
    before = await district.events_of(case_id)
    incomplete = {"materials": {**MATERIALS, "preliminary_evidence": []}}
    over_nats = await town.command("referral", "transfer", id=case_id, input=incomplete)
    over_http = await district.http.post(f"/cases/{case_id}/transfer", json=incomplete,
                                         headers=acting(TOWN))
    assert over_http.status_code == 422
    assert over_nats == Refusal(422, over_http.json()["detail"], over_http.json()["field"],
                                over_http.json()["rule"])
    assert over_nats.rule == "REF-7" and over_nats.field == "materials.preliminary_evidence"
    # the acting organisation is the credential's: dept-urban may not transfer the town's case
    not_finder = await district.orgs[URBAN].command("referral", "transfer", id=case_id,
                                                    input={"materials": MATERIALS})
    assert isinstance(not_finder, Refusal) and not_finder.status == 403
    bad = await town.command("referral", "record_finding", input={**finding(), "summary": ""})
    assert isinstance(bad, Refusal) and (bad.status, bad.field) == (422, "input.summary")
    # no field of a message names the actor: one that tries is refused
    forged = await town.nc.request("liandong.cmd.town-hexi.referral.accept", json.dumps(
        {"command_id": "forged-1", "id": case_id, "org": URBAN}).encode(), timeout=5)
    assert json.loads(forged.data) | {"detail": ""} == {
        "ok": False, "status": 422, "field": "org", "detail": ""}
    no_id = await town.command("referral", "accept")
    assert isinstance(no_id, Refusal) and (no_id.status, no_id.field) == (422, "id")
    unknown = await town.command("referral", "delete_everything", id=case_id)
    assert isinstance(unknown, Refusal) and (unknown.status, unknown.field) == (404, "command")
    await district.settled()
    assert await district.events_of(case_id) == before


@pytest.mark.rule("REF-9")
async def test_a_command_id_repeated_gets_the_first_answer_and_changes_nothing(
        district: District) -> None:
    case_id = await transferred_case(district)
    urban = district.orgs[URBAN]
    first = await urban.command("referral", "accept", id=case_id, command_id=f"acc-{case_id}")
    assert first == Accepted(202, {})
    await district.settled()
    events = await district.events_of(case_id)
    again = await asyncio.gather(*(urban.command("referral", "accept", id=case_id,
                                                 command_id=f"acc-{case_id}") for _ in range(3)))
    assert again == [first] * 3
    fresh = await urban.command("referral", "accept", id=case_id)  # a new id runs: too late
    assert isinstance(fresh, Refusal) and (fresh.status, fresh.field) == (409, "status")
    other = await urban.command("referral", "refuse", id=case_id, command_id=f"acc-{case_id}",
                                input={"grounds": "other", "reason": "x"})
    assert isinstance(other, Refusal) and other.field == "command_id"
    await district.settled()
    assert await district.events_of(case_id) == events
    case = await district.http.get(f"/cases/{case_id}", headers=acting(URBAN))
    assert case.json()["status"] == "accepted"


async def test_a_consumer_stopped_for_a_while_catches_up_in_order(district: District) -> None:
    market = district.orgs[MARKET]
    await drain(market, 2, 0, timeout=1)  # its durable exists, then it goes away
    cases = [await transferred_case(district, f"第{n}件") for n in range(3)]
    await district.settled()
    got = [d for d in await drain(district.orgs[URBAN], 2, 0, timeout=2)
           if d.event.correlation_id in cases]
    assert [(d.event.correlation_id, type(d.event)) for d in got] == [
        (case, kind) for case in cases for kind in (ref.FindingRecorded, ref.CaseTransferred)]
    assert [d.sequence for d in got] == sorted(d.sequence for d in got)


async def refused_request(nc: nats.NATS, refusals: list[str], subject: str,
                          payload: bytes = b"") -> None:
    with pytest.raises(nats.errors.TimeoutError):
        await nc.request(subject, payload, timeout=1)
    told = f'permissions violation for publish to "{subject.lower()}"'
    await eventually(lambda: asyncio.sleep(0, any(r.endswith(told) for r in refusals)),
                     timeout=5, what=told)


async def test_an_organisation_reads_and_sends_nothing_of_anothers(district: District) -> None:
    await transferred_case(district)
    await district.settled()
    server, passwords = district.guarded
    refusals: list[str] = []

    async def on_error(exc: Exception) -> None:
        refusals.append(str(exc).lower())

    nc = await nats.connect(server.url, user=MARKET, password=passwords[MARKET],
                            inbox_prefix=f"_INBOX_{MARKET}", error_cb=on_error)
    try:
        api = "$JS.API"
        town_filter = "liandong.to.town-hexi.>"
        # another's durable: create, inspect, fetch from
        await refused_request(nc, refusals, f"{api}.CONSUMER.CREATE.{ADDRESSED_STREAM}."
                              f"town-hexi-1.{town_filter}")
        await refused_request(nc, refusals, f"{api}.CONSUMER.INFO.{ADDRESSED_STREAM}.town-hexi-1")
        await refused_request(nc, refusals,
                              f"{api}.CONSUMER.MSG.NEXT.{ADDRESSED_STREAM}.town-hexi-1")
        # its own durable name, another's subjects as the filter
        await refused_request(nc, refusals, f"{api}.CONSUMER.CREATE.{ADDRESSED_STREAM}."
                              f"{MARKET}-3.{town_filter}")
        # its own name and filter in the subject, another's in the request: the server refuses
        config = ConsumerConfig(name=f"{MARKET}-3", durable_name=f"{MARKET}-3",
                                filter_subject=town_filter)
        answer = await nc.request(
            f"{api}.CONSUMER.CREATE.{ADDRESSED_STREAM}.{MARKET}-3.liandong.to.{MARKET}.>",
            json.dumps({"stream_name": ADDRESSED_STREAM, "config": config.as_dict()}).encode(),
            timeout=2)
        assert json.loads(answer.data)["error"]["err_code"] == 10131, answer.data  # mismatch
        # an ephemeral or unfiltered consumer, the old durable API: no subject for them
        await refused_request(nc, refusals, f"{api}.CONSUMER.CREATE.{ADDRESSED_STREAM}")
        await refused_request(nc, refusals,
                              f"{api}.CONSUMER.DURABLE.CREATE.{ADDRESSED_STREAM}.{MARKET}-3")
        # the services' streams, directly
        await refused_request(nc, refusals, f"{api}.STREAM.INFO.LIANDONG_REFERRAL")
        await refused_request(nc, refusals, f"{api}.STREAM.MSG.GET.LIANDONG_REFERRAL")
        await refused_request(nc, refusals, f"{api}.CONSUMER.CREATE.LIANDONG_REFERRAL")
        await refused_request(nc, refusals, f"{api}.STREAM.INFO.{ADDRESSED_STREAM}")
        # another's commands, and events in a service's name
        await refused_request(nc, refusals, "liandong.cmd.town-hexi.referral.accept", b"{}")
        await refused_request(nc, refusals, "liandong.to.dept-market.referral.case_closed.v1")
        # core subscriptions to anything but its own replies
        for subject in ("liandong.to.town-hexi.>", "liandong.referral.>",
                        "liandong.cmd.*.referral.>", "_INBOX_town-hexi.>", ">"):
            await nc.subscribe(subject)
            told = f'permissions violation for subscription to "{subject.lower()}"'
            await eventually(lambda told=told: asyncio.sleep(
                0, any(r.endswith(told) for r in refusals)), timeout=5, what=told)
    finally:
        await nc.close()
    # nothing of the town's came its way through what it may use
    mine = await drain(district.orgs[MARKET], 1, 0, timeout=1)
    assert all(d.event.actor.id != TOWN for d in mine)


async def test_each_service_serves_an_organisations_asyncapi_document(
        district: District) -> None:
    answer = await district.http.get(f"/asyncapi/orgs/{URBAN}.json")
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    addresses = {channel["address"] for channel in doc["channels"].values()}
    assert "liandong.to.dept-urban.referral.case_transferred.v1" in addresses
    assert "liandong.cmd.dept-urban.referral.accept" in addresses
    assert not [a for a in addresses if "town-hexi" in a]
    transfer = doc["components"]["schemas"]["Command_transfer"]
    assert "id" in transfer["required"] and transfer["properties"]["input"] == {
        "$ref": "#/components/schemas/TransferIn"}
    assert doc["operations"]["send.cmd.referral.accept"]["reply"]
    assert (await district.http.get("/asyncapi/orgs/nobody.json")).status_code == 404
