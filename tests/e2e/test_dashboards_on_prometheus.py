"""Every dashboard query and every alert expression, evaluated by a real Prometheus.

The five services run as processes on their own NATS and database; Prometheus (Debian's
package) scrapes them every second with the rule file loaded. A little traffic: a finding
transferred and accepted, one left alone until its (short) limit is missed, a complaint, an
information item, an assistance request answered, a dispute, and a message that violates
its contract. Then every query of every panel (template variables substituted) must
evaluate without error and return series, except the few listed in MAY_BE_EMPTY; every
alert must be healthy, labelled and annotated, its expression must evaluate and each metric
it reads must exist (an alert is quiet in a healthy district: only MUST_FIRE fires).
"""

import asyncio
import json
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import nats
import pytest

from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, free_port
from tests.e2e.conftest import Service
from tests.support import acting

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
RULES = ROOT / "deploy" / "prometheus" / "rules" / "liandong.rules.yml"
FIVE = ("referral", "complaint", "sharing", "assistance", "escalation")
TOWN, URBAN, MARKET = "town-hexi", "dept-urban", "dept-market"
MATERIALS = {"transfer_letter": "https://files.example/letter.pdf",
             "case_source": ["https://files.example/record.pdf"],
             "preliminary_evidence": ["https://files.example/photo.jpg"]}
WINDOWS = {"$__rate_interval": "1m", "$__range": "1h", "$organisation": ".*"}
ERRORS = "Rejected, retried, redelivered, duplicate"
# (service dashboard or "*", panel title, refId): why the traffic leaves it empty
MAY_BE_EMPTY = {
    ("*", ERRORS, "B"): "retried: no transient error in a healthy district",
    ("*", ERRORS, "C"): "redelivered: nothing is delivered twice without an error",
    ("*", ERRORS, "D"): "duplicate: no redelivery, so nothing for the inbox to recognise",
    **{(s, ERRORS, "A"): "rejected: the contract-violating message goes to escalation only"
       for s in FIVE if s != "escalation"},
    **{(s, "Handler exceptions", "A"): "only escalation is sent a broken message"
       for s in FIVE if s != "escalation"},
    **{("assistance", title, ref): "assistance consumes no events; it only publishes"
       for title, refs in (("Messages handled/s", "A"), ("Received per subject", "A"),
                           ("Processed per subject and outcome", "A"), ("Handler latency", "ABC"),
                           ("Handler latency p95 per subject", "A"), ("In process", "A"),
                           ("Consumer pending (lag)", "A"),
                           ("Delivered, not yet acknowledged", "A"))
       for ref in refs},
}
MUST_FIRE = {"LiandongDeadLettersPresent": "the contract-violating message is parked"}


class Prometheus:
    def __init__(self, root: Path, targets: dict[str, int]) -> None:
        binary = shutil.which("prometheus")
        if binary is None:
            pytest.fail("prometheus is missing: `make test` installs it (scripts/system-deps); "
                        "else apt-get install --no-install-recommends prometheus")
        scrapes = [{"job_name": job, "static_configs": [{"targets": [f"127.0.0.1:{port}"]}]}
                   for job, port in targets.items()]
        config = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                  "rule_files": [str(RULES)], "scrape_configs": scrapes}
        (root / "prometheus.yml").write_text(json.dumps(config))  # JSON is YAML
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = root / "prometheus.log"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [binary, f"--config.file={root / 'prometheus.yml'}",
                 f"--storage.tsdb.path={root / 'tsdb'}",
                 f"--web.listen-address={self.url.removeprefix('http://')}"],
                stdout=log, stderr=subprocess.STDOUT)
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                if self.http.get("/-/ready").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise TimeoutError(self.log.read_text()[-3000:])

    def query(self, expr: str) -> dict:
        return self.http.get("/api/v1/query", params={"query": expr}).json()

    def stop(self) -> None:
        self.http.close()
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def watched() -> Iterator[tuple[Prometheus, dict[str, Service], str]]:
    """Everything it starts is stopped whatever fails, in setup too (prometheus missing,
    a service that never gets ready): each process is registered as soon as it exists."""
    root = Path(tempfile.mkdtemp(prefix="liandong-prometheus-"))
    stops: list[Callable[[], None]] = []
    try:
        nats_server = EmbeddedNats("nats", free_port(), root / "nats")
        stops.append(nats_server.stop)
        nats_server.start()
        mongo = EmbeddedMongo("secantus", free_port(), root / "secantus")
        stops.append(mongo.stop)
        mongo.start()
        env = {"NATS_URL": nats_server.url, "MONGODB_URL": mongo.url,
               "LIMITS": json.dumps({"REF-4": "2s"}), "WATCH_INTERVAL_S": "0.3",
               "OUTBOX_POLL_S": "0.1", "BUSINESS_METRICS_INTERVAL_S": "1"}
        services: dict[str, Service] = {}
        for name in FIVE:
            services[name] = Service(name, {**env, "MONGODB_DATABASE": f"liandong_{name}"},
                                     root / f"{name}.log")
            stops.append(services[name].stop)
        prometheus = Prometheus(root, {name: s.port for name, s in services.items()})
        stops.append(prometheus.stop)
        for service in services.values():
            wait_ready(service.port, service.process, timeout=60)
        prometheus.wait_ready()
        yield prometheus, services, nats_server.url
    finally:
        for stop in reversed(stops):
            stop()
        shutil.rmtree(root, ignore_errors=True)


def test_every_dashboard_query_and_alert_evaluates_on_prometheus(watched) -> None:
    prometheus, services, nats_url = watched
    began = time.monotonic()
    _drive_traffic({name: s.url for name, s in services.items()}, nats_url)
    instances = {name: f"127.0.0.1:{s.port}" for name, s in services.items()}
    queries = list(_panel_queries(instances))
    named = {(board, title, ref) for (board, title, ref), _ in queries}
    assert all(k in named or any(k[1:] == n[1:] for n in named) for k in MAY_BE_EMPTY), \
        "MAY_BE_EMPTY names a panel query that no longer exists"
    deadline = time.monotonic() + 30  # business gauges refresh every second, sampling every 5 s
    while True:
        counts = {key: _series(prometheus, expr) for key, expr in queries}
        missing = [key for key, n in counts.items() if n == 0 and not _may_be_empty(key)]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(1)
    rules = _alerting_rules(prometheus)
    for rule in rules:
        counts[("alert", rule["name"], "")] = _series(prometheus, rule["query"])
    _print_table(counts, time.monotonic() - began)
    assert not missing, f"empty although the traffic should fill them: {missing}"
    for rule in rules:
        assert rule["health"] == "ok", (rule["name"], rule.get("lastError"))
        assert rule["labels"].get("severity") in ("critical", "warning"), rule["name"]
        assert {"summary", "description"} <= set(rule["annotations"]), rule["name"]
        for metric in set(re.findall(r"\b(?:liandong|faststream)_\w+", rule["query"])):
            assert _series(prometheus, f'count({{__name__="{metric}"}})'), (rule["name"], metric)
    for name in MUST_FIRE:
        assert counts[("alert", name, "")] > 0, f"{name} should fire: {MUST_FIRE[name]}"


def _panel_queries(instances: dict[str, str]) -> Iterator[tuple[tuple[str, str, str], str]]:
    for path in sorted(DASHBOARDS.glob("*.json")):
        board = json.loads(path.read_text(encoding="utf-8"))
        job = next((v["query"] for v in board["templating"]["list"] if v["name"] == "job"), "")
        values = {**WINDOWS, "$job": job, "$instance": instances.get(job, "")}
        for panel in (p for p in board["panels"] if p["type"] != "row"):
            for target in panel["targets"]:
                expr = target["expr"]
                for variable, value in values.items():
                    expr = expr.replace(variable, value)
                assert "$" not in expr, f"{path.name}: unsubstituted variable in {expr}"
                yield (job or "overview", panel["title"], target["refId"]), expr


def _may_be_empty(key: tuple[str, str, str]) -> bool:
    return key in MAY_BE_EMPTY or ("*", *key[1:]) in MAY_BE_EMPTY


def _series(prometheus: Prometheus, expr: str) -> int:
    answer = prometheus.query(expr)
    assert answer["status"] == "success", f"{expr}: {answer.get('error')}"
    return len(answer["data"]["result"])


def _alerting_rules(prometheus: Prometheus) -> list[dict]:
    groups = prometheus.http.get("/api/v1/rules").json()["data"]["groups"]
    rules = [rule for group in groups for rule in group["rules"] if rule["type"] == "alerting"]
    assert rules, "no alerting rule loaded"
    return rules


def _print_table(counts: dict[tuple[str, str, str], int], seconds: float) -> None:
    print(f"\n{'dashboard / alert':<12} {'panel':<52} ref series   ({seconds:.1f} s)")
    for (board, title, ref), n in counts.items():
        print(f"{board:<12} {title[:52]:<52} {ref:<3} {n:>6}")


def _drive_traffic(urls: dict[str, str], nats_url: str) -> None:
    http = httpx.Client(timeout=15)

    def post(service: str, path: str, org: str, body: dict | None = None) -> dict:
        answer = http.post(urls[service] + path, json=body, headers=acting(org))
        assert answer.status_code in (200, 201, 202), f"{service}{path}: {answer.text}"
        return answer.json() if answer.content else {}

    def opened(org: str, subject_id: str) -> None:
        """Escalation holds the duty: closing it now is measured (no race between subjects)."""
        deadline = time.monotonic() + 20
        while subject_id not in http.get(urls["escalation"] + "/deadlines",
                                         headers=acting(org)).text:
            assert time.monotonic() < deadline, f"no deadline for {subject_id}"
            time.sleep(0.1)

    now = datetime.now(UTC)
    finding = {"matter_code": "M-URB-009", "locality": TOWN, "summary": "无证建设",
               "found_at": now.isoformat()}
    # one finding transferred and accepted in time, one left until REF-4 is missed
    case = post("referral", "/cases", TOWN, finding)["case_id"]
    opened(TOWN, case)
    post("referral", f"/cases/{case}/transfer", TOWN, {"materials": MATERIALS})
    post("referral", f"/cases/{case}/accept", URBAN)
    post("referral", "/cases", TOWN, finding)
    post("complaint", "/complaints", URBAN, {
        "channel": "phone", "received_at": now.isoformat(), "matter_code": "M-URB-001",
        "locality": TOWN, "summary": "商业街占道经营", "complainant": {"name": "张三"}})
    post("sharing", "/info", MARKET, {
        "category": "law_changes", "title": "食品安全法实施条例修订", "audience": "all",
        "formed_at": now.isoformat(), "summary": "处罚幅度调整"})
    request = post("assistance", "/requests", TOWN, {
        "kind": "technical_support", "receiver": URBAN, "summary": "请协助测量违建面积",
        "documents": [{"title": "协助函", "uri": "https://files.example/letter.pdf"}]})
    opened(URBAN, request["request_id"])
    post("assistance", f"/requests/{request['request_id']}/answer", URBAN, {
        "answer": "answered", "reason": "", "documents": [
            {"title": "答复", "uri": "https://files.example/answer.pdf"}]})
    # a dispute both parties settle: referral and complaint hear of it
    dispute = post("escalation", "/disputes", TOWN, {
        "other_party": URBAN, "matter_code": "M-URB-009", "subject_id": case,
        "reason": "违建位于两镇交界"})["dispute_id"]
    for party in (TOWN, URBAN):
        post("escalation", f"/disputes/{dispute}/agreement", party, {"owner": URBAN})
    asyncio.run(_publish_a_broken_message(nats_url))


async def _publish_a_broken_message(nats_url: str) -> None:
    """Not a CloudEvent at all: escalation parks it as a contract violation."""
    async with await nats.connect(nats_url) as nc:
        await nc.jetstream().publish("liandong.referral.finding_recorded.v1", b"{not json")
