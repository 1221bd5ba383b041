"""The complaint service layer: load, call one domain method, commit."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from functools import partial

from complaint.domain import rules
from complaint.domain.cases import Case, own_case
from complaint.domain.complaint import Complaint, Intake
from complaint.domain.errors import ComplaintNotFound, RuleViolation
from complaint.service import commands as c
from complaint.service.ports import ComplaintRepository, ComplaintUnitOfWork, OwnerLookup
from liandong_runtime import lookups
from liandong_runtime.corrections import CatalogueOwners
from liandong_runtime.ids import new_id
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.times import SHANGHAI, declared_start

NEW_COMPLAINT_ID = partial(new_id, "cmp")

Change = Callable[[Complaint, Organisation, ComplaintRepository], Awaitable[None]]


class ComplaintService:
    def __init__(self, uow: ComplaintUnitOfWork, refdata: ReferenceData, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 new_id: Callable[[], str] = NEW_COMPLAINT_ID,
                 new_ref: Callable[[], uuid.UUID] = uuid.uuid4,
                 owners: OwnerLookup | None = None,
                 transition_ends_on: date | None = None) -> None:
        self.uow, self.refdata, self.clock = uow, refdata, clock
        self.new_id, self.new_ref = new_id, new_ref
        self.owners = owners or CatalogueOwners(refdata)
        self.transition_ends_on = transition_ends_on  # CMP-1, operator data; None: not ended

    def in_transition(self) -> bool:
        """CMP-1: the transition period runs until its end date (exclusive), if one is set."""
        return self.transition_ends_on is None or self._today() < self.transition_ends_on

    async def receive(self, cmd: c.ReceiveComplaint) -> tuple[str, str]:
        """CMP-1/CMP-2: returns the complaint id and its registration number."""
        receiver = self._org(cmd.acting.org_id, "acting_org")
        if cmd.matter_code is not None:
            self._matter(cmd.matter_code)
        locality = self._org(cmd.locality_id, "locality") if cmd.locality_id else None
        now = self.clock()
        # ESC-5: a declared receipt is a real time, not in the future; registered_at (now)
        # is the recording time kept beside it. Within the clock skew it is the recording.
        received_at = now if cmd.received_at is None else min(
            declared_start(cmd.received_at, now, "received_at"), now)
        received_at = received_at.replace(microsecond=received_at.microsecond // 1000 * 1000)
        intake = Intake(cmd.channel, received_at, now, cmd.summary, cmd.materials, cmd.origin)
        complaint_id, complainant_ref = self.new_id(), self.new_ref()  # never from the data
        owner = await self._owner(cmd.matter_code, locality) if locality else None

        async def add(repo: ComplaintRepository) -> str:
            number = await repo.next_reference_no(now)
            complaint = Complaint.receive(complaint_id, number, receiver, complainant_ref,
                                          intake, cmd.complainant, cmd.matter_code, locality,
                                          owner)
            if owner is not None and not self.in_transition():
                complaint.pass_to_owner(owner, now)  # CMP-1: no first-receiver duty any more
            await repo.add(complaint, cmd.complainant)
            return number

        return complaint_id, await self.uow.run(add, cmd.acting)

    async def verify(self, cmd: c.VerifyComplaint) -> None:
        if cmd.matter_code is not None:
            self._matter(cmd.matter_code)

        async def verify(cp: Complaint, actor: Organisation, repo: ComplaintRepository) -> None:
            rules.handler_acts(actor, cp.handler)  # who acts, before what the case is
            owner = await self._owner(cmd.matter_code or cp.matter_code, cp.locality or actor)
            case: Case | None = None
            if cmd.case_id is not None and cmd.outcome == "penalty_due":
                case = own_case(actor, cmd.case_id, await repo.cases.get(cmd.case_id))
            elif cmd.case_id is not None:
                rules.case_only_if_penalty_due(cmd.outcome, cmd.case_id)
            elif cmd.outcome == "penalty_due":  # CMP-4: registered for it already?
                case = await repo.cases.for_complaint(cp.id, actor.id)
            cp.verify(actor, cmd.outcome, cmd.findings, case, cmd.matter_code, owner)

        await self._change(cmd.complaint_id, cmd.acting, verify)

    async def forward(self, cmd: c.ForwardComplaint) -> None:
        """CMP-5/CMP-6: the receiver is the owner in the catalogue today, not the caller's pick."""
        self._matter(cmd.matter_code)
        locality = self._org(cmd.locality_id, "locality")
        rules.locality_is_township(locality)
        owner = await self._owner(cmd.matter_code, locality)
        if owner is None:
            raise RuleViolation("JUR-1", "matter_code", "the catalogue names no known owner")

        async def forward(cp: Complaint, actor: Organisation, _: ComplaintRepository) -> None:
            cp.forward(actor, owner, cmd.matter_code, locality, cmd.reason, cmd.materials,
                       self.clock())

        await self._change(cmd.complaint_id, cmd.acting, forward)

    async def contest(self, cmd: c.ContestForward) -> None:
        async def contest(cp: Complaint, actor: Organisation, _: ComplaintRepository) -> None:
            cp.contest(actor, cmd.reason)

        await self._change(cmd.complaint_id, cmd.acting, contest)

    async def name_case(self, cmd: c.NameCase) -> None:
        """CMP-4: the case exists (JUR-3) and is the township's own."""
        async def name(cp: Complaint, actor: Organisation, repo: ComplaintRepository) -> None:
            rules.handler_acts(actor, cp.handler)
            cp.name_case(actor, own_case(actor, cmd.case_id, await repo.cases.get(cmd.case_id)))

        await self._change(cmd.complaint_id, cmd.acting, name)

    async def give_guidance(self, cmd: c.GiveGuidance) -> None:
        async def guide(cp: Complaint, actor: Organisation, _: ComplaintRepository) -> None:
            cp.give_guidance(actor, cmd.guidance, self.clock())

        await self._change(cmd.complaint_id, cmd.acting, guide)

    async def answer(self, cmd: c.AnswerComplainant) -> None:
        async def answer(cp: Complaint, actor: Organisation, repo: ComplaintRepository) -> None:
            await self._named_case(cp, actor, cmd.case_id, repo)
            owner = await self._owner(cp.matter_code, cp.locality)
            cp.answer(actor, cmd.result, cmd.case_id, owner)

        await self._change(cmd.complaint_id, cmd.acting, answer)

    async def feed_back(self, cmd: c.SendFeedback) -> None:
        async def feed_back(cp: Complaint, actor: Organisation,
                            repo: ComplaintRepository) -> None:
            await self._named_case(cp, actor, cmd.case_id, repo)
            cp.feed_back(actor, cmd.result, cmd.case_id)

        await self._change(cmd.complaint_id, cmd.acting, feed_back)

    async def record_case(self, cmd: c.RecordCase) -> None:
        """JUR-3/CMP-4: keep the case; one registered for a complaint names itself on it."""
        case = cmd.case

        async def work(repo: ComplaintRepository) -> None:
            await repo.cases.record(case)
            if case.complaint_id is None:
                return
            try:
                complaint = await repo.get(case.complaint_id)
            except ComplaintNotFound:
                return
            complaint.case_registered(case)
            if complaint.events:
                await repo.save(complaint)

        await self.uow.run(work, c.Acting(cmd.actor_id), consumed=cmd.consumed)

    async def resolve_dispute(self, cmd: c.ResolveDispute) -> None:
        """DSP-1/DSP-2: only disputes about a complaint (`subject_kind`); others are ignored.

        An outcome recorded before disputes named their subject's kind (`subject_kind`
        empty) is ours only if its subject is a complaint held here: never read off its id.
        """
        if cmd.subject_kind not in ("complaint", "") or not cmd.subject_id:
            return
        owner = self._org(cmd.owner.id, "owner")

        async def work(repo: ComplaintRepository) -> None:
            try:
                complaint = await repo.get(cmd.subject_id)
            except ComplaintNotFound:
                return
            complaint.resolve_dispute(cmd.dispute_id, cmd.outcome, owner, self.clock())
            if complaint.events:
                await repo.save(complaint)

        await self.uow.run(work, c.Acting(cmd.actor_id), consumed=cmd.consumed)

    async def _named_case(self, cp: Complaint, actor: Organisation, case_id: str | None,
                          repo: ComplaintRepository) -> None:
        """CMP-4: a case given with a result is the one the complaint names, or the
        actor's own existing case; never free text."""
        rules.handler_acts(actor, cp.handler)
        if case_id is None or case_id == cp.case_id:
            return
        if cp.case_id is not None:
            raise RuleViolation("CMP-4", "case_id",
                                f"the complaint names case {cp.case_id}, not {case_id!r}")
        own_case(actor, case_id, await repo.cases.get(case_id))

    async def _change(self, complaint_id: str, acting: c.Acting, change: Change) -> None:
        actor = self._org(acting.org_id, "acting_org")

        async def work(repo: ComplaintRepository) -> None:
            complaint = await repo.get(complaint_id)
            await change(complaint, actor, repo)
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

