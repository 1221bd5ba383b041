"""The referral service layer: load, call one domain method, commit."""

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial

from liandong_runtime import lookups
from liandong_runtime.corrections import CatalogueOwners
from liandong_runtime.ids import new_id
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Matter, Organisation
from liandong_runtime.times import declared_start
from referral.domain import rules
from referral.domain.case import SHANGHAI, Case, Finding
from referral.domain.errors import CaseNotFound, NotAllowed, RuleViolation
from referral.domain.rules import historical
from referral.service import commands as c
from referral.service.ports import CaseRepository, CaseUnitOfWork, OwnerLookup

NEW_CASE_ID = partial(new_id, "case")

log = logging.getLogger("liandong.referral")


def _day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


class ReferralService:
    def __init__(self, uow: CaseUnitOfWork, refdata: ReferenceData,
                 new_id: Callable[[], str] = NEW_CASE_ID,
                 owners: OwnerLookup | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.uow = uow
        self.refdata = refdata
        self.new_id = new_id
        self.owners = owners or CatalogueOwners(refdata)
        self.clock = clock

    async def record_finding(self, cmd: c.RecordFinding) -> str:
        """REF-4/5/6, REF-3: a finding on a matter another body owns, as of the day found."""
        now = self.clock()
        found_at = declared_start(cmd.found_at, now, "found_at")
        stop_ordered_at = (declared_start(cmd.stop_ordered_at, now, "stop_ordered_at")
                           if cmd.stop_ordered_at is not None else None)
        finder, matter = self._org(cmd.acting.org_id, "acting_org"), self._matter(cmd.matter_code)
        locality = self._locality(cmd.locality_id)
        owner, is_historical = await self._owner(cmd, finder, matter, locality, found_at)
        finding = Finding(matter, locality, found_at, cmd.urgent, cmd.summary, is_historical,
                          recorded_at=now)
        case = Case.record(self.new_id(), finder, owner, finding, self.refdata, stop_ordered_at)
        await self._add(case, cmd.acting)
        return case.id

    async def register_case(self, cmd: c.RegisterCase) -> str:
        """JUR-3: a body registers its own case on a matter it owns on that date and place."""
        now = self.clock()
        found_at = declared_start(cmd.found_at, now, "found_at")
        actor, matter = self._org(cmd.acting.org_id, "acting_org"), self._matter(cmd.matter_code)
        locality = self._locality(cmd.locality_id)
        owner = await self.owners.owner_of(matter.code, _day(found_at), locality.id)
        finding = Finding(matter, locality, found_at, False, cmd.summary, recorded_at=now)
        case = Case.register(self.new_id(), actor, owner, finding, cmd.complaint_id)
        await self._add(case, cmd.acting)
        return case.id

    async def acknowledge_ongoing(self, cmd: c.AcknowledgeOngoing) -> None:
        actor = self._org(cmd.acting.org_id, "acting_org")

        async def work(repo: CaseRepository) -> None:
            case = await repo.get(cmd.case_id)
            own = await self._own_case(repo, cmd.own_case_id)
            case.acknowledge_ongoing(actor, own, cmd.reason)
            await repo.save(case)

        await self.uow.run(work, cmd.acting)

    async def raise_historical_dispute(self, cmd: c.RaiseHistoricalDispute) -> None:
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.raise_historical_dispute(actor, cmd.reason))

    async def report_ongoing(self, cmd: c.ReportOngoing) -> None:
        stop_ordered_at = declared_start(cmd.stop_ordered_at, self.clock(), "stop_ordered_at")
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.report_ongoing(actor, stop_ordered_at,
                                                                   cmd.summary))

    async def transfer(self, cmd: c.TransferCase) -> None:
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.transfer(actor, cmd.materials, self.refdata))

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
        now = self.clock()
        await self._change(cmd.case_id, cmd.acting,
                           lambda case, actor: case.close(actor, cmd.outcome, now))

    async def settle_ownership(self, cmd: c.SettleOwnership) -> None:
        """A dispute over one of our cases ended; other disputes are none of ours."""
        owner = self._org(cmd.owner_id, "owner")
        case_id = cmd.case_id

        async def work(repo: CaseRepository) -> None:
            try:
                case = await repo.get(case_id)
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

    async def _owner(self, cmd: c.RecordFinding, finder: Organisation, matter: Matter,
                     locality: Organisation, found_at: datetime) -> tuple[Organisation, bool]:
        """JUR-1 as of the day and place; REF-1 … REF-3 for pre-hand-over matters: these stay
        with the department, which alone may move them to the township (by agreement)."""
        found_on = _day(found_at)

        async def owner_on(day: date) -> Organisation:
            return await self.owners.owner_of(matter.code, day, locality.id)

        async def handed(day: date | None) -> bool | None:
            return None if day is None else (await owner_on(day)).kind.is_township

        now_owner = await owner_on(found_on)
        is_historical = historical(
            now_owner.kind.is_township, bool(await handed(cmd.occurred_on or found_on)),
            await handed(cmd.filed_on), await handed(cmd.closed_on))
        if is_historical:
            holder = await owner_on(cmd.occurred_on or found_on)
            if finder.id != holder.id:  # it stays with its department: transfer it there
                return holder, False
        return now_owner, is_historical

    async def _own_case(self, repo: CaseRepository, case_id: str | None) -> Case | None:
        if case_id is None:
            return None
        try:
            return await repo.get(case_id)
        except CaseNotFound as exc:
            raise RuleViolation("JUR-3", "case_id", f"no case {case_id!r}") from exc

    async def _add(self, case: Case, acting: c.Acting) -> None:
        async def add(repo: CaseRepository) -> None:
            await repo.add(case)

        await self.uow.run(add, acting)

    def _locality(self, org_id: str) -> Organisation:
        locality = self._org(org_id, "locality")
        rules.locality_is_township(locality)
        return locality

    def _org(self, org_id: str, field: str) -> Organisation:
        return lookups.org(self.refdata, org_id, field)

    def _matter(self, code: str) -> Matter:
        return lookups.matter(self.refdata, code)
