"""The referral commands over NATS (`liandong.cmd.<org>.referral.<command>`): each maps
the message onto the same command, checked by the same request model, as its HTTP route,
and calls the same service method (`liandong_runtime.bus_commands`)."""

from typing import Any

from liandong_runtime.acting import Acting
from liandong_runtime.bus_commands import CommandBus, CommandMessage
from liandong_runtime.runtime import Runtime
from referral.domain.events import Materials
from referral.entrypoints import schemas as s
from referral.service import commands as c
from referral.service.handlers import ReferralService


def serve(rt: Runtime, service: ReferralService) -> CommandBus:
    bus = CommandBus.of(rt)

    @bus.route("record_finding", status=201, input=s.FindingIn)
    async def record_finding(acting: Acting, m: CommandMessage,
                             body: s.FindingIn) -> dict[str, Any]:
        fields = body.model_dump(exclude={"locality"})
        cmd = c.RecordFinding(acting=acting, locality_id=body.locality, **fields)
        return {"case_id": await service.record_finding(cmd)}

    @bus.route("register_case", status=201, input=s.OwnCaseIn)
    async def register_case(acting: Acting, m: CommandMessage,
                            body: s.OwnCaseIn) -> dict[str, Any]:
        return {"case_id": await service.register_case(c.RegisterCase(
            acting, body.matter_code, body.locality, body.found_at, body.summary,
            body.complaint_id))}

    @bus.route("transfer", needs_id="case", input=s.TransferIn)
    async def transfer(acting: Acting, m: CommandMessage, body: s.TransferIn) -> None:
        given = body.materials
        materials = Materials(str(given.transfer_letter or ""), tuple(map(str, given.case_source)),
                              tuple(map(str, given.preliminary_evidence)))
        await service.transfer(c.TransferCase(acting, str(m.id), materials))

    @bus.route("accept", needs_id="case")
    async def accept(acting: Acting, m: CommandMessage, _: None) -> None:
        await service.accept(c.AcceptTransfer(acting, str(m.id)))

    @bus.route("refuse", needs_id="case", input=s.RefusalIn)
    async def refuse(acting: Acting, m: CommandMessage, body: s.RefusalIn) -> None:
        await service.refuse(c.RefuseTransfer(acting, str(m.id), body.grounds, body.reason))

    @bus.route("close", needs_id="case", input=s.CloseIn)
    async def close(acting: Acting, m: CommandMessage, body: s.CloseIn) -> None:
        await service.close(c.CloseCase(acting, str(m.id), body.outcome))

    return bus
