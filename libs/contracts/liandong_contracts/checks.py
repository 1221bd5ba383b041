"""Checks on a received message, each raising ContractViolation with its reason."""

import json
import re
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from liandong_contracts.envelope import Event
from liandong_contracts.errors import ContractViolation
from liandong_contracts.registry import ALL_EVENTS, BY_SUBJECT

MAX_EVENT_BYTES = 256 * 1024
SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
ATTRIBUTE_NAMES = frozenset(
    {
        *("id", "source", "type", "specversion", "time", "subject", "dataschema"),
        *("correlationid", "causationid", "actorid", "actorkind", "schemaversion"),
    }
)
_SUBJECT = re.compile(r"^(?P<family>.+)\.v\d+$")
_BY_TYPE = {(model.event_name(), model.version()): model for model in ALL_EVENTS}


def check_transport(ce: dict[str, str], content_type: str | None) -> None:
    if ce.get("specversion", SPEC_VERSION) != SPEC_VERSION:
        raise ContractViolation(
            f"ce-specversion {ce['specversion']!r} is not {SPEC_VERSION!r}",
            code="invalid_headers",
        )
    media_type = (content_type or CONTENT_TYPE).split(";")[0].strip().lower()
    if media_type != CONTENT_TYPE:
        raise ContractViolation(f"content-type {media_type!r} is not JSON", code="invalid_headers")


def check_size(body: bytes) -> None:
    if len(body) > MAX_EVENT_BYTES:
        raise ContractViolation(
            f"body is {len(body)} bytes, over the limit of {MAX_EVENT_BYTES}",
            code="too_large",
        )


def parse(body: bytes) -> tuple[str, dict[str, Any]]:
    """The body as text and as a JSON object."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContractViolation(f"body is not valid UTF-8: {error}", code="not_utf8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ContractViolation(f"body is not valid JSON: {error}", code="not_json") from None
    except RecursionError:
        raise ContractViolation("body is JSON nested too deeply", code="not_json") from None
    if not isinstance(data, dict):
        raise ContractViolation(
            f"body is a JSON {type(data).__name__}, not an object", code="not_json"
        )
    return text, data


def model_for(ce: dict[str, str], data: dict[str, Any]) -> type[Event]:
    """The model by ce-type; without it, by the body's type and schema_version."""
    model = _by_subject(ce["type"]) if "type" in ce else _by_body(data)
    if data.get("type", model.event_name()) != model.event_name():
        raise ContractViolation(
            f"ce-type {ce['type']!r} but the body's type is {data['type']!r}",
            code="header_mismatch",
        )
    version = data.get("schema_version", model.version())
    if version != model.version() or ce.get("schemaversion", str(version)) != str(version):
        raise ContractViolation(
            f"{model.subject()} has schema_version {model.version()}, the message says "
            f"{version!r} (ce-schemaversion {ce.get('schemaversion')!r})",
            code="wrong_version",
        )
    return model


def _by_subject(subject: str) -> type[Event]:
    if subject in BY_SUBJECT:
        return BY_SUBJECT[subject]
    match = _SUBJECT.match(subject)
    known = [s for s in BY_SUBJECT if match and _SUBJECT.match(s)["family"] == match["family"]]
    if known:
        raise ContractViolation(
            f"unknown schema version in {subject!r}; known: {', '.join(known)}",
            code="wrong_version",
        )
    raise ContractViolation(f"unknown event type {subject!r}", code="unknown_type")


def _by_body(data: dict[str, Any]) -> type[Event]:
    name, version = data.get("type"), data.get("schema_version")
    if not isinstance(name, str):
        raise ContractViolation("no ce-type header and no type in the body", code="unknown_type")
    if (name, version) in _BY_TYPE:
        return _BY_TYPE[(name, version)]
    known = [f"v{v}" for (n, v) in _BY_TYPE if n == name]
    if known:
        raise ContractViolation(
            f"{name} has no schema_version {version!r}; known: {', '.join(known)}",
            code="wrong_version",
        )
    raise ContractViolation(f"unknown event type {name!r}", code="unknown_type")


def describe(error: ValidationError) -> str:
    """`field.path: message; ...` for every problem pydantic found."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()
    )


def check_agreement(ce: dict[str, str], expected: dict[str, str]) -> None:
    """Every known `ce-` header that is present agrees with the body it travels with."""
    for name, value in ce.items():
        if name in ATTRIBUTE_NAMES and not _same(name, value, expected.get(name)):
            raise ContractViolation(
                f"ce-{name} {value!r} disagrees with the body: {expected.get(name)!r}",
                code="header_mismatch",
            )


def _same(name: str, header: str, body: str | None) -> bool:
    if body is None:
        return False
    try:
        if name in ("id", "causationid"):
            return UUID(header) == UUID(body)
        if name == "time":
            return datetime.fromisoformat(header) == datetime.fromisoformat(body)
    except ValueError:
        return False
    return header == body
