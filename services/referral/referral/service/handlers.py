"""The referral service layer: load, call one domain method, commit."""

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from liandong_runtime import lookups
from liandong_runtime.corrections import CatalogueOwners
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Matter, Organisation
from referral.domain.case import SHANGHAI, Case, Finding
from referral.domain.errors import CaseNotFound, NotAllowed
from referral.domain.rules import historical
from referral.service import commands as c
from referral.service.ports import CaseRepository, CaseUnitOfWork, OwnerLookup

log = logging.getLogger("liandong.referral")



def new_case_id() -> str:
    return f"case-{uuid.uuid4().hex[:16]}"


class ReferralService:
    def __init__(self, uow: CaseUnitOfWork, refdata: ReferenceData,
                 new_id: Callable[[], str] = new_case_id,
                 owners: OwnerLookup | None = None) -> None:
        self.uow = uow
        self.refdata = refdata
        self.new_id = new_id
        self.owners = owners or CatalogueOwners(refdata)

    async def record_finding(self, cmd: c.RecordFinding) -> str:
        finder, matter = self._org(cmd.acting.org_id, "acting_org"), self._matter(cmd.matter_code)
        locality = self._org(cmd.locality_id, "locality")
        found_on = cmd.found_at.astimezone(SHANGHAI).date()
        is_historical = historical(matter, cmd.occurred_on or found_on, cmd.filed_on,
                                   cmd.closed_on)
        owner = await self.owners.owner_of(matter.code, found_on, locality.id)
        finding = Finding(matter, locality, cmd.found_at, cmd.urgent, cmd.summary, is_historical)
        case = Case.record(self.new_id(), finder, owner, finding, cmd.stop_ordered_at)

        async def add(repo: CaseRepository) -> None:
            await repo.add(case)

        await self.uow.run(add, cmd.acting)
        return case.id

    async def report_ongoing(self, cmd: c.ReportOngoing) -> None:
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.report_ongoing(actor, cmd.stop_ordered_at,
                                                                   cmd.summary))

    async def transfer(self, cmd: c.TransferCase) -> None:
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.transfer(actor, cmd.materials))

    async def accept(self, cmd: c.AcceptTransfer) -> None:
        await self._change(cmd.case_id, cmd.acting, lambda case, actor: case.accept(actor))

    async def refuse(self, cmd: c.RefuseTransfer) -> None:
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.refuse(actor, cmd.grounds, cmd.reason))

    async def suspect_crime(self, cmd: c.SuspectCrime) -> None:
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.suspect_crime(actor, cmd.grounds))

    async def transfer_to_judiciary(self, cmd: c.TransferToJudiciary) -> None:
        organ = self._org(cmd.judicial_organ_id, "judicial_organ")
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.transfer_to_judiciary(actor, organ,
                                                                          cmd.materials))

    async def record_judiciary_decision(self, cmd: c.RecordJudiciaryDecision) -> None:
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.record_judiciary_decision(
                               actor, cmd.decision, cmd.reason))

    async def close(self, cmd: c.CloseCase) -> None:
        now = datetime.now(UTC)
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.close(actor, cmd.outcome, now))

    async def settle_ownership(self, cmd: c.SettleOwnership) -> None:
        """A dispute over one of our cases ended; other disputes are none of ours."""
        owner = self._org(cmd.owner_id, "owner")
        case_id = cmd.case_id

        async def work(repo: CaseRepository) -> None:
            try:
                case = await repo.get(case_id or "")
            except CaseNotFound:
                return
            try:
                case.settle_ownership(owner, cmd.dispute_id, cmd.settled_by)
            except NotAllowed as exc:  # not (or no longer) a refused case: nothing to settle
                log.info("dispute %s: case %s left as is: %s", cmd.dispute_id, case_id, exc)
                return
            await repo.save(case)

        await self.uow.run(work, cmd.acting, consumed=cmd.consumed)

    async def _change(self, case_id: str, acting: c.Acting,
                      change: Callable[[Case, Organisation], None]) -> None:
        actor = self._org(acting.org_id, "acting_org")

        async def work(repo: CaseRepository) -> None:
            case = await repo.get(case_id)
            change(case, actor)
            await repo.save(case)

        await self.uow.run(work, acting)

    def _org(self, org_id: str, field: str) -> Organisation:
        return lookups.org(self.refdata, org_id, field)

    def _matter(self, code: str) -> Matter:
        return lookups.matter(self.refdata, code)
