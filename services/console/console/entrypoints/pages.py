"""The pages: 我的待办, detail pages with the actions allowed now, the district government's
board, the operators' system page. Every read and every action is a call to a service's API
with the signed-in person's token; a refusal comes back next to the field it names."""

import math
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import messages
from console.clients import Answer
from console.entrypoints.common import (
    SHANGHAI,
    checked_form,
    page,
    services,
    session_of,
)
from console.sessions import Session
from console.timing import remaining

# the detail page of a duty, by the first part of its deadline id
DETAIL = {"transfer": "cases", "answer": "cases", "inform": "cases", "ongoing": "cases",
          "judiciary": "cases", "register": "complaints", "tell": "complaints",
          "forward": "complaints", "case": "complaints", "complaint": "complaints",
          "feedback": "complaints", "request": "info", "share": "info",
          "assistance": "assistance", "dispatch": "assistance", "call": "calls",
          "dispute": "disputes"}


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def moment(text: str | None) -> str | None:
    """A datetime-local input (Asia/Shanghai) as an aware ISO time; empty: none."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return text  # the service refuses it naming the field
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)).isoformat()


def now_local() -> str:
    return datetime.now(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def duty_rows(request: Request, deadlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    settings = request.app.state.settings
    calendar = request.app.state.calendar
    now = datetime.now(UTC)
    rows = []
    for d in deadlines:
        prefix, _, rest = str(d.get("_id", "")).partition(":")
        subject = rest.split(":")[0]
        section = DETAIL.get(prefix)
        rows.append({**d, "kind": prefix, "kind_name": messages.KINDS.get(prefix, prefix),
                     "link": f"/{section}/{subject}" if section and subject else None,
                     "left": remaining(d, calendar, settings.warn_fraction, now)})
    return rows


# escalation's `/deadlines` answers at most this many (soonest due first)
LIST_CAP = 1000

# -- actions: (service, path, form -> body), by (page, action) ---------------------------

Build = Callable[[dict[str, Any]], Any]


def _materials(f: dict[str, Any]) -> dict[str, Any]:
    return {"materials": {"transfer_letter": f.get("transfer_letter") or None,
                          "case_source": lines(f.get("case_source")),
                          "preliminary_evidence": lines(f.get("preliminary_evidence"))}}


def _decision(f: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"owner": f.get("owner", ""),
                            "decision_ref": f.get("decision_ref", ""),
                            "catalogue_correction": f.get("catalogue_correction") == "on"}
    if body["catalogue_correction"]:
        body["correction_places"] = [p for p in f.get("correction_places", "").split(",")
                                     if p.strip()]
        if f.get("correction_effective_from"):
            body["correction_effective_from"] = f["correction_effective_from"]
    return body


ACTIONS: dict[tuple[str, str], tuple[str, str, Build]] = {
    ("cases", "transfer"): ("referral", "/cases/{id}/transfer", _materials),
    ("cases", "accept"): ("referral", "/cases/{id}/accept", lambda f: {}),
    ("cases", "refuse"): ("referral", "/cases/{id}/refuse",
                          lambda f: {"grounds": f.get("grounds", ""),
                                     "reason": f.get("reason", "")}),
    ("cases", "ongoing"): ("referral", "/cases/{id}/ongoing", lambda f: {
        "stop_ordered_at": moment(f.get("stop_ordered_at")), "summary": f.get("summary", "")}),
    ("cases", "acknowledge"): ("referral", "/cases/{id}/ongoing/acknowledge", lambda f: {
        "case_id": f.get("case_id") or None, "reason": f.get("reason", "")}),
    ("cases", "crime"): ("referral", "/cases/{id}/crime",
                         lambda f: {"grounds": f.get("grounds", "")}),
    ("cases", "judiciary"): ("referral", "/cases/{id}/judiciary", lambda f: {
        "judicial_organ": f.get("judicial_organ", ""), "materials": lines(f.get("materials"))}),
    ("cases", "judiciary-decision"): ("referral", "/cases/{id}/judiciary/decision", lambda f: {
        "decision": f.get("decision", ""), "reason": f.get("reason", "")}),
    ("cases", "close"): ("referral", "/cases/{id}/close",
                         lambda f: {"outcome": f.get("outcome", "")}),
    ("cases", "dispute"): ("referral", "/cases/{id}/dispute",
                           lambda f: {"reason": f.get("reason", "")}),
    ("complaints", "forward"): ("complaint", "/complaints/{id}/forward", lambda f: {
        "matter_code": f.get("matter_code", ""), "locality": f.get("locality", ""),
        "reason": f.get("reason", "")}),
    ("complaints", "guidance"): ("complaint", "/complaints/{id}/guidance",
                                 lambda f: {"guidance": f.get("guidance", "")}),
    ("complaints", "verification"): ("complaint", "/complaints/{id}/verification", lambda f: {
        "outcome": f.get("outcome", ""), "findings": f.get("findings", ""),
        **({"case_id": f["case_id"]} if f.get("case_id") else {})}),
    ("complaints", "case"): ("complaint", "/complaints/{id}/case",
                             lambda f: {"case_id": f.get("case_id", "")}),
    ("complaints", "contest"): ("complaint", "/complaints/{id}/contest",
                                lambda f: {"reason": f.get("reason", "")}),
    ("complaints", "answer"): ("complaint", "/complaints/{id}/answer",
                               lambda f: {"result": f.get("result", "")}),
    ("complaints", "feedback"): ("complaint", "/complaints/{id}/feedback",
                                 lambda f: {"result": f.get("result", "")}),
    ("disputes", "agreement"): ("escalation", "/disputes/{id}/agreement",
                                lambda f: {"owner": f.get("owner", "")}),
    ("disputes", "escalation"): ("escalation", "/disputes/{id}/escalation", lambda f: {}),
    ("disputes", "decision"): ("escalation", "/disputes/{id}/decision", _decision),
    ("assistance", "dispatch"): ("assistance", "/requests/{id}/dispatch", lambda f: {
        "staff_count": f.get("staff_count", ""), "leader": f.get("leader") or None}),
    ("assistance", "answer"): ("assistance", "/requests/{id}/answer", lambda f: {
        "answer": f.get("answer", ""), "reason": f.get("reason", "")}),
    ("assistance", "extension"): ("assistance", "/requests/{id}/extension", lambda f: {
        "new_due_at": moment(f.get("new_due_at")), "reason": f.get("reason", "")}),
    ("calls", "answer"): ("assistance", "/calls/{id}/answer", lambda f: {
        "answer": f.get("answer", ""), "reason": f.get("reason", "")}),
    ("calls", "dispatch"): ("assistance", "/calls/{id}/dispatch", lambda f: {
        "staff_count": f.get("staff_count", ""), "leader": f.get("leader") or None}),
}

# -- the new things a clerk starts: (service, path, form -> body, where to go after) -------

NEW: dict[str, tuple[str, str, Build, Callable[[Any], str]]] = {
    "case": ("referral", "/cases", lambda f: {
        "matter_code": f.get("matter_code", ""), "locality": f.get("locality", ""),
        "found_at": moment(f.get("found_at")), "summary": f.get("summary", ""),
        "urgent": f.get("urgent") == "on",
        **({"stop_ordered_at": moment(f["stop_ordered_at"])} if f.get("stop_ordered_at")
           else {})},
        lambda body: f"/cases/{body['case_id']}"),
    "own-case": ("referral", "/cases/own", lambda f: {
        "matter_code": f.get("matter_code", ""), "locality": f.get("locality", ""),
        "found_at": moment(f.get("found_at")), "summary": f.get("summary", ""),
        **({"complaint_id": f["complaint_id"]} if f.get("complaint_id") else {})},
        lambda body: f"/cases/{body['case_id']}"),
    "complaint": ("complaint", "/complaints", lambda f: {
        "channel": f.get("channel", ""), "received_at": moment(f.get("received_at")),
        "matter_code": f.get("matter_code") or None, "locality": f.get("locality") or None,
        "summary": f.get("summary", ""),
        "complainant": {"name": f.get("complainant_name", ""),
                        "phone": f.get("complainant_phone") or None}},
        lambda body: f"/complaints/{body['complaint_id']}"),
    "assistance": ("assistance", "/requests", lambda f: {
        "kind": f.get("kind", ""), "receiver": f.get("receiver", ""),
        "summary": f.get("summary", ""), "urgent": f.get("urgent") == "on",
        "evidence_at_risk": f.get("evidence_at_risk") == "on",
        **({"case_id": f["case_id"]} if f.get("case_id") else {}),
        "documents": [{"title": f.get("document_title") or "协助函", "uri": uri}
                      for uri in lines(f.get("documents"))]},
        lambda body: f"/assistance/{body['request_id']}"),
    "call": ("assistance", "/calls", lambda f: {
        "kind": f.get("kind", ""), "called": [c for c in f.get("called", "").split(",") if c],
        "reason": f.get("reason", ""),
        **({"matter_code": f["matter_code"]} if f.get("matter_code") else {})},
        lambda body: f"/calls/{body['call_id']}"),
    "dispute": ("escalation", "/disputes", lambda f: {
        "other_party": f.get("other_party", ""), "matter_code": f.get("matter_code", ""),
        "subject_id": f.get("subject_id", ""), "subject_kind": f.get("subject_kind", "matter"),
        "reason": f.get("reason", "")}, lambda body: f"/disputes/{body['dispute_id']}"),
}

READS = {"cases": ("referral", "/cases/{id}"), "complaints": ("complaint", "/complaints/{id}"),
         "disputes": ("escalation", "/disputes/{id}"), "info": ("sharing", "/info/{id}"),
         "assistance": ("assistance", "/requests/{id}"), "calls": ("assistance", "/calls/{id}")}


def router() -> APIRouter:
    api = APIRouter()

    # -- 我的待办 ------------------------------------------------------------------------

    async def todo_context(request: Request, session: Session, kind: str | None,
                           page_no: int) -> dict[str, Any]:
        answer = await services(request).get("escalation", "/deadlines", session.token)
        deadlines = answer.body if answer.ok and isinstance(answer.body, list) else []
        rows = duty_rows(request, deadlines)
        capped = len(deadlines) >= LIST_CAP
        counts = Counter(row["kind"] for row in rows)
        if kind:
            rows = [row for row in rows if row["kind"] == kind]
        size = request.app.state.settings.page_size
        pages = max(1, math.ceil(len(rows) / size))
        page_no = min(max(1, page_no), pages)
        return {"rows": rows[(page_no - 1) * size: page_no * size], "counts": counts,
                "total": sum(counts.values()), "kind": kind or "", "page_no": page_no,
                "pages": pages, "capped": capped, "cap": LIST_CAP,
                "error": None if answer.ok else messages.refusal(answer.status, answer.body),
                "refresh_s": request.app.state.settings.refresh_s}

    @api.get("/", response_class=HTMLResponse)
    async def todo(request: Request, kind: str | None = None, page_no: int = 1) -> Response:
        session = session_of(request)
        context = await todo_context(request, session, kind, page_no)
        return page(request, "todo.html", session, **context)

    @api.get("/todo/rows", response_class=HTMLResponse)
    async def todo_rows(request: Request, kind: str | None = None, page_no: int = 1) -> Response:
        """The part 我的待办 polls (htmx, every `refresh_s`)."""
        session = session_of(request)
        context = await todo_context(request, session, kind, page_no)
        return page(request, "todo_rows.html", session, **context)

    # -- new things -----------------------------------------------------------------------

    def new_context(request: Request) -> dict[str, Any]:
        refdata = request.app.state.refdata
        directory = refdata.directory
        return {"matters": list(refdata.catalogue), "now": now_local(),
                "places": [o for o in directory if o.kind.value in ("township", "street_office")],
                "orgs": list(directory)}

    @api.get("/new/{what}", response_class=HTMLResponse)
    async def new_form(request: Request, what: str) -> Response:
        session = session_of(request)
        if what not in NEW:
            return page(request, "error.html", session, 404, message=messages.STATUS[404])
        return page(request, f"new_{what.replace('-', '_')}.html", session, form={},
                    refused=None, **new_context(request))

    @api.post("/new/{what}")
    async def create(request: Request, what: str) -> Response:
        session = session_of(request)
        form = await checked_form(request, session)
        if what not in NEW:
            return page(request, "error.html", session, 404, message=messages.STATUS[404])
        service, path, build, after = NEW[what]
        answer = await services(request).post(service, path, session.token, build(form))
        if answer.ok:
            return RedirectResponse(after(answer.body), status_code=303)
        return page(request, f"new_{what.replace('-', '_')}.html", session,
                    _status(answer), form=form, refused=messages.refusal(answer.status,
                                                                         answer.body),
                    **new_context(request))

    # -- detail pages and their actions ---------------------------------------------------

    async def detail(request: Request, session: Session, section: str, item_id: str,
                     refused: messages.Refusal | None = None, action: str = "",
                     form: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        service, path = READS[section]
        calls = services(request)
        answer = await calls.get(service, path.format(id=item_id), session.token)
        if not answer.ok:
            problem = messages.refusal(answer.status, answer.body)
            return page(request, "error.html", session, _status(answer), message=problem.text)
        duties = await calls.get("escalation", "/deadlines", session.token)
        related = [row for row in duty_rows(request, duties.body if duties.ok else [])
                   if item_id in str(row.get("_id", "")).split(":")]
        extra: dict[str, Any] = {}
        if section == "cases":
            extra["may"] = case_actions(answer.body, session)
        elif section == "disputes":
            extra["may"] = dispute_actions(answer.body, session)
        else:
            extra["may"] = set()
        return page(request, f"{section}.html", session, status_code, item=answer.body,
                    item_id=item_id, duties=related, refused=refused, action=action,
                    form=form or {}, now=now_local(),
                    orgs=list(request.app.state.refdata.directory),
                    places=[o for o in request.app.state.refdata.directory
                            if o.kind.value in ("township", "street_office")],
                    matters=list(request.app.state.refdata.catalogue), **extra)

    @api.get("/{section}/{item_id}", response_class=HTMLResponse)
    async def show(request: Request, section: str, item_id: str) -> Response:
        session = session_of(request)
        if section not in READS:
            return page(request, "error.html", session, 404, message=messages.STATUS[404])
        return await detail(request, session, section, item_id)

    @api.post("/{section}/{item_id}/{action}")
    async def act(request: Request, section: str, item_id: str, action: str) -> Response:
        session = session_of(request)
        form = await checked_form(request, session)
        if (section, action) not in ACTIONS:
            return page(request, "error.html", session, 404, message=messages.STATUS[404])
        service, path, build = ACTIONS[(section, action)]
        answer = await services(request).post(service, path.format(id=item_id), session.token,
                                              build(form))
        if answer.ok:
            return RedirectResponse(f"/{section}/{item_id}", status_code=303)
        return await detail(request, session, section, item_id,
                            messages.refusal(answer.status, answer.body), action, form,
                            _status(answer))

    # -- 区政府督办台 ---------------------------------------------------------------------

    @api.get("/board", response_class=HTMLResponse)
    async def board(request: Request, since: str | None = None, until: str | None = None,
                    partial: bool = False) -> Response:
        session = session_of(request)
        if not session.is_government:
            return page(request, "error.html", session, 403,
                        message="区政府督办台仅供区人民政府使用")
        calls = services(request)
        overdue, breaches, refusals, disputes, rates = await calls.many(
            session.token, ("escalation", "/deadlines/overdue"),
            ("escalation", "/notifications?kind=breach&limit=50"),
            ("escalation", "/notifications?kind=refusal_reported&limit=50"),
            ("escalation", "/disputes"),
            ("escalation", "/board/on-time" + _period(since, until)))
        return page(request, "board_live.html" if partial else "board.html", session,
                    overdue=duty_rows(request, _list(overdue)), breaches=_list(breaches),
                    refusals=_list(refusals),
                    disputes=[d for d in _list(disputes) if d.get("state") != "decided"],
                    decided=[d for d in _list(disputes) if d.get("state") == "decided"],
                    rates=rates.body if rates.ok else None, since=since or "",
                    until=until or "", refresh_s=request.app.state.settings.refresh_s)

    # -- 系统 -----------------------------------------------------------------------------

    @api.get("/system", response_class=HTMLResponse)
    async def system(request: Request) -> Response:
        session = session_of(request)
        calls = services(request)
        health = await calls.health()
        letters = {}
        if session.is_government:
            for name in calls.urls:
                answer = await calls.get(name, "/dead-letters", session.token)
                letters[name] = answer
        calendar = request.app.state.calendar
        today = datetime.now(SHANGHAI).date()
        return page(request, "system.html", session, health=health, letters=letters,
                    official=sorted(calendar.official_years),
                    missing=calendar.missing_years(today))

    return api


def _status(answer: Answer) -> int:
    return answer.status if 400 <= answer.status < 500 else 502


def _list(answer: Answer) -> list[dict[str, Any]]:
    return answer.body if answer.ok and isinstance(answer.body, list) else []


def _period(since: str | None, until: str | None) -> str:
    query = urlencode([(k, v) for k, v in (("since", since), ("until", until)) if v])
    return f"?{query}" if query else ""


def _org_id(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) else value


def case_actions(case: dict[str, Any], session: Session) -> set[str]:
    """What this organisation may do on the case now (the service decides again)."""
    org, status = session.org, case.get("status")
    finder, owner = case.get("finder_id"), case.get("owner_id")
    own = case.get("kind") == "own"
    handler = owner if own or status in ("accepted", "closed", "kept") else finder
    may: set[str] = set()
    if org == finder and not own and status in ("found", "returned"):
        may.add("transfer")
        if case.get("ongoing", "none") == "none":
            may.add("ongoing")
    if org == owner and status == "transferred":
        may |= {"accept", "refuse"}
    if org == owner and case.get("ongoing") == "reported":
        may.add("acknowledge")
    if org == handler and status != "closed":
        if case.get("crime", "none") in ("none", "declined"):
            may.add("crime")
        if case.get("crime") == "suspected":
            may.add("judiciary")
        if status in ("accepted", "registered") or own:
            may.add("close")
    if org == case.get("judicial_organ_id") and case.get("crime") == "transferred":
        may.add("judiciary-decision")
    if org in (finder, owner) and status == "kept":
        may.add("dispute")
    return may


def dispute_actions(dispute: dict[str, Any], session: Session) -> set[str]:
    parties = {_org_id(p) for p in dispute.get("parties", [])}
    state = dispute.get("state")
    may: set[str] = set()
    if session.org in parties and state == "negotiating":
        may |= {"agreement", "escalation"}
    if session.is_government and state == "escalated":
        may.add("decision")
    return may
