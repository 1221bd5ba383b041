"""The assistance commands over NATS (`liandong.cmd.<org>.assistance.<command>`): each
maps the message onto the same command, checked by the same request model, as its HTTP
route, and calls the same service method (`liandong_runtime.bus_commands`)."""

from typing import Any

from assistance.domain.values import Due
from assistance.entrypoints import schemas as s
from assistance.service import commands as c
from assistance.service.calls import JointService
from assistance.service.ports import UnitOfWork
from assistance.service.requests import AssistanceService
from liandong_runtime.acting import Acting
from liandong_runtime.bus_commands import CommandBus, CommandMessage
from liandong_runtime.runtime import Runtime


def serve(rt: Runtime, uow: UnitOfWork, due: Due) -> CommandBus:
    """The same service classes over the same unit of work and limits as the HTTP API's."""
    requests, calls = AssistanceService(uow, rt.refdata, due), JointService(uow, rt.refdata, due)
    bus = CommandBus.of(rt)

    @bus.route("request", status=201, input=s.RequestIn)
    async def request(acting: Acting, m: CommandMessage, body: s.RequestIn) -> dict[str, Any]:
        fields = body.model_dump(exclude={"receiver", "documents"})
        made = await requests.request(c.RequestAssistance(
            acting, receiver_id=body.receiver, documents=s.documents(body.documents), **fields))
        return {"request_id": made.id, "answer_due_at": made.answer_due_at,
                "on_site_due_at": made.on_site_due_at}

    @bus.route("extend", needs_id="request", input=s.ExtensionIn)
    async def extend(acting: Acting, m: CommandMessage, body: s.ExtensionIn) -> None:
        await requests.extend(c.ExtendAnswerTime(acting, str(m.id), body.new_due_at,
                                                 body.reason))

    @bus.route("answer", needs_id="request", input=s.AnswerIn)
    async def answer(acting: Acting, m: CommandMessage, body: s.AnswerIn) -> None:
        await requests.answer(c.AnswerRequest(acting, str(m.id), body.answer, body.reason,
                                              s.documents(body.documents)))

    @bus.route("dispatch", needs_id="request", input=s.RequestDispatchIn)
    async def dispatch(acting: Acting, m: CommandMessage, body: s.RequestDispatchIn) -> None:
        await requests.dispatch(c.DispatchForRequest(acting, str(m.id), body.staff_count,
                                                     body.dispatched_at, body.leader))

    @bus.route("call", status=201, input=s.CallIn)
    async def call(acting: Acting, m: CommandMessage, body: s.CallIn) -> dict[str, Any]:
        made = await calls.call(c.CallJointEnforcement(
            acting, body.kind, tuple(body.called), body.reason, body.matter_code, body.case_id))
        due = {o.id: made.due_at for o in made.summons.called} if made.due_at else {}
        return {"call_id": made.id, "due_at": due}

    @bus.route("answer_call", needs_id="call", input=s.CallAnswerIn)
    async def answer_call(acting: Acting, m: CommandMessage, body: s.CallAnswerIn) -> None:
        await calls.answer(c.AnswerCall(acting, str(m.id), body.answer, body.reason))

    @bus.route("dispatch_for_call", needs_id="call", input=s.CallDispatchWithTimeIn)
    async def dispatch_for_call(acting: Acting, m: CommandMessage,
                                body: s.CallDispatchWithTimeIn) -> None:
        await calls.dispatch(c.DispatchForCall(acting, str(m.id), body.staff_count,
                                               body.dispatched_at, body.leader))

    return bus
