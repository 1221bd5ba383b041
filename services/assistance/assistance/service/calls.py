"""Joint-enforcement calls (JNT-3, JNT-4, JNT-6): load, call one domain method, commit."""

from collections.abc import Callable

from assistance.domain.call import JointCall
from assistance.domain.values import Due, Summons
from assistance.service import commands as c
from assistance.service.common import Clock, NewId, matter, org, orgs, utc_now
from assistance.service.ports import Repositories, UnitOfWork
from liandong_runtime.ids import new_id
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation


class JointService:
    def __init__(self, uow: UnitOfWork, refdata: ReferenceData, due: Due,
                 clock: Clock = utc_now, new_id: NewId = new_id) -> None:
        self.uow, self.refdata, self.due = uow, refdata, due
        self.clock, self.new_id = clock, new_id

    async def call(self, cmd: c.CallJointEnforcement) -> JointCall:
        """The new call, with the due time of each called body (whistle, hazard notice)."""
        caller = org(self.refdata, cmd.acting.org_id, "acting_org")
        summons = Summons(cmd.kind, orgs(self.refdata, cmd.called_ids, "called"), cmd.reason,
                          matter(self.refdata, cmd.matter_code), cmd.case_id)

        async def add(repos: Repositories) -> JointCall:
            call = JointCall.make(self.new_id("call"), caller, summons, self.clock(), self.due)
            await repos.calls.add(call)
            return call

        return await self.uow.run(add, cmd.acting)

    async def answer(self, cmd: c.AnswerCall) -> None:
        await self._change(cmd.call_id, cmd.acting, lambda call, actor: call.answer(
            actor, cmd.answer, cmd.reason, self.clock()))

    async def dispatch(self, cmd: c.DispatchForCall) -> None:
        await self._change(cmd.call_id, cmd.acting, lambda call, actor: call.dispatch(
            actor, cmd.staff_count, self.clock(), cmd.dispatched_at, cmd.leader))

    async def _change(self, call_id: str, acting: c.Acting,
                      change: Callable[[JointCall, Organisation], None]) -> None:
        actor = org(self.refdata, acting.org_id, "acting_org")

        async def work(repos: Repositories) -> None:
            call = await repos.calls.get(call_id)
            change(call, actor)
            await repos.calls.save(call)

        await self.uow.run(work, acting)
