"""The sharing commands over NATS (`liandong.cmd.<org>.sharing.<command>`): each maps the
message onto the same command, checked by the same request model, as its HTTP route, and
calls the same service method (`liandong_runtime.bus_commands`)."""

from dataclasses import asdict
from typing import Any

from liandong_runtime.acting import Acting
from liandong_runtime.bus_commands import CommandBus, CommandMessage, parse_input
from liandong_runtime.runtime import Runtime
from sharing.entrypoints import schemas as s
from sharing.service import commands as c
from sharing.service.handlers import SharingService


def serve(rt: Runtime, service: SharingService) -> CommandBus:
    bus = CommandBus.of(rt)

    @bus.route("publish_info", status=201)
    async def publish_info(acting: Acting, m: CommandMessage) -> dict[str, Any]:
        body = parse_input(s.InfoIn, m)
        audience = "all" if body.audience == "all" else tuple(body.audience)
        fields = body.model_dump(exclude={"audience", "attachments"})
        return asdict(await service.publish(c.PublishInfo(
            acting, audience=audience, attachments=tuple(map(str, body.attachments)),
            **fields)))

    @bus.route("declare_delay", status=201)
    async def declare_delay(acting: Acting, m: CommandMessage) -> dict[str, Any]:
        body = parse_input(s.DelayIn, m)
        return asdict(await service.declare_delay(c.DeclareDelay(acting, **body.model_dump())))

    @bus.route("request_info", status=201)
    async def request_info(acting: Acting, m: CommandMessage) -> dict[str, Any]:
        body = parse_input(s.RequestIn, m)
        return asdict(await service.request(c.RequestInfo(acting, **body.model_dump())))

    return bus
