"""The complaint commands over NATS (`liandong.cmd.<org>.complaint.<command>`): each maps
the message onto the same command, checked by the same request model, as its HTTP route,
and calls the same service method (`liandong_runtime.bus_commands`).

A command's input holds personal data (CMP-8) as the HTTP body does: it travels by core
NATS request-reply (never stored in a stream) and is never logged; refusals name the
field, never the value."""

from typing import Any

from complaint.entrypoints import schemas as s
from complaint.service import commands as c
from complaint.service.handlers import ComplaintService
from liandong_runtime.acting import Acting
from liandong_runtime.bus_commands import CommandBus, CommandMessage
from liandong_runtime.runtime import Runtime

COMPLAINT = "complaint"


def serve(rt: Runtime, service: ComplaintService) -> CommandBus:
    bus = CommandBus.of(rt)

    @bus.route("register", status=201, input=s.ComplaintIn)
    async def register(acting: Acting, m: CommandMessage, body: s.ComplaintIn) -> dict[str, Any]:
        complaint_id, reference_no = await service.receive(c.ReceiveComplaint(
            acting, body.channel.value, body.summary, body.complainant.to_domain(),
            body.received_at, body.matter_code, body.locality, s.materials(body.materials)))
        return {"complaint_id": complaint_id, "reference_no": reference_no}

    @bus.route("verify", needs_id=COMPLAINT, input=s.VerificationIn)
    async def verify(acting: Acting, m: CommandMessage, body: s.VerificationIn) -> None:
        await service.verify(c.VerifyComplaint(acting, str(m.id), **body.model_dump()))

    @bus.route("forward", needs_id=COMPLAINT, input=s.ForwardIn)
    async def forward(acting: Acting, m: CommandMessage, body: s.ForwardIn) -> None:
        await service.forward(c.ForwardComplaint(acting, str(m.id), body.matter_code,
                                                 body.locality, body.reason,
                                                 s.materials(body.materials)))

    @bus.route("contest", needs_id=COMPLAINT, input=s.ContestIn)
    async def contest(acting: Acting, m: CommandMessage, body: s.ContestIn) -> None:
        await service.contest(c.ContestForward(acting, str(m.id), body.reason))

    @bus.route("name_case", needs_id=COMPLAINT, input=s.CaseIn)
    async def name_case(acting: Acting, m: CommandMessage, body: s.CaseIn) -> None:
        await service.name_case(c.NameCase(acting, str(m.id), body.case_id))

    @bus.route("answer", needs_id=COMPLAINT, input=s.ResultIn)
    async def answer(acting: Acting, m: CommandMessage, body: s.ResultIn) -> None:
        await service.answer(c.AnswerComplainant(acting, str(m.id), body.result, body.case_id))

    @bus.route("feedback", needs_id=COMPLAINT, input=s.ResultIn)
    async def feedback(acting: Acting, m: CommandMessage, body: s.ResultIn) -> None:
        await service.feed_back(c.SendFeedback(acting, str(m.id), body.result, body.case_id))

    return bus
