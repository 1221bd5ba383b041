"""The sharing commands over NATS (`liandong.cmd.<org>.sharing.<command>`): each maps the
message onto the same command, checked by the same request model, as its HTTP route, and
calls the same service method (`liandong_runtime.bus_commands`)."""

from dataclasses import asdict
from typing import Any

from liandong_runtime.acting import Acting
from liandong_runtime.bus_commands import CommandBus, CommandMessage
from liandong_runtime.runtime import Runtime
from sharing.entrypoints import schemas as s
from sharing.service import commands as c
from sharing.service.handlers import SharingService


def serve(rt: Runtime, service: SharingService) -> CommandBus:
    bus = CommandBus.of(rt)

    @bus.route("publish_info", status=201, input=s.InfoIn)
    async def publish_info(acting: Acting, m: CommandMessage, body: s.InfoIn) -> dict[str, Any]:
        audience = "all" if body.audience == "all" else tuple(body.audience)
        fields = body.model_dump(exclude={"audience", "attachments"})
        return asdict(await service.publish(c.PublishInfo(
            acting, audience=audience, attachments=tuple(map(str, body.attachments)),
            **fields)))

    @bus.route("declare_delay", status=201, input=s.DelayIn)
    async def declare_delay(acting: Acting, m: CommandMessage, body: s.DelayIn) -> dict[str, Any]:
        return asdict(await service.declare_delay(c.DeclareDelay(acting, **body.model_dump())))

    @bus.route("request_info", status=201, input=s.RequestIn)
    async def request_info(acting: Acting, m: CommandMessage, body: s.RequestIn) -> dict[str, Any]:
        return asdict(await service.request(c.RequestInfo(acting, **body.model_dump())))

    return bus
