"""The console's composition root: settings, the services' clients, sessions, the pages."""

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from pydantic import Field

from console import messages
from console.clients import Services
from console.entrypoints import pages, signin
from console.entrypoints.common import SignInNeeded, page, to_signin
from console.sessions import SessionStore
from liandong_runtime.refdata import load_reference_data
from liandong_runtime.settings import EMBEDDED_KEYS, ServiceSettings
from liandong_runtime.workdays import load_calendar

STATIC = Path(__file__).parent / "static"


class ConsoleSettings(ServiceSettings):
    """`REFERRAL_URL` … `ESCALATION_URL`, `IDENTITY` (embedded | oidc), `ISSUER_KEYS`, …"""

    service: str = "console"
    http_port: int = 8106
    referral_url: str = "http://127.0.0.1:8101"
    complaint_url: str = "http://127.0.0.1:8102"
    sharing_url: str = "http://127.0.0.1:8103"
    assistance_url: str = "http://127.0.0.1:8104"
    escalation_url: str = "http://127.0.0.1:8105"
    identity: Literal["embedded"] = Field(default="embedded", description=(
        "embedded: a sign-in page to pick an organisation and a person, tokens signed with "
        "the embedded key (`make run` only). OpenID Connect against the district's identity "
        "provider is not built yet: any other value stops the console at start"))
    issuer_keys: Path = Field(default=EMBEDDED_KEYS, description="the embedded issuer's key")
    service_timeout_s: float = Field(default=10, gt=0, le=300, description=(
        "how long a page waits for a service's answer"))
    session_ttl_s: int = Field(default=8 * 3600, ge=60, le=24 * 3600)
    refresh_s: int = Field(default=5, ge=1, le=300, description="我的待办 polls this often")
    page_size: int = Field(default=50, ge=5, le=500)
    warn_fraction: float = Field(default=0.8, gt=0, lt=1, description="as escalation's")
    secure_cookie: bool | None = Field(default=None, description=(
        "Secure cookie; default: when the request came over https"))

    def service_urls(self) -> dict[str, str]:
        return {"referral": self.referral_url, "complaint": self.complaint_url,
                "sharing": self.sharing_url, "assistance": self.assistance_url,
                "escalation": self.escalation_url}


def build_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()
    services = Services(settings.service_urls(), settings.service_timeout_s)

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        yield
        await services.close()

    app = FastAPI(title="liandong 工作台", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.settings = settings
    app.state.services = services
    app.state.sessions = SessionStore()
    app.state.refdata = load_reference_data(settings.refdata_dir)
    app.state.calendar = load_calendar(settings.calendar_file)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(signin.router(settings))
    app.include_router(pages.router())

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, _: SignInNeeded) -> Response:
        return to_signin(request)

    @app.exception_handler(HTTPException)
    async def refused(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else messages.STATUS.get(
            exc.status_code, messages.STATUS[400])
        if exc.status_code == 404 and message == "Not Found":
            message = messages.STATUS[404]
        return page(request, "error.html", None, exc.status_code, message=message)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    return app
