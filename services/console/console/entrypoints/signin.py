"""Sign-in and sign-out. With the embedded identity provider (`make run`), a page to pick an
organisation and a person; the console signs the token with the embedded key, exactly as
`liandong-token issue` does, and the services check it as any other.

The sign-in form itself carries a CSRF token (double-submit: a random cookie and the same
value in the form), so nobody can sign a browser in as someone else.
"""

import re
import secrets
import time
from datetime import timedelta
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.entrypoints.common import page, session_of
from console.sessions import COOKIE, CSRF_FIELD, Session
from liandong_runtime.tokens import Issuer

PRE_COOKIE = "liandong_console_signin"
PERSON = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
KIND_NAMES = {"township": "乡镇", "street_office": "街道", "department": "区直部门",
              "district_government": "区政府", "public_security": "公安机关",
              "procuratorate": "检察院", "court": "法院", "dispatched_unit": "派出机构",
              "internal_unit": "内设机构", "affiliated_unit": "所属单位"}


def secure(request: Request) -> bool:
    configured = request.app.state.settings.secure_cookie
    if configured is not None:
        return bool(configured)
    forwarded = request.headers.get("x-forwarded-proto", request.url.scheme)
    return forwarded == "https"


def router(settings: object) -> APIRouter:
    api = APIRouter()
    issuer_holder: list[Issuer] = []

    def issuer(request: Request) -> Issuer:
        if not issuer_holder:
            issuer_holder.append(Issuer.load_or_create(request.app.state.settings.issuer_keys))
        return issuer_holder[0]

    def signin_page(request: Request, error: str = "", status_code: int = 200,
                    org: str = "", person: str = "") -> HTMLResponse:
        token = secrets.token_urlsafe(32)
        directory = request.app.state.refdata.directory
        orgs = sorted(directory, key=lambda o: (list(KIND_NAMES).index(o.kind.value)
                                                if o.kind.value in KIND_NAMES else 99, o.id))
        groups = [(KIND_NAMES.get(kind, kind), list(items))
                  for kind, items in groupby(orgs, key=lambda o: o.kind.value)]
        response = page(request, "signin.html", None, status_code=status_code, groups=groups,
                        pre_csrf=token, error=error, chosen=org, person=person or "staff-1")
        response.set_cookie(PRE_COOKIE, token, httponly=True, samesite="lax",
                            secure=secure(request), max_age=3600)
        return response

    @api.get("/signin", response_class=HTMLResponse)
    async def signin_form(request: Request) -> Response:
        return signin_page(request)

    @api.post("/signin")
    async def signin(request: Request) -> Response:
        form = await request.form()
        given, kept = form.get(CSRF_FIELD), request.cookies.get(PRE_COOKIE)
        org, person = str(form.get("org") or ""), str(form.get("person") or "").strip()
        if not kept or not isinstance(given, str) or not secrets.compare_digest(given, kept):
            return signin_page(request, "表单已失效，请重新登录", 403)
        directory = request.app.state.refdata.directory
        if org not in directory:
            return signin_page(request, "请选择本区组织机构名录中的单位", 422, org, person)
        if not PERSON.match(person):
            return signin_page(request, "经办人编号只能包含字母、数字和 ._@-，最长64位", 422,
                               org, person)
        ttl = request.app.state.settings.session_ttl_s
        organisation = directory.get(org)
        session = request.app.state.sessions.add(Session(
            org=org, org_name=organisation.name, org_kind=organisation.kind.value,
            person=person, token=issuer(request).issue(org, person, timedelta(seconds=ttl)),
            expires_at=time.time() + ttl))
        target = "/board" if session.is_government else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, session.id, httponly=True, samesite="lax",
                            secure=secure(request), max_age=ttl)
        response.delete_cookie(PRE_COOKIE)
        return response

    @api.post("/signout")
    async def signout(request: Request) -> Response:
        session = session_of(request)
        form = await request.form()
        given = form.get(CSRF_FIELD)
        if not session.csrf_ok(given if isinstance(given, str) else None):
            return Response("表单已失效", status_code=403)
        request.app.state.sessions.drop(session.id)
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    return api
