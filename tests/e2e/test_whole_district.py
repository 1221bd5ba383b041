"""One day in the whole district: five services as processes, their own NATS and database.

The day: a complaint forwarded from a department to a township and answered; a case
transferred, refused into a dispute that the district government decides; an assistance
request extended in time and one missed; a whistle call one department ignores;
information shared late with and without a reason; a suspected crime transferred to the
police and declined back. At the end, every expected district-government notification
arrived exactly once, nothing else did, and the complainant's personal data is in no
event and no log.

The district runs on servers of its own so that "nothing else" means exactly that.
Short limits stand in for the working days: LIMITS is the same for every service.
"""

import asyncio
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import httpx
import nats
import pytest

from liandong_runtime import nats_permissions
from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, free_port
from tests.e2e.conftest import Service
from tests.support import acting, poll

LIMITS = {"DSP-1": "4s", "AST-1": "5s", "JNT-6": "4s", "SHR-4": "8s"}
FIVE = ("referral", "complaint", "sharing", "assistance", "escalation")
COMPLAINANT = {"name": "王秀兰", "phone": "13912345678", "id_number": "110105194912310021",
               "address": "河西镇幸福里3号楼2单元"}
TOWN, URBAN, MARKET = "town-hexi", "dept-urban", "dept-market"
GOV, POLICE = "district-gov", "police-bureau"
DOC = {"title": "书面材料", "uri": "https://files.example/doc.pdf"}
MATERIALS = {"transfer_letter": "https://files.example/letter.pdf",
             "case_source": ["https://files.example/record.pdf"],
             "preliminary_evidence": ["https://files.example/photo.jpg"]}


def now(delta: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + delta).isoformat()


class District:
    def __init__(self, urls: dict[str, str]) -> None:
        self.urls, self.http = urls, httpx.Client(timeout=15)

    def call(self, method: str, service: str, path: str, org: str, body: object = None,
             expect: int = 200) -> dict:
        answer = self.http.request(method, self.urls[service] + path, json=body,
                                   headers=acting(org, "staff-1"))
        assert answer.status_code == expect, f"{method} {service}{path}: {answer.text}"
        return answer.json() if answer.content else {}

    def post(self, service: str, path: str, org: str, body: object = None,
             expect: int = 202) -> dict:
        return self.call("POST", service, path, org, body, expect)

    def get(self, service: str, path: str, org: str = GOV) -> dict:
        return self.call("GET", service, path, org)


@pytest.fixture(scope="module")
def district() -> Iterator[tuple[District, str, list[Service]]]:
    root = Path(tempfile.mkdtemp(prefix="liandong-district-"))
    # NATS as `make run` has it: each service its own user, allowed what it needs, no more
    grants = nats_permissions.declaration()
    passwords = nats_permissions.new_passwords(grant.user for grant in grants)
    nats_server = EmbeddedNats("nats", free_port(), root / "nats", authorization=(
        nats_permissions.authorization(grants, passwords))).start()
    mongo = EmbeddedMongo("secantus", free_port(), root / "secantus").start()
    env = {"NATS_URL": nats_server.url, "MONGODB_URL": mongo.url, "LOG_LEVEL": "DEBUG",
           "LIMITS": json.dumps(LIMITS), "WATCH_INTERVAL_S": "0.3", "OUTBOX_POLL_S": "0.1"}
    services = [Service(name, {**env, "MONGODB_DATABASE": f"liandong_{name}", "NATS_USER": name,
                               "NATS_PASSWORD": passwords[name]},
                        root / f"{name}.log") for name in FIVE]
    operator = f"nats://operator:{passwords['operator']}@127.0.0.1:{nats_server.port}"
    try:
        for service in services:
            wait_ready(service.port, service.process, timeout=60)
        yield District({s.name: s.url for s in services}), operator, services
    finally:
        for service in services:
            service.stop()
            print(f"--- {service.name} log ---\n"
                  f"{service.log.read_text(errors='replace')[-2500:]}")
        mongo.stop()
        nats_server.stop()
        refused = [line for line in nats_server.log_file.read_text().splitlines()
                   if "Violation" in line]
        shutil.rmtree(root, ignore_errors=True)
        assert not refused, "NATS refused what a service needs:\n" + "\n".join(refused[:20])


@pytest.mark.rule("CMP-6")
@pytest.mark.rule("CMP-7")
@pytest.mark.rule("CMP-8")
@pytest.mark.rule("DSP-2")
@pytest.mark.rule("AST-3")
@pytest.mark.rule("JNT-6")
@pytest.mark.rule("SHR-4")
@pytest.mark.rule("CRM-3")
@pytest.mark.rule("ESC-1")
def test_a_day_in_the_district_notifies_exactly_what_was_missed(district) -> None:
    d, nats_url, services = district
    # Declared first: the delayed information's ordinary limit must not have passed yet
    delayed = d.post("sharing", "/info/delays", MARKET, {
        "category": "department_dynamic_info", "title": "11月市场巡查简报", "formed_at": now(),
        "reason": "巡查记录尚在汇总", "new_due_at": now(timedelta(hours=2))}, expect=201)
    missed_request, ignored_call = _assistance_and_whistle(d)
    complaint_id = _complaint_forwarded_and_answered(d)
    case_id = _case_refused_into_a_dispute(d)
    crime_case = _crime_declined_back(d)
    late_info = _information_shared_late(d, delayed["info_id"])
    _the_district_government_decides(d, case_id)

    expected = {("DSP-1", TOWN, case_id), ("DSP-1", URBAN, case_id),  # both parties (DSP-1)
                ("AST-1", URBAN, missed_request),
                ("JNT-6", URBAN, ignored_call), ("SHR-4", MARKET, late_info)}
    poll(lambda: len(_notices(d)) >= len(expected), what="every expected notice")
    time.sleep(3)  # every chance for a duplicate or a stray notice to appear
    notices = _notices(d)
    assert sorted((n["rule"], n["responsible"]["id"], n["correlation_id"]) for n in notices) \
        == sorted(expected)
    assert sorted(asyncio.run(_notified_in_stream(nats_url))) == sorted(n["_id"] for n in notices)
    assert complaint_id and crime_case
    _no_personal_data_anywhere(nats_url, services)


def _assistance_and_whistle(d: District) -> tuple[str, str]:
    """AST-1/AST-3: one request extended before its limit and answered; one left unanswered.
    JNT-6: a whistle to two departments, one of which never reports."""
    ask = {"kind": "technical_support", "receiver": URBAN, "summary": "请协助测量违建面积",
           "documents": [DOC]}
    extended = d.post("assistance", "/requests", TOWN, ask, expect=201)["request_id"]
    d.post("assistance", f"/requests/{extended}/extension", URBAN,
           {"new_due_at": now(timedelta(hours=3)), "reason": "需委托测绘单位"})
    missed = d.post("assistance", "/requests", TOWN, ask, expect=201)["request_id"]
    call = d.post("assistance", "/calls", TOWN, {
        "kind": "whistle", "called": [MARKET, URBAN],
        "reason": "集贸市场周边占道经营与无证摊点反复出现"}, expect=201)["call_id"]
    d.post("assistance", f"/calls/{call}/answer", MARKET, {"answer": "reported", "reason": ""})
    time.sleep(5.5)  # past the original AST-1 limit: the extension holds the first request
    d.post("assistance", f"/requests/{extended}/answer", URBAN,
           {"answer": "answered", "reason": "", "documents": [DOC]})
    return missed, call


def _complaint_forwarded_and_answered(d: District) -> str:
    """CMP-6/CMP-7: the department receives a township's complaint, forwards it, and is fed
    back the result; the complainant is answered."""
    complaint = d.post("complaint", "/complaints", URBAN, {
        "channel": "phone", "received_at": now(timedelta(minutes=-5)), "matter_code": "M-URB-001",
        "locality": TOWN, "summary": "河西镇商业街有商户长期占道经营",
        "complainant": COMPLAINANT}, expect=201)
    cid = complaint["complaint_id"]
    d.post("complaint", f"/complaints/{cid}/forward", URBAN, {
        "matter_code": "M-URB-001", "locality": TOWN, "reason": "占道经营处罚已划转乡镇"})
    d.post("complaint", f"/complaints/{cid}/verification", TOWN,
           {"outcome": "no_violation", "findings": "现场核实时占道物品已清理"})
    d.post("complaint", f"/complaints/{cid}/answer", TOWN, {"result": "经核实已整改，将持续巡查"})
    d.post("complaint", f"/complaints/{cid}/feedback", TOWN,
           {"result": "经核实已整改，将持续巡查"})
    seen = d.call("GET", "complaint", f"/complaints/{cid}", TOWN)
    assert seen["complainant"]["name"] == COMPLAINANT["name"]  # the handler sees who it is
    return str(cid)


def _case_refused_into_a_dispute(d: District) -> str:
    """REF-9/DSP-1: the department refuses the transfer on jurisdiction; nobody settles."""
    case = d.post("referral", "/cases", TOWN, {
        "matter_code": "M-URB-009", "locality": TOWN, "found_at": now(timedelta(minutes=-30)),
        "summary": "村民在自家宅基地外无证加建两层"}, expect=201)["case_id"]
    d.post("referral", f"/cases/{case}/transfer", TOWN, {"materials": MATERIALS})
    d.post("referral", f"/cases/{case}/refuse", URBAN,
           {"grounds": "jurisdiction", "reason": "农村宅基地违建应由乡镇查处"})
    return str(case)


def _crime_declined_back(d: District) -> str:
    """CRM-1/CRM-3: the owner suspects a crime, the police decline, the answer comes back."""
    case = d.post("referral", "/cases", TOWN, {
        "matter_code": "M-MKT-003", "locality": TOWN, "found_at": now(timedelta(minutes=-20)),
        "summary": "超市销售大量过期食品"}, expect=201)["case_id"]
    d.post("referral", f"/cases/{case}/transfer", TOWN, {"materials": MATERIALS})
    d.post("referral", f"/cases/{case}/accept", MARKET)
    d.post("referral", f"/cases/{case}/crime", MARKET, {"grounds": "货值金额可能达到追诉标准"})
    d.post("referral", f"/cases/{case}/judiciary", MARKET, {
        "judicial_organ": POLICE, "materials": ["https://files.example/crm.pdf"]})
    d.post("referral", f"/cases/{case}/judiciary/decision", POLICE,
           {"decision": "declined", "reason": "货值未达追诉标准，退回行政处理"})
    timeline = d.get("referral", f"/cases/{case}", MARKET)["timeline"]
    assert timeline[-1]["event"] == "JudiciaryDecisionRecorded"
    return str(case)


def _information_shared_late(d: District, delayed_id: str) -> str:
    """SHR-4: shared late with a delay declared in time (quiet), and late without (reported)."""
    late = d.post("sharing", "/info", MARKET, {
        "category": "department_enforcement", "title": "食品经营许可检查结果",
        "formed_at": now(timedelta(minutes=-10)), "audience": "all",
        "summary": "本月检查经营户42家"}, expect=201)
    assert late["late"] is True
    published = d.post("sharing", "/info", MARKET, {
        "info_id": delayed_id, "category": "department_dynamic_info", "title": "11月市场巡查简报",
        "formed_at": d.get("sharing", f"/info/{delayed_id}", MARKET)["formed_at"],
        "audience": [TOWN], "summary": "巡查经营户120家"}, expect=201)
    assert published["late"] is False
    shared = d.get("sharing", "/info?category=department_dynamic_info", TOWN)
    assert delayed_id in json.dumps(shared)
    return str(late["info_id"])


def _the_district_government_decides(d: District, case_id: str) -> None:
    """DSP-2: the negotiation limit passes; the district government decides and corrects the
    catalogue, so the case is the township's and the same dispute cannot recur."""
    dispute = f"dsp-{case_id}"

    def escalated() -> bool:  # the refusal reaches escalation through the stream: 404 first
        answer = d.http.get(f"{d.urls['escalation']}/disputes/{dispute}",
                            headers=acting(GOV))
        return answer.status_code == 200 and answer.json()["state"] == "escalated"

    poll(escalated, what="the dispute escalated when its limit passed")
    d.call("POST", "escalation", f"/disputes/{dispute}/decision", GOV, {
        "owner": TOWN, "decision_ref": "区政府管辖争议决定〔2026〕12号",
        "catalogue_correction": True})
    poll(lambda: d.get("referral", f"/cases/{case_id}", TOWN)["owner_id"] == TOWN,
         what="the case handed to the decided owner")

    def refused_as_own() -> bool:
        answer = d.http.post(d.urls["referral"] + "/cases", headers=acting(TOWN),
                             json={"matter_code": "M-URB-009", "locality": TOWN,
                                   "found_at": now(), "summary": "又一处无证建设"})
        return answer.status_code == 422 and answer.json()["rule"] == "JUR-2"

    poll(refused_as_own, what="the corrected catalogue makes the township the owner")


def _notices(d: District) -> list[dict]:
    return d.get("escalation", "/notifications?limit=1000")  # type: ignore[return-value]


async def _notified_in_stream(nats_url: str) -> list[str]:
    async with await nats.connect(nats_url) as nc:
        js = nc.jetstream()
        sub = await js.subscribe("liandong.escalation.district_government_notified.v1",
                                 ordered_consumer=True)
        ids = []
        while True:
            try:
                msg = await sub.next_msg(timeout=3)
            except nats.errors.TimeoutError:
                return ids
            ids.append(json.loads(msg.data)["event_id"])


def _no_personal_data_anywhere(nats_url: str, services: list[Service]) -> None:
    """CMP-8: not in any event of any stream, nor in any service's log (DEBUG included)."""
    values = list(COMPLAINANT.values())
    bodies = asyncio.run(_every_message(nats_url))
    assert bodies, "the streams are empty"
    for body in bodies:
        assert not [v for v in values if v in body], body[:300]
    for service in services:
        log = service.log.read_text(errors="replace")
        assert not [v for v in values if v in log], f"personal data in the {service.name} log"


async def _every_message(nats_url: str) -> list[str]:
    async with await nats.connect(nats_url) as nc:
        js = nc.jetstream()
        found = []
        for name in [s.config.name for s in await js.streams_info()]:
            state = (await js.stream_info(name)).state
            for seq in range(state.first_seq, state.last_seq + 1):
                msg = await js.get_msg(name, seq)
                headers = {k: unquote(v) for k, v in (msg.headers or {}).items()}
                found.append((msg.data or b"").decode()
                             + json.dumps(headers, ensure_ascii=False))
        return found

