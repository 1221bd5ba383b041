"""What every page shares: the signed-in session, CSRF, rendering, Shanghai times."""

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from console import messages
from console.clients import Services
from console.sessions import COOKIE, CSRF_FIELD, CSRF_HEADER, Session
from console.timing import parse_time

SHANGHAI = ZoneInfo("Asia/Shanghai")
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")


def local(value: Any) -> str:
    moment = parse_time(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return "—"
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def org_name(request: Request, org_id: Any) -> str:
    directory = request.app.state.refdata.directory
    if isinstance(org_id, dict):
        org_id = org_id.get("id")
    return directory.get(org_id).name if org_id in directory else str(org_id or "—")


templates.env.filters["local"] = local
templates.env.globals.update(RULES=messages.RULES, FIELDS=messages.FIELDS,
                             STATES=messages.STATES, KINDS=messages.KINDS,
                             rule_text=messages.rule_text, CSRF_FIELD=CSRF_FIELD,
                             EVENTS=messages.EVENTS, GROUNDS=messages.GROUNDS)


class SignInNeeded(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=401)


def session_of(request: Request) -> Session:
    """The signed-in session, or the way to the sign-in page (htmx: by HX-Redirect)."""
    session = request.app.state.sessions.get(request.cookies.get(COOKIE))
    if session is None:
        raise SignInNeeded
    return session


async def checked_form(request: Request, session: Session) -> dict[str, Any]:
    """The posted form, refused (403, nothing called) without this session's CSRF token."""
    form = await request.form()
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not session.csrf_ok(given if isinstance(given, str) else None):
        raise HTTPException(status_code=403, detail=messages.CSRF_REFUSED)
    fields: dict[str, Any] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):  # a repeated field (a multiple select): comma-joined
            fields[key] = f"{fields[key]},{value.strip()}" if key in fields else value.strip()
    return fields


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def page(request: Request, template: str, session: Session | None, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {
        "session": session, "org_name": lambda o: org_name(request, o), **context},
        status_code=status_code)


def to_signin(request: Request) -> RedirectResponse:
    response = RedirectResponse("/signin", status_code=303)
    if request.headers.get("HX-Request"):
        response.headers["HX-Redirect"] = "/signin"
    return response
