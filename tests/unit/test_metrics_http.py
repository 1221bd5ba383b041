"""HTTP request metrics: route templates, never raw paths; statuses as answered."""

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from prometheus_client import CollectorRegistry

from liandong_runtime.metrics import install_http_metrics


def app_with_metrics() -> tuple[FastAPI, CollectorRegistry]:
    registry = CollectorRegistry()
    app = FastAPI()

    @app.get("/cases/{case_id}")
    async def case(case_id: str) -> dict[str, str]:
        if case_id == "missing":
            raise HTTPException(404, "no such case")
        return {"case_id": case_id}

    @app.post("/cases")
    async def broken() -> None:
        raise RuntimeError("database away")

    @app.get("/metrics")
    async def metrics() -> str:
        return ""

    install_http_metrics(app, registry)
    return app, registry


def requests(registry: CollectorRegistry, method: str, route: str, status: str) -> float | None:
    return registry.get_sample_value(
        "liandong_http_requests_total", {"method": method, "route": route, "status": status})


@pytest.fixture
async def served() -> tuple[httpx.AsyncClient, CollectorRegistry]:
    app, registry = app_with_metrics()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t"), registry


async def test_requests_are_counted_by_route_template_not_raw_path(served) -> None:
    client, registry = served
    for case_id in ("case-1", "case-2", "missing"):
        await client.get(f"/cases/{case_id}")
    assert requests(registry, "GET", "/cases/{case_id}", "200") == 2
    assert requests(registry, "GET", "/cases/{case_id}", "404") == 1
    count = registry.get_sample_value("liandong_http_request_duration_seconds_count",
                                      {"method": "GET", "route": "/cases/{case_id}"})
    assert count == 3


async def test_unknown_paths_share_one_label_and_errors_count_as_500(served) -> None:
    client, registry = served
    await client.get("/wp-admin/13800000000")
    await client.request("BREW", "/coffee/张三")
    await client.post("/cases", json={})
    assert requests(registry, "GET", "unmatched", "404") == 1
    assert requests(registry, "OTHER", "unmatched", "404") == 1
    assert requests(registry, "POST", "/cases", "500") == 1


async def test_scrapes_of_metrics_are_not_counted(served) -> None:
    client, registry = served
    await client.get("/metrics")
    assert requests(registry, "GET", "/metrics", "200") is None
