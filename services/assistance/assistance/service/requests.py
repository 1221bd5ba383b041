"""Assistance requests (AST-1 … AST-6): load, call one domain method, commit."""

from collections.abc import Callable

from assistance.domain.request import AssistanceRequest
from assistance.domain.values import Ask, Due
from assistance.service import commands as c
from assistance.service.common import Clock, NewId, org, utc_now
from assistance.service.ports import Repositories, UnitOfWork
from liandong_runtime.ids import new_id
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation


class AssistanceService:
    def __init__(self, uow: UnitOfWork, refdata: ReferenceData, due: Due,
                 clock: Clock = utc_now, new_id: NewId = new_id) -> None:
        self.uow, self.refdata, self.due = uow, refdata, due
        self.clock, self.new_id = clock, new_id

    async def request(self, cmd: c.RequestAssistance) -> AssistanceRequest:
        """AST-1: the new request, with its due times."""
        requester = org(self.refdata, cmd.acting.org_id, "acting_org")
        receiver = org(self.refdata, cmd.receiver_id, "receiver")
        ask = Ask(cmd.kind, cmd.summary, cmd.documents, cmd.case_id, cmd.urgent,
                  cmd.evidence_at_risk)

        async def add(repos: Repositories) -> AssistanceRequest:
            request = AssistanceRequest.make(self.new_id("ast"), requester, receiver, ask,
                                             self.clock(), self.due)
            await repos.requests.add(request)
            return request

        return await self.uow.run(add, cmd.acting)

    async def extend(self, cmd: c.ExtendAnswerTime) -> None:
        await self._change(cmd.request_id, cmd.acting, lambda r, actor: r.extend(
            actor, cmd.new_due_at, cmd.reason, self.clock()))

    async def answer(self, cmd: c.AnswerRequest) -> None:
        await self._change(cmd.request_id, cmd.acting, lambda r, actor: r.respond(
            actor, cmd.answer, cmd.reason, cmd.documents, self.clock()))

    async def dispatch(self, cmd: c.DispatchForRequest) -> None:
        def send(request: AssistanceRequest, actor: Organisation) -> None:
            now = self.clock()
            request.dispatch(actor, cmd.staff_count, cmd.dispatched_at or now, now, cmd.leader)

        await self._change(cmd.request_id, cmd.acting, send)

    async def _change(self, request_id: str, acting: c.Acting,
                      change: Callable[[AssistanceRequest, Organisation], None]) -> None:
        actor = org(self.refdata, acting.org_id, "acting_org")

        async def work(repos: Repositories) -> None:
            request = await repos.requests.get(request_id)
            change(request, actor)
            await repos.requests.save(request)

        await self.uow.run(work, acting)
