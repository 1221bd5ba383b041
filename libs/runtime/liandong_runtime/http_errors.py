"""Domain errors as HTTP answers: each names the rule (if any) and the field.

The OpenAPI document says so too: every operation that takes input documents its 422 as
either FastAPI's validation error or a `Refusal` (`rule`, `field`, `detail`), and the
403, 404 and 409 refusals with the same shape.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from liandong_runtime import http_inputs
from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation
from liandong_runtime.http_inputs import short

REFUSAL = {
    "title": "Refusal", "type": "object", "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What is wrong, for a person to read"},
        "rule": {"type": "string", "description": "The rule of RULES.md that refuses"},
        "field": {"anyOf": [{"type": "string"}, {"type": "null"}],
                  "description": "The field or state at fault"},
    },
}
REFUSED = {"403": "Not allowed for the acting organisation", "404": "Not found",
           "409": "Not in a state that allows it"}
UNAUTHENTICATED = {"401": "No valid bearer token", "403": "Not allowed for the acting organisation",
                   "503": "The identity provider's keys are unreachable"}


def install(app: FastAPI) -> None:
    """The refusals of every service, and the shared input layer (`http_inputs`).

    Messages are cut to `http_inputs.LIMITS.message_chars`: a refusal never repeats a
    long input back."""
    http_inputs.install(app)

    @app.exception_handler(RuleViolation)
    async def rule_violation(_: Request, exc: RuleViolation) -> JSONResponse:
        return JSONResponse(status_code=422, content={
            "rule": exc.rule, "field": short(exc.field), "detail": short(exc.message)})

    @app.exception_handler(NotAllowed)
    async def not_allowed(_: Request, exc: NotAllowed) -> JSONResponse:
        return JSONResponse(status_code=409 if exc.field == "status" else 403,
                            content={"field": short(exc.field), "detail": short(exc.message)})

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": short(f"not found: {exc.what}")})

    document_refusals(app)


def document_refusals(app: FastAPI) -> None:
    """Wrap `app.openapi` so the document names the refusals the handlers above answer."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = REFUSAL
        refusal = {"$ref": "#/components/schemas/Refusal"}
        for operation in _operations(schema):
            responses = operation["responses"]
            invalid = responses["422"]["content"]["application/json"]
            invalid["schema"] = {"anyOf": [invalid["schema"], refusal]}
            for status, description in REFUSED.items():
                responses.setdefault(status, {"description": description, "content": {
                    "application/json": {"schema": refusal}}})
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                for status, description in http_inputs.INPUT_REFUSALS.items():
                    responses.setdefault(status, {"description": description, "content": {
                        "application/json": {"schema": refusal}}})
        for operation in _secured(schema):
            for status, description in UNAUTHENTICATED.items():
                operation["responses"].setdefault(status, {
                    "description": description,
                    "content": {"application/json": {"schema": refusal}}})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations that take input (FastAPI documents a 422 for them), JSON ones only."""
    return [op for path in schema.get("paths", {}).values() for op in path.values()
            if "application/json" in op.get("responses", {}).get("422", {}).get("content", {})]


def _secured(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations that need a bearer token (`liandong_runtime.auth`)."""
    return [op for path in schema.get("paths", {}).values() for op in path.values()
            if op.get("security")]
