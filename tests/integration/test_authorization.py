"""Nobody acts as someone else: every endpoint of every service, tried by every kind of
organisation and by callers without a valid token.

The five services run in this process on a NATS server of their own. The table below
walks each service through its life (a case found, transferred, accepted, ...). At each
step every caller who may not take it tries first: each must be refused (401, 403, 404,
or 422 naming the acting organisation) and together they must leave no trace (every
collection of every service and every stream as before). Then the permitted caller sends
the very same request and succeeds, so the refusals were about who asked. Reads are
checked the same way: a record is shown to its parties and to no one else.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest

from liandong_runtime import audit
from liandong_runtime.audit_seal import seal_all
from liandong_runtime.embedded import EmbeddedNats, free_port
from liandong_runtime.metrics import durables
from liandong_runtime.settings import MongoSettings, NatsSettings
from liandong_runtime.streams import PRODUCERS, stream_name
from liandong_runtime.tokens import Issuer
from tests.support import ISSUER, acting

SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")

# one organisation of every kind in the directory, and a bystander of the busiest kinds
KINDS = {
    "town-hexi": "township", "town-beishan": "township", "street-dongguan": "street_office",
    "dept-urban": "department", "dept-market": "department", "dept-ecology": "department",
    "dept-water": "department", "unit-urban-brigade": "affiliated_unit",
    "unit-market-hexi": "dispatched_unit", "unit-housing-construction": "internal_unit",
    "police-bureau": "public_security", "court": "court",
    "district-gov": "district_government",
}
ORGS = frozenset(KINDS)
# callers without a valid identity: each is refused everywhere
NO_TOKEN, FORGED, EXPIRED, OTHER_AUDIENCE, STRANGER = (
    "(no token)", "(forged)", "(expired)", "(other audience)", "(not in the directory)")
IMPOSTORS = frozenset({NO_TOKEN, FORGED, EXPIRED, OTHER_AUDIENCE, STRANGER})
EVERYONE = ORGS | IMPOSTORS
TOWNSHIPS = frozenset(o for o, k in KINDS.items() if k in ("township", "street_office"))
DEPARTMENTS = frozenset(o for o, k in KINDS.items() if k == "department")
GOV = "district-gov"


IMPOSTOR_HEADERS = {
    NO_TOKEN: {},
    **{caller: {"Authorization": f"Bearer {token}"} for caller, token in (
        (FORGED, Issuer.generate().issue("town-hexi", "mallory")),
        (EXPIRED, ISSUER.issue("town-hexi", "staff-1", ttl=timedelta(minutes=-5))),
        (OTHER_AUDIENCE, ISSUER.issue("town-hexi", "staff-1", aud="another-system")),
        (STRANGER, ISSUER.issue("dept-nowhere", "staff-1")))},
}


def headers_of(caller: str) -> dict[str, str]:
    return IMPOSTOR_HEADERS[caller] if caller in IMPOSTORS else acting(caller, "staff-1")


def soon(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


URL = "https://files.example/auth/"
MATERIALS = {"transfer_letter": URL + "letter.pdf", "case_source": [URL + "record.pdf"],
             "preliminary_evidence": [URL + "photo.jpg"]}
DOC = {"title": "函", "uri": URL + "doc.pdf"}
FORMED = soon(minutes=-5)  # when the delayed information was formed
COMPLAINANT = {"name": "欧阳测试", "phone": "13800002222"}


@dataclass(frozen=True)
class Step:
    """One request, the callers who may make it, and who must be refused."""

    service: str
    method: str
    path: str  # `{name}` is filled from the ids saved by earlier steps
    by: str  # the permitted caller who makes it
    body: Callable[[], Any] | None = None
    refused: frozenset[str] = EVERYONE  # minus `by` and `also`
    also: frozenset[str] = frozenset()  # permitted too, but not tried (they act as themselves)
    save: str | None = None  # the key of the answer's JSON holding a new id, kept by that name
    save_as: str | None = None  # or by this name
    shown_to: frozenset[str] | None = None  # a list: who finds `listed` in it
    listed: str | None = None
    who_fields: frozenset[str] = frozenset({"acting_org"})
    form: bool = False

    @property
    def name(self) -> str:
        return f"{self.service} {self.method} {self.path} by {self.by}"

    def callers(self) -> frozenset[str]:
        return self.refused - {self.by} - self.also


def creation(service: str, path: str, by: str, body: Callable[[], Any], save: str,
             refused: frozenset[str] = IMPOSTORS, **more: Any) -> Step:
    """Anyone may create as themselves: only those with no identity (or of the wrong
    kind, if `refused` says so) are refused."""
    return Step(service, "POST", path, by, body, refused=refused, save=save, **more)


def read(service: str, path: str, parties: frozenset[str]) -> Step:
    """A record only its parties see: everyone else is told it does not exist."""
    first = sorted(parties)[0]
    return Step(service, "GET", path, first, also=parties - {first})


def listing(service: str, path: str, listed: str, shown_to: frozenset[str]) -> Step:
    """A list everyone may ask for; `listed` appears in it for `shown_to` only."""
    return Step(service, "GET", path, sorted(shown_to)[0], refused=IMPOSTORS,
                shown_to=shown_to, listed=listed)


def ops(service: str) -> Step:
    return Step(service, "GET", "/dead-letters", GOV)


def finding() -> dict[str, Any]:
    return {"matter_code": "M-URB-009", "locality": "town-hexi", "found_at": soon(hours=-1),
            "summary": "无证建设"}


def own_case() -> dict[str, Any]:
    """JUR-3: urban management's own case on the matter it owns."""
    return {**finding(), "summary": "本局立案查处"}


def historical() -> dict[str, Any]:
    """REF-3: a road occupation of 2023, before the hand-over to the townships."""
    return {**finding(), "matter_code": "M-URB-001", "occurred_on": "2023-12-20",
            "summary": "占道经营历史遗留问题"}


def complaint() -> dict[str, Any]:
    return {"channel": "hotline_12345", "received_at": soon(minutes=-30),
            "matter_code": "M-URB-001", "locality": "town-hexi", "summary": "人行道被占用",
            "materials": [DOC], "complainant": COMPLAINANT}


def forward() -> dict[str, Any]:
    return {"matter_code": "M-URB-001", "locality": "town-hexi", "reason": "该事项已划转乡镇"}


def info(**more: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"category": "department_dynamic_info", "title": "检查简报",
                    "audience": ["town-hexi"], "formed_at": soon(minutes=-5), **more}


def whistle() -> dict[str, Any]:
    return {"kind": "whistle", "called": ["dept-urban", "dept-market"], "reason": "占道经营"}


PARTIES = {"case": frozenset({"town-hexi", "dept-urban", GOV}),
           "complaint": frozenset({"dept-urban", "town-hexi", GOV}),
           "request": frozenset({"town-hexi", "dept-market", GOV}),
           "call": frozenset({"town-hexi", "dept-urban", "dept-market", GOV}),
           "dispute": frozenset({"town-hexi", "dept-urban", GOV})}
CALLED = frozenset({"dept-urban", "dept-market"})

TABLE = [
    # referral: Hexi finds an urban-management matter; urban management owns it (REF-*, CRM-*)
    creation("referral", "/cases", "town-hexi", finding, "case_id"),
    creation("referral", "/cases", "town-hexi", finding, "case_id", save_as="second_case_id"),
    read("referral", "/cases/{case_id}", PARTIES["case"]),
    Step("referral", "POST", "/cases/{case_id}/ongoing", "town-hexi",
         lambda: {"stop_ordered_at": soon(minutes=-10), "summary": "已责令停止施工"}),
    listing("referral", "/cases/ongoing", "case_id", frozenset({"dept-urban"})),
    creation("referral", "/cases/own", "dept-urban", own_case, "case_id", save_as="own_case_id"),
    Step("referral", "POST", "/cases/{case_id}/ongoing/acknowledge", "dept-urban",
         lambda: {"case_id": "{own_case_id}"}),
    Step("referral", "POST", "/cases/{case_id}/transfer", "town-hexi",
         lambda: {"materials": MATERIALS}),
    listing("referral", "/cases/inbox", "case_id", frozenset({"dept-urban"})),
    Step("referral", "POST", "/cases/{second_case_id}/transfer", "town-hexi",
         lambda: {"materials": MATERIALS}),
    Step("referral", "POST", "/cases/{second_case_id}/refuse", "dept-urban",
         lambda: {"grounds": "materials", "reason": "缺少现场照片原件"}),
    listing("referral", "/cases/returned", "second_case_id", frozenset({"town-hexi"})),
    creation("referral", "/cases", "dept-urban", historical, "case_id", save_as="historical_id"),
    Step("referral", "POST", "/cases/{historical_id}/transfer", "dept-urban",
         lambda: {"materials": MATERIALS}),
    Step("referral", "POST", "/cases/{historical_id}/refuse", "town-hexi",
         lambda: {"grounds": "other", "reason": "不同意接收历史遗留案件"}),
    Step("referral", "POST", "/cases/{historical_id}/dispute", "town-hexi",
         lambda: {"reason": "应由区城市管理局继续办理"}, also=frozenset({"dept-urban"})),
    Step("referral", "POST", "/cases/{case_id}/accept", "dept-urban"),
    Step("referral", "POST", "/cases/{case_id}/crime", "dept-urban",
         lambda: {"grounds": "涉嫌非法占用农用地"}),
    Step("referral", "POST", "/cases/{case_id}/judiciary", "dept-urban",
         lambda: {"judicial_organ": "police-bureau", "materials": [URL + "file.pdf"]}),
    Step("referral", "POST", "/cases/{case_id}/judiciary/decision", "police-bureau",
         lambda: {"decision": "declined", "reason": "不构成犯罪"}),
    Step("referral", "POST", "/cases/{case_id}/close", "dept-urban",
         lambda: {"outcome": "administrative_penalty"}),
    ops("referral"),
    # complaint: urban management receives, forwards to Hexi, which answers (CMP-*)
    creation("complaint", "/complaints", "dept-urban", complaint, "complaint_id"),
    creation("complaint", "/complaints", "dept-urban", complaint, "complaint_id",
             save_as="contested_id"),
    read("complaint", "/complaints/{complaint_id}", PARTIES["complaint"]),
    listing("complaint", "/complaints/inbox", "complaint_id", frozenset({"dept-urban"})),
    Step("complaint", "POST", "/complaints/{complaint_id}/forward", "dept-urban", forward),
    Step("complaint", "POST", "/complaints/{complaint_id}/guidance", "dept-urban",
         lambda: {"guidance": "请现场拍照固定证据"}),
    # CMP-4/JUR-3: urban management names the case it accepted on a complaint it handles
    creation("complaint", "/complaints", "dept-urban", complaint, "complaint_id",
             save_as="own_complaint_id"),
    Step("complaint", "POST", "/complaints/{own_complaint_id}/case", "dept-urban",
         lambda: {"case_id": "{case_id}"}),
    Step("complaint", "POST", "/complaints/{contested_id}/forward", "dept-urban", forward),
    Step("complaint", "POST", "/complaints/{contested_id}/contest", "town-hexi",
         lambda: {"reason": "属城管直管路段"}),
    Step("complaint", "POST", "/complaints/{complaint_id}/verification", "town-hexi",
         lambda: {"outcome": "no_violation", "findings": "现场已无摊点"}),
    Step("complaint", "POST", "/complaints/{complaint_id}/answer", "town-hexi",
         lambda: {"result": "经核查现场已无占道"}),
    Step("complaint", "POST", "/complaints/{complaint_id}/feedback", "town-hexi",
         lambda: {"result": "经核查现场已无占道"}),
    Step("complaint", "POST", "/open311/v2/requests.json", "town-hexi", form=True,
         body=lambda: {"jurisdiction_id": "town-hexi", "service_code": "M-URB-006",
                       "description": "垃圾乱倒", "address_string": "河西镇幸福路"}),
    ops("complaint"),
    # sharing: ecology shares with Hexi only; Hexi subscribes (SHR-*)
    creation("sharing", "/info", "dept-ecology", info(), "info_id"),
    read("sharing", "/info/{info_id}", frozenset({"dept-ecology", "town-hexi"})),
    listing("sharing", "/info", "info_id", frozenset({"dept-ecology", "town-hexi"})),
    creation("sharing", "/info/delays", "dept-ecology",
             lambda: {"category": "department_dynamic_info", "title": "抽检结果",
                      "formed_at": FORMED, "reason": "检测报告未出",
                      "new_due_at": soon(days=5)}, "info_id",
             save_as="delayed_id"),
    Step("sharing", "POST", "/info", "dept-ecology",
         info(info_id="{delayed_id}", title="抽检结果", formed_at=FORMED)),
    # SHR-2: market supervision asks Hexi for its penalty decisions
    creation("sharing", "/info/requests", "dept-market",
             lambda: {"township": "town-hexi", "category": "township_penalty_decisions",
                      "title": "一季度处罚决定"}, "info_id", save_as="request_id",
             refused=IMPOSTORS | (ORGS - DEPARTMENTS)),
    listing("sharing", "/info/requests", "request_id", frozenset({"dept-market", "town-hexi"})),
    creation("sharing", "/subscriptions", "town-hexi", lambda: {}, "subscription_id"),
    listing("sharing", "/subscriptions", "subscription_id", frozenset({"town-hexi"})),
    listing("sharing", "/feed", "info_id", frozenset({"town-hexi"})),
    Step("sharing", "DELETE", "/subscriptions/{subscription_id}", "town-hexi"),
    ops("sharing"),
    # assistance: Hexi asks market supervision, blows the whistle, meets, supervises (AST, JNT)
    creation("assistance", "/requests", "town-hexi",
             lambda: {"kind": "identification", "receiver": "dept-market", "urgent": True,
                      "summary": "请协助鉴定涉案食品", "documents": [DOC]}, "request_id",
             refused=IMPOSTORS | (ORGS - TOWNSHIPS)),
    read("assistance", "/requests/{request_id}", PARTIES["request"]),
    listing("assistance", "/requests/inbox", "request_id", frozenset({"dept-market"})),
    listing("assistance", "/requests/outbox", "request_id", frozenset({"town-hexi"})),
    Step("assistance", "POST", "/requests/{request_id}/dispatch", "dept-market",
         lambda: {"staff_count": 2}),
    Step("assistance", "POST", "/requests/{request_id}/extension", "dept-market",
         lambda: {"new_due_at": soon(days=20), "reason": "需送省级机构检测"}),
    Step("assistance", "POST", "/requests/{request_id}/answer", "dept-market",
         lambda: {"answer": "answered", "documents": [DOC]}),
    creation("assistance", "/calls", "town-hexi", whistle, "call_id",
             refused=IMPOSTORS | (ORGS - TOWNSHIPS)),
    read("assistance", "/calls/{call_id}", PARTIES["call"]),
    listing("assistance", "/calls/inbox", "call_id", CALLED),
    Step("assistance", "POST", "/calls/{call_id}/answer", "dept-urban",
         lambda: {"answer": "reported"}, also=CALLED),
    Step("assistance", "POST", "/calls/{call_id}/dispatch", "dept-market",
         lambda: {"staff_count": 3}, also=CALLED),
    creation("assistance", "/meetings", "town-hexi",
             lambda: {"schedule": "ad_hoc", "held_at": soon(hours=-1), "topic": "联合整治",
                      "participants": ["town-hexi", "dept-urban"], "minutes": DOC},
             "meeting_id", refused=EVERYONE - {"dept-urban"},
             who_fields=frozenset({"acting_org", "participants"})),
    listing("assistance", "/meetings", "meeting_id", frozenset({"town-hexi", "dept-urban"})),
    creation("assistance", "/meeting-schedules", "town-hexi",
             lambda: {"topic": "月度联席会", "participants": ["town-hexi", "dept-urban"],
                      "every": "monthly", "first_at": soon(days=3)}, "schedule_id"),
    listing("assistance", "/meeting-schedules", "schedule_id",
            frozenset({"town-hexi", "dept-urban"})),
    creation("assistance", "/scheduled-meetings", "town-hexi",
             lambda: {"topic": "月度联席会", "participants": ["town-hexi", "dept-urban"],
                      "scheduled_at": soon(hours=-1)},
             "meeting_id", save_as="scheduled_meeting_id", refused=EVERYONE - {"dept-urban"},
             who_fields=frozenset({"acting_org", "participants"})),
    listing("assistance", "/scheduled-meetings", "scheduled_meeting_id",
            frozenset({"town-hexi", "dept-urban"})),
    Step("assistance", "PUT", "/liaisons/me", "dept-water",
         lambda: {"liaison_name": "钱多多", "role": "执法科科长"},
         refused=IMPOSTORS | (ORGS - DEPARTMENTS - TOWNSHIPS)),
    Step("assistance", "GET", "/liaisons", "town-hexi", refused=IMPOSTORS),
    creation("assistance", "/supervisions", "town-hexi",
             lambda: {"kind": "supervision", "about": "dept-urban", "text": "督促限期整改"},
             "supervision_id", refused=IMPOSTORS | (ORGS - TOWNSHIPS)),
    listing("assistance", "/supervisions", "supervision_id",
            frozenset({"town-hexi", "dept-urban"})),
    Step("assistance", "POST", "/supervisions/{supervision_id}/answer", "dept-urban",
         lambda: {"text": "已限期整改完毕"}),
    ops("assistance"),
    # escalation: Hexi and urban management dispute a matter; the government decides (DSP-*)
    creation("escalation", "/disputes", "town-hexi",
             lambda: {"other_party": "dept-urban", "matter_code": "M-AGR-002",
                      "subject_id": "case-auth", "reason": "两镇交界违建，归属有争议"},
             "dispute_id"),
    read("escalation", "/disputes/{dispute_id}", PARTIES["dispute"]),
    listing("escalation", "/disputes", "dispute_id", PARTIES["dispute"]),
    Step("escalation", "GET", "/deadlines/overdue", GOV, refused=IMPOSTORS),
    Step("escalation", "GET", "/deadlines", GOV, refused=IMPOSTORS),
    Step("escalation", "GET", "/notifications", GOV),
    Step("escalation", "GET", "/board/on-time", GOV),
    Step("escalation", "GET", "/catalogue-corrections", "town-hexi", refused=IMPOSTORS),
    Step("escalation", "POST", "/disputes/{dispute_id}/agreement", "dept-urban",
         lambda: {"owner": "dept-urban"}, also=frozenset({"town-hexi"})),
    Step("escalation", "POST", "/disputes/{dispute_id}/escalation", "town-hexi",
         also=frozenset({"dept-urban"})),
    Step("escalation", "POST", "/disputes/{dispute_id}/decision", GOV,
         lambda: {"owner": "town-hexi", "decision_ref": "区府决〔2026〕9号"}),
    ops("escalation"),
]


@dataclass
class District:
    apps: dict[str, Any]
    clients: dict[str, httpx.AsyncClient]
    nc: nats.NATS
    ids: dict[str, str] = field(default_factory=dict)

    async def send(self, step: Step, caller: str) -> httpx.Response:
        body = self._filled(step.body()) if step.body else None
        client, path = self.clients[step.service], step.path.format(**self.ids)
        if step.form:
            return await client.post(path, data=body, headers=headers_of(caller))
        return await client.request(step.method, path, json=body, headers=headers_of(caller))

    def _filled(self, value: Any) -> Any:
        if isinstance(value, str) and "{" in value:
            return value.format(**self.ids)
        if isinstance(value, dict):
            return {k: self._filled(v) for k, v in value.items()}
        return value

    async def settle(self, timeout: float = 20) -> None:
        """Nothing in flight: every outbox published, every consumer caught up."""
        js, deadline = self.nc.jetstream(), asyncio.get_running_loop().time() + timeout
        while True:
            busy = 0
            for app in self.apps.values():
                rt = app.state.runtime
                busy += await rt.store.db.outbox.count_documents(
                    {"pending_since": {"$exists": True}})
                busy += await rt.store.db[audit.JOURNAL].count_documents({})  # the sealer's
                for durable, stream in durables(rt.broker).items():
                    info = await js.consumer_info(stream, durable)
                    busy += info.num_pending + info.num_ack_pending
            if not busy:
                return
            assert asyncio.get_running_loop().time() < deadline, f"{busy} still in flight"
            await asyncio.sleep(0.05)

    async def trace(self) -> dict[str, Any]:
        """Every document of every service and the last sequence of every stream. Of the
        audit log, the entries of HTTP requests: what consumers and the watcher record
        meanwhile (a warning falling due) is not a trace of a refused request."""
        found: dict[str, Any] = {}
        for name, app in self.apps.items():
            db = app.state.runtime.store.db
            await seal_all(db)
            for collection in sorted(await db.list_collection_names()):
                if collection in (audit.HEAD, audit.JOURNAL):
                    continue
                wanted = ({"who.requested_by": {"$ne": None}}
                          if collection == audit.ENTRIES else {})
                found[f"{name}.{collection}"] = await db[collection].find(wanted).sort(
                    "_id").to_list()
        js = self.nc.jetstream()
        for producer in PRODUCERS:
            found[stream_name(producer)] = (await js.stream_info(stream_name(producer))
                                            ).state.last_seq
        return found


def is_refusal(step: Step, answer: httpx.Response) -> bool:
    if answer.status_code in (401, 403, 404):
        return True
    if answer.status_code != 422:
        return False
    body = answer.json()  # a rule refusing on who asks: the field names the actor
    return isinstance(body, dict) and bool(body.get("rule")) and body.get("field") in (
        step.who_fields)


@pytest.fixture(scope="module")
async def district(servers: dict[str, str]) -> AsyncIterator[District]:
    root = Path(servers["root"]) / f"authz-{uuid.uuid4().hex[:6]}"
    broker = EmbeddedNats("nats-authz", free_port(), root / "nats").start()
    run, apps, clients = uuid.uuid4().hex[:8], {}, {}
    try:
        async with AsyncExitStack() as stack:
            for name in SERVICES:
                bootstrap = import_module(f"{name}.bootstrap")
                settings_class = next(v for k, v in vars(bootstrap).items()
                                      if k.endswith("Settings") and k != "ServiceSettings")
                apps[name] = app = bootstrap.build_app(settings_class(
                    nats=NatsSettings(url=broker.url),
                    mongodb=MongoSettings(url=servers["MONGODB_URL"],
                                          database=f"liandong_authz_{name}_{run}"),
                    outbox_poll_s=0.05))
                await stack.enter_async_context(app.router.lifespan_context(app))
                clients[name] = await stack.enter_async_context(httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://t"))
            nc = await nats.connect(broker.url)
            stack.push_async_callback(nc.close)
            yield District(apps, clients, nc)
    finally:
        broker.stop()


@pytest.mark.parametrize("step", TABLE, ids=[step.name for step in TABLE])
async def test_only_the_permitted_caller_acts_and_refusals_leave_no_trace(
        district: District, step: Step) -> None:
    await district.settle()
    before = await district.trace()
    answers = {caller: await district.send(step, caller) for caller in sorted(step.callers())}
    wrongly_let_through = {caller: f"{answer.status_code} {answer.text[:160]}"
                           for caller, answer in answers.items()
                           if not is_refusal(step, answer)}
    assert not wrongly_let_through, f"{step.name}: not refused: {wrongly_let_through}"
    unclear = {c: a.text for c, a in answers.items() if not a.text or a.status_code == 500}
    assert not unclear, f"refusals that say nothing: {unclear}"
    await district.settle()
    after = await district.trace()
    changed = sorted(key for key in before.keys() | after.keys()
                     if before.get(key) != after.get(key))
    assert not changed, f"{step.name}: refused attempts changed {changed}"

    if step.listed is not None:
        for org in sorted(ORGS):
            answer = await district.send(step, org)
            assert answer.status_code == 200, (org, answer.text)
            shown = district.ids[step.listed] in answer.text
            assert shown == (org in step.shown_to), (
                f"{step.name}: {step.listed} {'shown to' if shown else 'hidden from'} {org}")
        return
    if step.method == "GET":  # the other parties of a record read it too
        for party in sorted(step.also):
            answer = await district.send(step, party)
            assert answer.status_code == 200, (party, answer.text)
    answer = await district.send(step, step.by)
    assert answer.status_code < 300, f"{step.name}: the permitted caller: {answer.text}"
    if step.save:
        saved = answer.json()[0] if step.form else answer.json()
        district.ids[step.save_as or step.save] = saved[step.save]


def test_the_table_covers_every_endpoint_that_needs_a_token() -> None:
    """A new endpoint fails this test until the table says who may use it."""
    tried = {(step.service, step.method, step.path.replace("{", "").replace("}", ""))
             for step in TABLE}
    for name in SERVICES:
        app = import_module(f"{name}.bootstrap").build_app()
        for path, operations in app.openapi()["paths"].items():
            for method, operation in operations.items():
                if operation.get("security"):
                    template = "/".join(p if not p.startswith("{") else p.strip("{}")
                                        for p in path.split("/"))
                    assert any(s == name and m == method.upper() and
                               _same(template, p) for s, m, p in tried), (
                        f"{name} {method.upper()} {path} is not in the table")


def _same(template: str, tried: str) -> bool:
    """`/cases/case_id/accept` matches `/cases/second_case_id/accept`: ids are names."""
    a, b = template.split("/"), tried.split("/")
    return len(a) == len(b) and all(x == y or (x.endswith("_id") and y.endswith("_id"))
                                    for x, y in zip(a, b, strict=True))


async def test_only_the_token_says_who_acts(district: District) -> None:
    """Headers of the old scheme naming someone else are ignored: the case is Hexi's, and
    the audit log names the token's person."""
    headers = {**acting("town-hexi", "staff-042"), "X-Acting-Org": "dept-urban",
               "X-Acting-Person": "the-director"}
    answer = await district.clients["referral"].post("/cases", json=finding(), headers=headers)
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["case_id"]
    case = await district.clients["referral"].get(f"/cases/{case_id}",
                                                  headers=acting("town-hexi"))
    assert case.json()["finder_id"] == "town-hexi"
    db = district.apps["referral"].state.runtime.store.db
    await seal_all(db)
    [entry] = await db[audit.ENTRIES].find({"correlation_ids": case_id}).to_list()
    assert entry["who"]["actors"] == [{"org": "town-hexi", "kind": "township",
                                       "person": "staff-042"}]
    assert entry["who"]["requested_by"] == {"org": "town-hexi", "person": "staff-042"}


async def test_a_change_that_emits_no_event_is_audited_with_who_asked(
        district: District) -> None:
    answer = await district.clients["sharing"].post(
        "/subscriptions", json={"categories": ["law_changes"]},
        headers=acting("street-dongguan", "staff-9"))
    assert answer.status_code == 201, answer.text
    db = district.apps["sharing"].state.runtime.store.db
    await seal_all(db)
    last = await db[audit.ENTRIES].find().sort("_id", -1).limit(1).to_list()
    assert last[0]["what"] == [] and last[0]["who"] == {
        "actors": [], "consumer": None,
        "requested_by": {"org": "street-dongguan", "person": "staff-9"}}
