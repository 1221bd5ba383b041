"""Domain errors as HTTP answers: each names the rule (if any) and the field."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation


def install(app: FastAPI) -> None:
    @app.exception_handler(RuleViolation)
    async def rule_violation(_: Request, exc: RuleViolation) -> JSONResponse:
        return JSONResponse(status_code=422, content={
            "rule": exc.rule, "field": exc.field, "detail": exc.message})

    @app.exception_handler(NotAllowed)
    async def not_allowed(_: Request, exc: NotAllowed) -> JSONResponse:
        return JSONResponse(status_code=409 if exc.field == "status" else 403,
                            content={"field": exc.field, "detail": exc.message})

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": f"not found: {exc.what}"})
