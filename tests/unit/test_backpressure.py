"""Backpressure: past its places a service answers a fast 503 with Retry-After, and takes
work again at once when the load drops; contention on one record is a 503, never a 500."""

import asyncio
import time

import httpx
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from liandong_runtime import http_backpressure
from liandong_runtime.settings import BackpressureSettings
from liandong_runtime.storage import ConcurrentUpdate

SLOW_S = 0.3


def app_with(settings: BackpressureSettings) -> tuple[FastAPI, CollectorRegistry]:
    app, registry = FastAPI(), CollectorRegistry()

    @app.post("/work")
    async def work() -> dict[str, str]:
        await asyncio.sleep(SLOW_S)
        return {"status": "done"}

    @app.post("/contended")
    async def contended() -> None:
        raise ConcurrentUpdate("case-1")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    http_backpressure.install(app, settings, registry)
    return app, registry


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def timed_post(http: httpx.AsyncClient, path: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    answer = await http.post(path)
    return answer, time.perf_counter() - started


async def test_past_capacity_the_answer_is_a_fast_503_with_retry_after() -> None:
    settings = BackpressureSettings(max_in_flight=2, max_waiting=2, queue_wait_s=0.05,
                                    retry_after_s=3)
    app, registry = app_with(settings)
    async with client(app) as http:
        answers = await asyncio.gather(*(timed_post(http, "/work") for _ in range(20)))
        done = [a for a, _ in answers if a.status_code == 200]
        shed = [(a, s) for a, s in answers if a.status_code == 503]
        assert len(done) == 2 and len(shed) == 18
        assert all(a.headers["retry-after"] == "3" for a, _ in shed)
        assert all(seconds < SLOW_S for _, seconds in shed)  # refused before any work ends
        assert registry.get_sample_value("liandong_http_shed_total") == 18
        # the load is gone: the next request is served at once
        again, _ = await timed_post(http, "/work")
        assert again.status_code == 200


async def test_a_waiting_request_gets_a_place_freed_within_its_wait() -> None:
    app, _ = app_with(BackpressureSettings(max_in_flight=1, max_waiting=4, queue_wait_s=2))
    async with client(app) as http:
        answers = await asyncio.gather(*(http.post("/work") for _ in range(3)))
    assert [a.status_code for a in answers] == [200, 200, 200]


async def test_operations_endpoints_are_never_held_back() -> None:
    app, _ = app_with(BackpressureSettings(max_in_flight=1, max_waiting=0, queue_wait_s=0))
    async with client(app) as http:
        busy = asyncio.create_task(http.post("/work"))
        await asyncio.sleep(0.05)
        assert (await http.get("/healthz")).status_code == 200
        assert (await http.post("/work")).status_code == 503
        assert (await busy).status_code == 200


async def test_contention_on_one_record_is_a_503_not_a_500() -> None:
    app, _ = app_with(BackpressureSettings(retry_after_s=1))
    async with client(app) as http:
        answer = await http.post("/contended")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "1"
    assert "retry" in answer.json()["detail"]
