"""Two organisations' own systems on the bus, as separate processes with their own NATS
credentials, against the whole district (the five services as processes, each logged in
as itself on a server that admits only the generated users).

Each receives exactly the events addressed to it, accepts its transfers by a NATS
command (the case is accepted), a command repeated with the same id changes nothing, and
a system stopped for a while catches up in order.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest

from liandong_client import Accepted, OrgClient
from liandong_runtime import nats_permissions
from liandong_runtime.embedded import EmbeddedNats, free_port
from liandong_runtime.settings import REPO_ROOT
from tests.support import acting

SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")
URBAN, MARKET = "dept-urban", "dept-market"
MATERIALS = {"transfer_letter": "https://files.example/letter.pdf",
             "case_source": ["https://files.example/record.pdf"],
             "preliminary_evidence": ["https://files.example/photo.jpg"]}
Guarded = tuple[EmbeddedNats, dict[str, str]]


@pytest.fixture
def guarded(servers: dict[str, str]) -> Iterator[Guarded]:
    grants = nats_permissions.everyone()
    passwords = nats_permissions.new_passwords(grant.user for grant in grants)
    root = Path(servers["root"]) / f"orgsystems-{uuid.uuid4().hex[:6]}"
    server = EmbeddedNats("nats-orgs", free_port(), root / "nats", authorization=(
        nats_permissions.authorization(grants, passwords))).start()
    yield server, passwords
    server.stop()


class OrgSystem:
    """examples/department_system.py as a process of its own, logged in as `org`."""

    def __init__(self, org: str, url: str, password: str, root: Path) -> None:
        self.org, self.url, self.state = org, url, root / org
        self.state.mkdir(parents=True)
        self.secret = root / f"{org}.password"
        self.secret.write_text(password)
        self.log = root / f"{org}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, str(REPO_ROOT / "examples" / "department_system.py"),
                 "--org", self.org, "--nats", self.url, "--password-file", str(self.secret),
                 "--state", str(self.state), "--accept"],
                env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, stdout=out,
                stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        assert self.process.returncode == 0, self.log.read_text()[-2000:]

    def events(self) -> list[dict[str, Any]]:
        journal = self.state / "events.jsonl"
        lines = journal.read_text().splitlines() if journal.exists() else []
        return [json.loads(line) for line in lines]

    def transfers(self) -> dict[str, Any]:
        file = self.state / "transfers.json"
        return json.loads(file.read_text()) if file.exists() else {}


def wait_for(check: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.2)
    return result


def record_and_transfer(http: httpx.Client, referral: str, town: str, matter: str) -> str:
    finding = {"matter_code": matter, "locality": town, "urgent": False,
               "found_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 60)),
               "summary": "现场发现的违法行为"}
    answer = http.post(f"{referral}/cases", json=finding, headers=acting(town))
    assert answer.status_code == 201, answer.text
    case_id = str(answer.json()["case_id"])
    moved = http.post(f"{referral}/cases/{case_id}/transfer", json={"materials": MATERIALS},
                      headers=acting(town))
    assert moved.status_code == 202, moved.text
    return case_id


async def referral_events(url: str, password: str) -> int:
    """How many events the referral service has published (the operator reads it)."""
    nc = await nats.connect(url, user=nats_permissions.OPERATOR, password=password)
    try:
        return int((await nc.jetstream().stream_info("LIANDONG_REFERRAL")).state.messages)
    finally:
        await nc.close()


async def unknown_commands(url: str, password: str) -> dict[str, Any]:
    """Every service answers its organisations' commands (here: one it does not have)."""
    client = await OrgClient.connect(url, URBAN, password=password)
    try:
        return {name: await client.command(name, "no_such_command", timeout=5)
                for name in SERVICES}
    finally:
        await client.close()


async def repeat_accept(url: str, password: str, case_id: str, command_id: str) -> Any:
    client = await OrgClient.connect(url, URBAN, password=password)
    try:
        return await client.command("referral", "accept", id=case_id, command_id=command_id)
    finally:
        await client.close()


@pytest.mark.rule("REF-4")
@pytest.mark.rule("REF-9")
def test_two_organisations_systems_each_see_their_own_and_act_by_nats_commands(
        start_service, guarded: Guarded, servers: dict[str, str]) -> None:
    server, passwords = guarded
    urls = {name: start_service(name, NATS_URL=server.url, NATS_USER=name,
                                NATS_PASSWORD=passwords[name]).url for name in SERVICES}
    referral, http = urls["referral"], httpx.Client(timeout=10)
    root = Path(servers["root"]) / f"org-systems-{uuid.uuid4().hex[:6]}"
    urban = OrgSystem(URBAN, server.url, passwords[URBAN], root)
    market = OrgSystem(MARKET, server.url, passwords[MARKET], root)
    try:
        answers = asyncio.run(unknown_commands(server.url, passwords[URBAN]))
        assert {name: (a.status, a.field) for name, a in answers.items()} == {
            name: (404, "command") for name in SERVICES}
        urban.start()
        market.start()
        a = record_and_transfer(http, referral, "town-hexi", "M-URB-009")
        b = record_and_transfer(http, referral, "town-beishan", "M-MKT-003")

        # each system accepts its own transfer by a NATS command; the case is accepted
        for system, case_id in ((urban, a), (market, b)):
            wait_for(lambda s=system, c=case_id: s.transfers().get(c, {}).get("status")
                     == "accepted", f"{system.org} accepts {case_id}")
            case = http.get(f"{referral}/cases/{case_id}", headers=acting(system.org))
            assert case.json()["status"] == "accepted"

        # a command repeated with the same id gets the first answer and changes nothing
        transfer_event = urban.transfers()[a]["transfer_event"]
        before = asyncio.run(referral_events(server.url, passwords["operator"]))
        again = asyncio.run(repeat_accept(server.url, passwords[URBAN], a,
                                          f"accept-{transfer_event}"))
        assert again == Accepted(202, {})
        timeline = http.get(f"{referral}/cases/{a}", headers=acting(URBAN)).json()["timeline"]
        time.sleep(1)
        assert asyncio.run(referral_events(server.url, passwords["operator"])) == before
        assert http.get(f"{referral}/cases/{a}",
                        headers=acting(URBAN)).json()["timeline"] == timeline

        # the market's system stops for a while; what happens meanwhile comes in order
        market.stop()
        seen_before = len(market.events())
        later = [record_and_transfer(http, referral, "town-beishan", "M-MKT-003")
                 for _ in range(3)]
        time.sleep(2)
        market.start()
        for case_id in later:
            wait_for(lambda c=case_id: market.transfers().get(c, {}).get("status")
                     == "accepted", f"{MARKET} catches up with {case_id}")
        caught_up = market.events()[seen_before:]
        assert [e["sequence"] for e in caught_up] == sorted(e["sequence"] for e in caught_up)
        firsts = [(e["case_id"], e["type"]) for e in caught_up
                  if e["type"] in ("FindingRecorded", "CaseTransferred")]
        assert firsts == [(c, kind) for c in later
                          for kind in ("FindingRecorded", "CaseTransferred")]

        # exactly its own: no event of the other's cases, none twice
        urban.stop()
        market.stop()
        for system, own in ((urban, {a}), (market, {b, *later})):
            events = system.events()
            assert {e["case_id"] for e in events} == own, system.org
            assert len({e["event_id"] for e in events}) == len(events)
            assert {"FindingRecorded", "CaseTransferred", "CaseTransferAccepted"} <= {
                e["type"] for e in events}
    finally:
        urban.stop()
        market.stop()
        print(f"--- {URBAN} ---\n{urban.log.read_text()[-2000:] if urban.log.exists() else ''}")
        print(f"--- {MARKET} ---\n{market.log.read_text()[-2000:] if market.log.exists() else ''}")
