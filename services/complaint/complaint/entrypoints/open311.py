"""Open311 GeoReport v2 intake, for third-party civic-reporting clients.

`jurisdiction_id` is the id of an organisation of the district directory (a township,
street office or department, e.g. `town-hexi`): the request is registered as a complaint
received by it on the `online` channel, about that township's area when it is one.
`service_code` is a matter code of the catalogue (see `services.json`). The reporter's
name, e-mail, phone and location go to the protected complainant record only (CMP-8);
contact data typed into the description is masked. Posting needs the client's token
(`api_key`, as GeoReport has it, or `Authorization: Bearer`), issued to the jurisdiction it
registers at; reading the service list and a request's status is open, as in GeoReport.
The form is read as UTF-8 (or the `charset` its content type declares), raw or
percent-encoded: `curl -d description=垃圾乱倒` stores 垃圾乱倒.
Errors come in the GeoReport shape `[{"code": 400, "description": "..."}]` with the same
HTTP status.
"""

from collections.abc import Callable, Coroutine
from datetime import datetime
from email.message import Message
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Form, Request, Response, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from complaint.adapters.georeport import GeoReportViews
from complaint.domain.errors import NotAllowed, RuleViolation
from complaint.entrypoints.georeport_form import RequestIn, to_command
from complaint.service.handlers import ComplaintService
from liandong_runtime.auth import Credentials, authenticate
from liandong_runtime.errors import NotFound
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.times import SHANGHAI

PREFIX = "/open311/v2"


class GeoReportError(BaseModel):
    code: int
    description: str


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": list[GeoReportError], "description": "GeoReport v2 error"}
    for code in (400, 401, 403, 404, 409, 413, 503)}


def georeport_error(code: int, description: str,
                    headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=code, headers=headers,
                        content=[{"code": code, "description": description}])


def install(app: FastAPI) -> None:
    """The server's own refusals under the prefix (405, unknown path) in GeoReport's shape."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith(f"{PREFIX}/"):
            return georeport_error(exc.status_code, str(exc.detail), exc.headers)
        return await http_exception_handler(request, exc)


def _validation(exc: RequestValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'body'}: {e['msg']}"
                     for e in exc.errors()[:10])


FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 100


async def read_form(request: Request) -> None:
    """The form decoded as its charset says, UTF-8 by default (Starlette reads raw bytes as
    Latin-1): kept where `request.form()` finds it, so FastAPI validates the decoded form."""
    header = Message()
    header["content-type"] = request.headers.get("content-type", "")
    if header.get_content_type() != FORM:
        return
    charset = str(header.get_param("charset") or "utf-8")
    body = await request.body()
    try:
        pairs = parse_qsl(body.decode(charset), keep_blank_values=True, encoding=charset,
                          errors="strict", max_num_fields=MAX_FIELDS)
    except (LookupError, ValueError):
        raise HTTPException(400, f"body: not a form in {charset[:40]!r} (at most {MAX_FIELDS} "
                            "fields); send UTF-8") from None
    request._form = FormData(pairs)  # Starlette's cache of the parsed form


class GeoReportRoute(APIRoute):
    """Every error of these routes in the GeoReport error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                if request.method == "POST":
                    await read_form(request)
                return await handle(request)
            except RequestValidationError as exc:
                return georeport_error(400, _validation(exc))
            except RuleViolation as exc:
                return georeport_error(400, f"{exc.rule} {exc.field}: {exc.message}")
            except NotAllowed as exc:
                return georeport_error(409 if exc.field == "status" else 403, exc.message)
            except NotFound as exc:
                return georeport_error(404, f"not found: {exc.what}")

        return route


def router(service: ComplaintService, views: GeoReportViews, refdata: ReferenceData) -> APIRouter:
    api = APIRouter(prefix=PREFIX, tags=["Open311 GeoReport v2"],
                    route_class=GeoReportRoute, responses=ERRORS)

    @api.get("/services.json", description=__doc__)
    async def services(jurisdiction_id: str | None = None) -> list[dict[str, Any]]:
        if jurisdiction_id is not None and jurisdiction_id not in refdata.directory:
            raise RuleViolation("JUR-1", "jurisdiction_id", "not an organisation id of the "
                                "district directory")
        return views.services(datetime.now(SHANGHAI).date())

    @api.post("/requests.json", status_code=status.HTTP_201_CREATED, description=__doc__)
    async def post_request(form: Annotated[RequestIn, Form()], request: Request,
                           credentials: Credentials) -> list[dict[str, str]]:
        token = credentials.credentials if credentials else form.api_key
        acting = await run_in_threadpool(authenticate, request, token)
        if form.jurisdiction_id in refdata.directory and acting.org_id != form.jurisdiction_id:
            raise NotAllowed("jurisdiction_id", f"the token is {acting.org_id}'s: it registers "
                             "requests at its own jurisdiction only")
        command = to_command(form, refdata, acting.person)
        complaint_id, reference_no = await service.receive(command)
        return [{"service_request_id": complaint_id,
                 "service_notice": f"已登记，登记编号 {reference_no}"}]

    @api.get("/requests/{request_id}.json")
    async def get_request(request_id: str) -> list[dict[str, Any]]:
        return [await views.request(request_id)]

    return api
