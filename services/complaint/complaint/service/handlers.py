"""The complaint service layer: load, call one domain method, commit."""

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from complaint.domain import rules
from complaint.domain.complaint import Complaint, Intake
from complaint.domain.errors import ComplaintNotFound, RuleViolation
from complaint.service import commands as c
from complaint.service.ports import ComplaintRepository, ComplaintUnitOfWork, OwnerLookup
from liandong_runtime import lookups
from liandong_runtime.corrections import CatalogueOwners
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation

SHANGHAI = ZoneInfo("Asia/Shanghai")
OUR_DISPUTE = re.compile(r"^dsp-(cmp-[0-9a-f]+)$")  # escalation names it dsp-<complaint id>



def new_complaint_id() -> str:
    return f"cmp-{uuid.uuid4().hex[:16]}"


class ComplaintService:
    def __init__(self, uow: ComplaintUnitOfWork, refdata: ReferenceData, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 new_id: Callable[[], str] = new_complaint_id,
                 new_ref: Callable[[], uuid.UUID] = uuid.uuid4,
                 owners: OwnerLookup | None = None) -> None:
        self.uow, self.refdata, self.clock = uow, refdata, clock
        self.new_id, self.new_ref = new_id, new_ref
        self.owners = owners or CatalogueOwners(refdata)

    async def receive(self, cmd: c.ReceiveComplaint) -> tuple[str, str]:
        """CMP-1/CMP-2: returns the complaint id and its registration number."""
        receiver = self._org(cmd.acting.org_id, "acting_org")
        if cmd.matter_code is not None:
            self._matter(cmd.matter_code)
        locality = self._org(cmd.locality_id, "locality") if cmd.locality_id else None
        now = self.clock()
        intake = Intake(cmd.channel, cmd.received_at or now, now, cmd.summary, cmd.materials,
                        cmd.origin)
        complaint_id, complainant_ref = self.new_id(), self.new_ref()  # never from the data

        async def add(repo: ComplaintRepository) -> str:
            number = await repo.next_reference_no(now)
            complaint = Complaint.receive(complaint_id, number, receiver, complainant_ref,
                                          intake, cmd.complainant, cmd.matter_code, locality)
            await repo.add(complaint, cmd.complainant)
            return number

        return complaint_id, await self.uow.run(add, cmd.acting)

    async def verify(self, cmd: c.VerifyComplaint) -> None:
        if cmd.matter_code is not None:
            self._matter(cmd.matter_code)

        async def verify(cp: Complaint, actor: Organisation) -> None:
            owner = await self._owner(cmd.matter_code or cp.matter_code, cp.locality or actor)
            cp.verify(actor, cmd.outcome, cmd.findings, cmd.case_id, cmd.matter_code, owner)

        await self._change(cmd.complaint_id, cmd.acting, verify)

    async def forward(self, cmd: c.ForwardComplaint) -> None:
        """CMP-5/CMP-6: the receiver is the owner in the catalogue today, not the caller's pick."""
        self._matter(cmd.matter_code)
        locality = self._org(cmd.locality_id, "locality")
        rules.locality_is_township(locality)
        owner = await self._owner(cmd.matter_code, locality)
        if owner is None:
            raise RuleViolation("JUR-1", "matter_code", "the catalogue names no known owner")

        async def forward(cp: Complaint, actor: Organisation) -> None:
            cp.forward(actor, owner, cmd.matter_code, locality, cmd.reason, cmd.materials)

        await self._change(cmd.complaint_id, cmd.acting, forward)

    async def contest(self, cmd: c.ContestForward) -> None:
        async def contest(cp: Complaint, actor: Organisation) -> None:
            cp.contest(actor, cmd.reason)

        await self._change(cmd.complaint_id, cmd.acting, contest)

    async def answer(self, cmd: c.AnswerComplainant) -> None:
        async def answer(cp: Complaint, actor: Organisation) -> None:
            owner = await self._owner(cp.matter_code, cp.locality)
            cp.answer(actor, cmd.result, cmd.case_id, owner)

        await self._change(cmd.complaint_id, cmd.acting, answer)

    async def feed_back(self, cmd: c.SendFeedback) -> None:
        async def feed_back(cp: Complaint, actor: Organisation) -> None:
            cp.feed_back(actor, cmd.result, cmd.case_id)

        await self._change(cmd.complaint_id, cmd.acting, feed_back)

    async def resolve_dispute(self, cmd: c.ResolveDispute) -> None:
        """DSP-1/DSP-2: only disputes named after one of our complaints; others are ignored."""
        match = OUR_DISPUTE.match(cmd.dispute_id)
        if match is None:
            return
        owner = self._org(cmd.owner.id, "owner")

        async def work(repo: ComplaintRepository) -> None:
            try:
                complaint = await repo.get(match[1])
            except ComplaintNotFound:
                return
            complaint.resolve_dispute(cmd.dispute_id, cmd.outcome, owner)
            if complaint.events:
                await repo.save(complaint)

        await self.uow.run(work, c.Acting(cmd.actor_id), consumed=cmd.consumed)

    async def _change(self, complaint_id: str, acting: c.Acting,
                      change: Callable[[Complaint, Organisation], Awaitable[None]]) -> None:
        actor = self._org(acting.org_id, "acting_org")

        async def work(repo: ComplaintRepository) -> None:
            complaint = await repo.get(complaint_id)
            await change(complaint, actor)
            await repo.save(complaint)

        await self.uow.run(work, acting)

    async def _owner(self, code: str | None,
                     locality: Organisation | None) -> Organisation | None:
        """JUR-1 as of today, corrections applied; None where it cannot be told.

        Without a township for locality, only a department owner can be told: the lookup
        of an empty township id fails where the owner would be the township.
        """
        if code is None or code not in self.refdata.catalogue:
            return None
        township = locality.id if locality is not None and locality.kind.is_township else ""
        try:
            return await self.owners.owner_of(code, self._today(), township)
        except LookupError:
            return None

    def _today(self) -> date:
        return self.clock().astimezone(SHANGHAI).date()

    def _org(self, org_id: str, field: str) -> Organisation:
        return lookups.org(self.refdata, org_id, field)

    def _matter(self, code: str) -> None:
        lookups.matter(self.refdata, code)

