"""What every service serves to operators: health, readiness, metrics, dead letters, AsyncAPI."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Response
from faststream.specification import AsyncAPI
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from liandong_runtime import http_backpressure, logs, telemetry
from liandong_runtime.auth import TokenVerifier, district_government_only
from liandong_runtime.docs import install_docs
from liandong_runtime.metrics import install_http_metrics
from liandong_runtime.runtime import Runtime


def create_app(rt: Runtime, title: str, routers: list[APIRouter]) -> FastAPI:
    """The service's FastAPI app; its lifespan starts and stops the runtime."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await rt.start()
        try:
            yield
        finally:
            await rt.stop()

    # /docs and /redoc with assets of our own, not a CDN's (docs.install_docs)
    app = FastAPI(title=title, version="1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    install_docs(app)
    app.state.runtime = rt
    app.state.verifier = TokenVerifier(rt.settings.auth, rt.refdata.directory)
    app.include_router(ops_router(rt))
    for router in routers:
        app.include_router(router)
    http_backpressure.install(app, rt.settings.backpressure, rt.registry)
    install_http_metrics(app, rt.registry)
    app.add_middleware(logs.CorrelateRequests)
    telemetry.instrument(app, rt.tracer_provider)
    return app


def asyncapi_document(rt: Runtime) -> dict[str, Any]:
    spec = AsyncAPI(rt.broker, title=f"liandong {rt.settings.service}", version="1.0")
    return spec.to_specification().to_jsonable()  # type: ignore[no-any-return]


def ops_router(rt: Runtime) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": rt.settings.service}

    @router.get("/readyz")
    async def readyz(response: Response) -> dict[str, Any]:
        checks = await _readiness(rt)
        ready = checks["broker"] == "ok" and checks["database"] == "ok"
        response.status_code = 200 if ready else 503
        return {"ready": ready, **checks}

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(rt.registry), media_type=CONTENT_TYPE_LATEST)

    @router.get("/dead-letters", dependencies=[Depends(district_government_only)])
    async def dead_letters(limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                           ) -> list[dict[str, Any]]:
        return [_plain(doc) for doc in await rt.dead_letters.list(limit)]

    @router.get("/asyncapi.json")
    async def asyncapi() -> dict[str, Any]:
        return asyncapi_document(rt)

    return router


async def _readiness(rt: Runtime) -> dict[str, Any]:
    async def probe(check: Callable[[], Any]) -> str:
        try:
            await asyncio.wait_for(check(), 2)
        except Exception as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok"

    async def broker_ping() -> None:
        if not await rt.broker.ping(timeout=1):
            raise ConnectionError("no answer")

    missing = rt.calendar.missing_years(datetime.now(UTC).date())
    return {
        "broker": await probe(broker_ping),
        "database": await probe(rt.store.ping),
        "calendar_missing_years": missing,
    }


def _plain(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in doc.items()}
