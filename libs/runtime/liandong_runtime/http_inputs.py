"""What every service accepts over HTTP: one limit table, enforced by shared code.

- `LIMITS` is the table: body size per endpoint (`body_limit`), string and list lengths,
  integers and times. `docs/limits.md` shows it; a test checks the two agree.
- `BodySizeLimit` answers 413 before the body is parsed: at once for a declared
  `Content-Length` over the limit, and as soon as a streamed body passes it.
- `Body` is the base of every request model (bodies and query models): it refuses extra
  fields, NUL characters and lone surrogates in any string, strings and lists over the
  table's lengths, integers outside 64 bits, `true`/`false` where a number is wanted,
  numbers where a flag is wanted, non-finite numbers, and times and dates outside the range
  the system can hold (`liandong_runtime.times`). A model added later inherits all of it.
- `install` answers a refused request in short: FastAPI's validation error without the
  input (a refusal never repeats a 2 MB summary), naming the field; 415 when the body is
  not declared JSON; 413 when the event a request would record is over the contract's size.
"""

import math
import types
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from liandong_contracts.cloudevents import MAX_EVENT_BYTES, ContractViolation
from liandong_runtime import times
from liandong_runtime.errors import RuleViolation

KIB = 1024


@dataclass(frozen=True)
class InputLimits:
    """The limits on what a request may carry; each row of `docs/limits.md`."""

    json_body_bytes: int = 64 * KIB      # a JSON body, unless `body_bytes` says otherwise
    form_body_bytes: int = 16 * KIB      # the Open311 form
    text_chars: int = 4000               # any string without a smaller limit of its own
    list_items: int = 500                # any list without a smaller limit of its own
    documents: int = 50                  # attachments, materials, evidence lists
    url_chars: int = 2083                # an http(s) URL (pydantic's HttpUrl)
    int_min: int = -(2**63)              # integers as MongoDB stores them (8 bytes)
    int_max: int = 2**63 - 1
    earliest: datetime = times.EARLIEST  # times (and dates) the system can count from
    latest: datetime = times.LATEST
    errors_shown: int = 10               # validation errors in one answer
    message_chars: int = 300             # a refusal's message, at most
    event_bytes: int = MAX_EVENT_BYTES   # the contract's limit on one event


LIMITS = InputLimits()

# endpoints whose body limit is not `json_body_bytes`: path -> bytes
BODY_LIMITS: dict[str, int] = {"/open311/v2/requests.json": LIMITS.form_body_bytes}


def body_limit(path: str) -> int:
    return BODY_LIMITS.get(path, LIMITS.json_body_bytes)


# -- before parsing ----------------------------------------------------------------------

def too_large(size: int | str, limit: int) -> HTTPException:
    return HTTPException(413, f"body: {size} bytes is over the limit of {limit} bytes for "
                              "this endpoint (docs/limits.md)")


class BodySizeLimit:
    """413 for a body over `body_limit(path)`, before anything reads it.

    The refusal is raised from the first `receive` (declared length) or from the one that
    passes the limit (streamed body), as an HTTPException: the app answers it with its own
    handlers, in its own shape.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > limit:
                raise too_large(int(declared), limit)
            if not declared.isdigit() and declared:
                raise HTTPException(400, "content-length: not a number of bytes")
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(f"more than {limit}", limit)
            return message

        await self.app(scope, limited, send)


# -- the shared base of request models ---------------------------------------------------

def _refuse(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _admits(annotation: Any, kind: type) -> bool:
    """Whether a field's annotation takes values of `kind` (through unions and Annotated)."""
    if annotation is kind:
        return True
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, Annotated):
        return any(_admits(arg, kind) for arg in get_args(annotation))
    return False


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise _refuse("string_nul", f"{where}contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse("string_surrogate",
                      f"{where}contains a lone surrogate: not a Unicode character") from None
    if len(text) > LIMITS.text_chars:
        raise _refuse("string_too_long",
                      f"{where}at most {LIMITS.text_chars} characters, please")


def _check(value: Any, where: str = "") -> None:
    if isinstance(value, BaseModel):  # validated by its own class
        return
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not LIMITS.int_min <= value <= LIMITS.int_max:
            raise _refuse("int_range", f"{where}an integer of at most 64 bits, please")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse("float_finite", f"{where}a finite number, please")
    elif isinstance(value, datetime):
        try:
            times.in_utc(value, "time")
        except RuleViolation as exc:
            raise _refuse("time_range", f"{where}{exc.message}") from None
    elif isinstance(value, date):
        if not LIMITS.earliest.date() <= value < LIMITS.latest.date():
            raise _refuse("date_range", f"{where}a date between {LIMITS.earliest:%Y} and "
                          f"{LIMITS.latest:%Y}, please")
    elif isinstance(value, list | tuple | set | frozenset):
        if len(value) > LIMITS.list_items:
            raise _refuse("too_long", f"{where}at most {LIMITS.list_items} items, please")
        for index, item in enumerate(value):
            _check(item, f"{where}item {index}: ")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, f"{where}key: ")
            _check(item, f"{where}{str(key)[:40]!r}: ")
    elif hasattr(value, "unicode_string"):  # a pydantic URL
        _check_text(value.unicode_string(), where)


class Body(BaseModel):
    """The base of every request model: see the module's docstring."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _flags_are_not_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None:
            return value
        number = _admits(field.annotation, int) or _admits(field.annotation, float)
        if isinstance(value, bool) and number and not _admits(field.annotation, bool):
            raise _refuse("int_type", "a number, not true or false")
        if _admits(field.annotation, bool) and not number and isinstance(value, int | float) \
                and not isinstance(value, bool):
            raise _refuse("bool_type", "true or false, not a number")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _within_limits(cls, value: Any) -> Any:
        _check(value)
        return value


# -- refusals ----------------------------------------------------------------------------

# refusals at validation that a rule of RULES.md makes: named with it, like a domain refusal
RULE_OF_ERROR = {"time_range": "ESC-5"}  # a time the system cannot count from


def short(text: str) -> str:
    """A message as a refusal shows it: never longer than the table allows."""
    limit = LIMITS.message_chars
    return text if len(text) <= limit else f"{text[:limit - 1]}…"


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header") else list(loc)
    return ".".join(map(str, parts)) or str(loc[0] if loc else "body")


def _error(error: dict[str, Any]) -> dict[str, Any]:
    message = error.get("msg", "invalid")
    if error.get("type") == "json_invalid":
        message = f"not valid JSON: {(error.get('ctx') or {}).get('error', 'decode error')}"
    loc = [part if isinstance(part, int) else short(str(part)) for part in error.get("loc", ())]
    return {"loc": loc, "msg": short(str(message)), "type": str(error.get("type", "invalid"))}


def _json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


def _wrong_content_type(request: Request, exc: RequestValidationError) -> bool:
    content_type = request.headers.get("content-type", "")
    return not _json(content_type) and any(
        tuple(e.get("loc", ())) == ("body",) and e.get("type") in (
            "model_attributes_type", "dict_type", "model_type") for e in exc.errors())


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's refusal of a request that does not validate, without the input it carried."""
    if _wrong_content_type(request, exc):
        given = short(request.headers.get("content-type", "")) or "none"
        return JSONResponse(status_code=415, content={
            "field": "content-type", "detail": "content-type: send the body as JSON with "
            f"`Content-Type: application/json` (this request's: {given})"})
    errors = [_error(e) for e in exc.errors()[:LIMITS.errors_shown]]
    content: dict[str, Any] = {
        "detail": errors, "field": _field(errors[0]["loc"]) if errors else "body"}
    if errors and errors[0]["type"] in RULE_OF_ERROR:
        content["rule"] = RULE_OF_ERROR[errors[0]["type"]]
    return JSONResponse(status_code=422, content=content)


async def contract_violation(_: Request, exc: ContractViolation) -> JSONResponse:
    """An event a request would record that its contract refuses: nothing was recorded."""
    if exc.code == "too_large":
        return JSONResponse(status_code=413, content={"field": "body", "detail": short(
            f"body: what this request would record is too big for one event ({exc.reason}): "
            "send fewer or shorter items")})
    return JSONResponse(status_code=422, content={"field": "body", "detail": short(
        f"body: what this request would record breaks its contract: {exc.reason}")})


INPUT_REFUSALS = {"413": "The body, or the event it would record, is over its size limit "
                         "(docs/limits.md)",
                  "415": "The body is not declared JSON (Content-Type: application/json)"}


def install(app: FastAPI) -> None:
    """The limit on bodies and the short refusals, on `app`."""
    app.add_middleware(BodySizeLimit)
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(ContractViolation, contract_violation)  # type: ignore[arg-type]


# -- the table, as docs/limits.md shows it -----------------------------------------------

ROWS = [
    ("JSON body", f"{LIMITS.json_body_bytes} bytes", "413 before parsing (declared length "
     "at once, a streamed body when it passes)"),
    ("Open311 form body", f"{LIMITS.form_body_bytes} bytes", "413 before parsing, in "
     "GeoReport's error shape"),
    ("any string", f"{LIMITS.text_chars} characters (fields set smaller ones: see each "
     "service's OpenAPI document)", "422 naming the field"),
    ("any string", "no NUL character, no lone surrogate (`\\ud800`…`\\udfff`)",
     "422 naming the field"),
    ("any list", f"{LIMITS.list_items} items (fields set smaller ones)", "422 naming the field"),
    ("documents, materials, evidence, attachments", f"{LIMITS.documents} items",
     "422 naming the field"),
    ("a URL", f"http(s) only, {LIMITS.url_chars} characters", "422 naming the field"),
    ("any integer", f"{LIMITS.int_min} … {LIMITS.int_max} (64 bits); `true`/`false` is not "
     "a number", "422 naming the field"),
    ("a flag", "`true` or `false`; a number is not a flag", "422 naming the field"),
    ("any number", "finite (no NaN, no Infinity)", "422 naming the field"),
    ("any time", f"with its UTC offset; in UTC from {LIMITS.earliest:%Y-%m-%d} to before "
     f"{LIMITS.latest:%Y-%m-%d}", "422 naming the field"),
    ("any date", f"from {LIMITS.earliest:%Y-%m-%d} to before {LIMITS.latest:%Y-%m-%d}",
     "422 naming the field"),
    ("a JSON body's content type", "`application/json` (or `+json`)", "415 naming "
     "`content-type`"),
    ("an event a request records", f"{LIMITS.event_bytes} bytes (the contract's limit)",
     "413 naming the body"),
    ("a refusal", f"at most {LIMITS.errors_shown} errors, messages cut at "
     f"{LIMITS.message_chars} characters; never the input", "—"),
]


def markdown(endpoints: list[tuple[str, str, str]]) -> str:
    """docs/limits.md: the table, and the body limit of each (service, method, path)."""
    lines = [
        "# Limits on what a request may carry",
        "",
        "Generated from `liandong_runtime.http_inputs` (the shared input layer every service",
        "installs with `http_errors.install`); `tests/unit/test_limits_doc.py` checks that this",
        "file and the code agree (`.venv/bin/python -m tests.unit.test_limits_doc` rewrites it).",
        "Every request model derives from `http_inputs.Body`, so a new one inherits all of it.",
        "",
        "| What | Limit | Refused with |",
        "|---|---|---|",
        *(f"| {what} | {limit} | {answer} |" for what, limit, answer in ROWS),
        "",
        "## Body size per endpoint",
        "",
        "| Service | Endpoint | Body limit (bytes) |",
        "|---|---|---|",
        *(f"| {service} | `{method} {path}` | {body_limit(path)} |"
          for service, method, path in endpoints),
        "",
    ]
    return "\n".join(lines)
