"""Backpressure: a bounded number of requests at work, a fast 503 past it.

At most `max_in_flight` requests of a service are worked on at once; a further one waits
at most `queue_wait_s` for a place, and is answered 503 with `Retry-After` at once when
`max_waiting` are already waiting or its wait runs out. Overload thus costs the caller
milliseconds and never grows a queue that collapses the service; when the load drops, the
next request goes straight through. Operations endpoints (health, readiness, metrics) are
never held back. A change that lost the race for its aggregate on every attempt
(`ConcurrentUpdate`) is contention too: 503 with `Retry-After`, never a 500.
"""

import asyncio
import json

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, Counter
from starlette.types import ASGIApp, Receive, Scope, Send

from liandong_runtime.settings import BackpressureSettings
from liandong_runtime.storage import ConcurrentUpdate

NEVER_HELD = ("/healthz", "/readyz", "/metrics")


class Backpressure:
    """Pure ASGI middleware holding the service's places."""

    def __init__(self, app: ASGIApp, settings: BackpressureSettings, shed: Counter) -> None:
        self.app, self.settings, self.shed = app, settings, shed
        self.places = asyncio.Semaphore(settings.max_in_flight)
        self.waiting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in NEVER_HELD:
            await self.app(scope, receive, send)
            return
        if not await self._take():
            self.shed.inc()
            await send_unavailable(send, self.settings.retry_after_s, "the service is at "
                                   "capacity; retry after the time in Retry-After")
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.places.release()

    async def _take(self) -> bool:
        if self.places.locked() and self.waiting >= self.settings.max_waiting:
            return False
        self.waiting += 1
        try:
            async with asyncio.timeout(self.settings.queue_wait_s):
                await self.places.acquire()
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1
        return True


async def send_unavailable(send: Send, retry_after_s: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", b"application/json"), (b"retry-after", str(retry_after_s).encode()),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI, settings: BackpressureSettings, registry: CollectorRegistry) -> None:
    shed = Counter("liandong_http_shed", "Requests answered 503 because the service was full",
                   registry=registry)
    app.add_middleware(Backpressure, settings=settings, shed=shed)

    @app.exception_handler(ConcurrentUpdate)
    async def contention(_: Request, exc: ConcurrentUpdate) -> JSONResponse:
        return JSONResponse(status_code=503, headers={"Retry-After": str(settings.retry_after_s)},
                            content={"detail": "the same record was changed by others at the "
                                               "same time; retry after the time in Retry-After"})
