"""The district government's desk over HTTP."""

from typing import Any

from fastapi import APIRouter, Query

from escalation.adapters.queries import DeskQueries


def router(queries: DeskQueries) -> APIRouter:
    api = APIRouter(tags=["district government desk"])

    @api.get("/deadlines")
    async def open_deadlines(
        org: str | None = Query(default=None, max_length=64),
    ) -> list[dict[str, Any]]:
        return await queries.open_deadlines(org)

    @api.get("/deadlines/overdue")
    async def overdue() -> list[dict[str, Any]]:
        return await queries.overdue()

    @api.get("/notifications")
    async def notifications(limit: int = Query(default=100, ge=1, le=1000)) -> list[dict[str, Any]]:
        return await queries.notifications(limit)

    @api.get("/disputes")
    async def disputes() -> list[dict[str, Any]]:
        return await queries.disputes()

    return api
