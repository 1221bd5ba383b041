"""What the tests share: who they act as (tokens of the session's own identity provider),
and waiting helpers that poll until a check holds or fail saying what was awaited."""

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from escalation.service.loops import signature
from liandong_runtime.embedded import free_port
from liandong_runtime.settings import MongoSettings, NatsSettings
from liandong_runtime.tokens import Issuer

# The session's identity provider: the root conftest points every service under test, in
# this process or a child, at its JWKS (AUTH_JWKS_URL).
ISSUER = Issuer.generate()


def acting(org: str, person: str = "tester") -> dict[str, str]:
    """The headers of a request by `person` of organisation `org`: a signed bearer token."""
    return {"Authorization": f"Bearer {ISSUER.issue(org, person)}"}


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 20.0,
                     what: str = "condition") -> Any:
    """The first truthy result of `check`, polled every 50 ms for at most `timeout` s."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()):
        assert asyncio.get_running_loop().time() < deadline, f"{what} not met in {timeout} s"
        await asyncio.sleep(0.05)
    return result


def poll(check: Callable[[], object], timeout: float = 30, what: str = "condition") -> object:
    """The same for blocking checks (services as processes), every 200 ms."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} not met in {timeout} s")


@contextmanager
def webhook_receiver(secret: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A district endpoint on a free port: its URL, and each body received with whether its
    `X-Liandong-Signature` is right for `secret`."""
    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"body": json.loads(body), "signed":
                             self.headers["X-Liandong-Signature"] == signature(secret, body)})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()


@asynccontextmanager
async def escalation_client(nats_url: str, mongo_url: str, database: str,
                            limits: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """An escalation service in this process with short limits, and a client that is the
    district government's desk unless a request names another caller."""
    from escalation.bootstrap import EscalationSettings, build_app

    settings = EscalationSettings(
        nats=NatsSettings(url=nats_url), mongodb=MongoSettings(url=mongo_url, database=database),
        outbox_poll_s=0.05, watch_interval_s=0.2, limits=limits)
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t",
                                     headers=acting("district-gov")) as client:
            yield client
