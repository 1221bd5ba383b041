"""The sharing HTTP API: each route maps a body onto one command or query."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from liandong_runtime.auth import ActingOrg, ActingPerson, Caller
from sharing.adapters.queries import InfoQueries, Search
from sharing.entrypoints import schemas as s
from sharing.service import commands as c
from sharing.service.handlers import SharingService


def router(service: SharingService, queries: InfoQueries) -> APIRouter:
    api = APIRouter(tags=["sharing"])

    @api.post("/info", status_code=status.HTTP_201_CREATED)
    async def publish(body: s.InfoIn, org: ActingOrg,
                      person: ActingPerson) -> dict[str, Any]:
        audience = "all" if body.audience == "all" else tuple(body.audience)
        fields = body.model_dump(exclude={"audience", "attachments"})
        return asdict(await service.publish(c.PublishInfo(
            c.Acting(org, person), audience=audience,
            attachments=tuple(map(str, body.attachments)), **fields)))

    @api.post("/info/delays", status_code=status.HTTP_201_CREATED)
    async def declare_delay(body: s.DelayIn, org: ActingOrg,
                            person: ActingPerson) -> dict[str, Any]:
        cmd = c.DeclareDelay(c.Acting(org, person), **body.model_dump())
        return asdict(await service.declare_delay(cmd))

    @api.post("/info/requests", status_code=status.HTTP_201_CREATED)
    async def request(body: s.RequestIn, org: ActingOrg,
                      person: ActingPerson) -> dict[str, Any]:
        cmd = c.RequestInfo(c.Acting(org, person), **body.model_dump())
        return asdict(await service.request(cmd))

    @api.get("/info/requests")
    async def requests(q: Annotated[s.RequestsIn, Query()],
                       org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.requests(org, q.open_only)

    @api.get("/info")
    async def search(q: Annotated[s.SearchIn, Query()], org: ActingOrg) -> dict[str, Any]:
        found = Search(q.category, q.producer, q.matter_code,
                       q.since and s.moment(q.since), q.until and s.moment(q.until))
        return await queries.search(org, found, q.limit, q.before)

    @api.get("/info/{info_id}")
    async def item(info_id: str, org: ActingOrg) -> dict[str, Any]:
        return await queries.item(info_id, org)

    @api.post("/subscriptions", status_code=status.HTTP_201_CREATED)
    async def subscribe(body: s.SubscriptionIn, acting: Caller) -> dict[str, str]:
        cmd = c.Subscribe(acting, *map(tuple, (body.categories, body.producers,
                                                      body.matter_codes)))
        return {"subscription_id": await service.subscribe(cmd)}

    @api.get("/subscriptions")
    async def subscriptions(org: ActingOrg) -> list[dict[str, Any]]:
        return await queries.subscriptions(org)

    @api.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
    async def unsubscribe(subscription_id: str, acting: Caller) -> None:
        await service.unsubscribe(c.Unsubscribe(acting, subscription_id))

    @api.get("/feed")
    async def feed(q: Annotated[s.FeedIn, Query()], org: ActingOrg) -> dict[str, Any]:
        return await queries.feed(org, q.after, q.limit)

    return api
