"""Production's way in: a service connects with an nsc-style `.creds` file (a user JWT
and its nkey seed) to a nats-server in operator mode, and the user JWT carries the
permissions of the one declaration (`nats_permissions`), as `liandong-nats-permissions
nsc` has nsc put them there.

No nsc here: the operator, accounts and users are minted below with the `nkeys` library,
as nsc mints them (ed25519-nkey JWTs), and the server resolves the accounts from memory.
"""

import asyncio
import base64
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nats
import nkeys
import pytest
from nats.errors import TimeoutError as NatsTimeout

from liandong_runtime import nats_permissions
from liandong_runtime.embedded import EmbeddedNats, free_port
from liandong_runtime.settings import MongoSettings, NatsSettings, inbox_of
from referral.bootstrap import ReferralSettings, build_app
from tests.support import acting

pytestmark = pytest.mark.integration


def keypair(prefix: int) -> nkeys.KeyPair:
    return nkeys.from_seed(nkeys.encode_seed(os.urandom(32), prefix))


def public(key: nkeys.KeyPair) -> str:
    return key.public_key.decode()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(issuer: nkeys.KeyPair, subject: str, name: str, nats_claims: dict[str, Any]) -> str:
    """A NATS JWT (v2) signed by `issuer`: what `nsc add ...` writes."""
    claims = {"iat": int(time.time()), "iss": public(issuer), "name": name, "sub": subject,
              "nats": {**nats_claims, "version": 2}}
    claims["jti"] = base64.b32encode(hashlib.sha256(
        json.dumps(claims, sort_keys=True).encode()).digest()).decode().rstrip("=")
    signing = (f"{b64(json.dumps({'typ': 'JWT', 'alg': 'ed25519-nkey'}).encode())}."
               f"{b64(json.dumps(claims).encode())}")
    return f"{signing}.{b64(issuer.sign(signing.encode()))}"


UNLIMITED = {"subs": -1, "data": -1, "payload": -1}
JETSTREAM = {"mem_storage": -1, "disk_storage": -1, "streams": -1, "consumer": -1}


def creds(user_jwt: str, seed: bytes) -> str:
    return (f"-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n"
            f"-----BEGIN USER NKEY SEED-----\n{seed.decode()}\n------END USER NKEY SEED------\n")


@dataclass
class Operated:
    server: EmbeddedNats
    creds: dict[str, Path]  # user -> .creds file


@pytest.fixture(scope="module")
def operated(servers: dict[str, str]) -> Iterator[Operated]:
    root = Path(servers["root"]) / f"operated-{uuid.uuid4().hex[:6]}"
    operator = keypair(nkeys.PREFIX_BYTE_OPERATOR)
    system, account = keypair(nkeys.PREFIX_BYTE_ACCOUNT), keypair(nkeys.PREFIX_BYTE_ACCOUNT)
    accounts = {
        public(system): mint(operator, public(system), "SYS", {"type": "account"}),
        public(account): mint(operator, public(account), "LIANDONG", {
            "type": "account", "limits": {"conn": -1, "leaf": -1, "imports": -1,
                                          "exports": -1, "wildcards": True, **UNLIMITED,
                                          **JETSTREAM}}),
    }
    config = (f"operator: {mint(operator, public(operator), 'liandong', {'type': 'operator'})}\n"
              f"system_account: {public(system)}\nresolver: MEMORY\n"
              f"resolver_preload: {json.dumps(accounts)}\n"
              # a user JWT carries every permission: the CONNECT line that holds it is
              # longer than the default 4 KB (deploy/k8s/base/nats/configmap.yaml)
              "max_control_line: 64KB\n")
    files = {}
    for grant in nats_permissions.declaration():
        user = keypair(nkeys.PREFIX_BYTE_USER)
        claims = {"type": "user", **UNLIMITED,
                  "pub": {"allow": list(grant.publish), "deny": list(grant.deny_publish)},
                  "sub": {"allow": list(grant.subscribe)}}
        files[grant.user] = root / f"{grant.user}.creds"
        files[grant.user].parent.mkdir(parents=True, exist_ok=True)
        files[grant.user].write_text(creds(mint(account, public(user), grant.user, claims),
                                           user.seed))
    server = EmbeddedNats("nats-operated", free_port(), root / "nats",
                          authorization=config).start()
    yield Operated(server, files)
    server.stop()


async def test_a_service_runs_on_its_creds_and_publishes_its_own_events(
        operated: Operated, servers: dict[str, str]) -> None:
    settings = ReferralSettings(
        nats=NatsSettings(url=operated.server.url,
                          credentials_file=str(operated.creds["referral"])),
        mongodb=MongoSettings(url=servers["MONGODB_URL"],
                              database=f"liandong_creds_{uuid.uuid4().hex[:8]}"),
        outbox_poll_s=0.05)
    app = build_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/readyz")).status_code == 200
        answer = await client.post("/cases", headers=acting("town-hexi"), json={
            "matter_code": "M-URB-009", "locality": "town-hexi", "summary": "无证建设",
            "found_at": "2026-11-27T10:00:00+08:00"})
        assert answer.status_code == 201, answer.text
        nc = await nats.connect(operated.server.url, inbox_prefix=inbox_of("referral"),
                                user_credentials=str(operated.creds["referral"]))
        try:
            js = nc.jetstream()
            for _ in range(100):
                if (await js.stream_info("LIANDONG_REFERRAL")).state.messages:
                    break
                await asyncio.sleep(0.05)
            assert (await js.stream_info("LIANDONG_REFERRAL")).state.messages == 1
        finally:
            await nc.close()
    log = operated.server.log_file.read_text()
    assert "Violation" not in log, log[-2000:]


async def test_without_creds_nobody_gets_in(operated: Operated) -> None:
    with pytest.raises(Exception, match=r"(?i)authorization|no servers"):
        await nats.connect(operated.server.url, allow_reconnect=False, connect_timeout=2,
                           max_reconnect_attempts=0)
    assert "Trusted Operators" in operated.server.log_file.read_text()


async def test_with_its_creds_a_service_publishes_no_other_event_and_deletes_nothing(
        operated: Operated) -> None:
    refused: list[str] = []

    async def noted(exc: Exception) -> None:
        refused.append(str(exc).lower())

    nc = await nats.connect(operated.server.url, error_cb=noted, inbox_prefix=inbox_of("referral"),
                            user_credentials=str(operated.creds["referral"]))
    try:
        js = nc.jetstream(timeout=1)
        with pytest.raises(NatsTimeout):
            await js.publish("liandong.complaint.complaint_received.v1", b"{}")
        with pytest.raises(NatsTimeout):
            await js.delete_stream("LIANDONG_REFERRAL")
        with pytest.raises(NatsTimeout):
            await js.purge_stream("LIANDONG_REFERRAL")
    finally:
        await nc.close()
    assert any("permissions violation" in r and "liandong.complaint" in r for r in refused)
    assert any("stream.delete" in r for r in refused), refused
