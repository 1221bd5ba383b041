"""The sharing service layer: resolve the references, call one domain method, commit."""

import contextlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from liandong_contracts.sharing_v1 import InfoCategory
from liandong_runtime import lookups
from liandong_runtime.ids import new_id
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.times import declared_start, in_utc
from sharing.domain import complaint_digest as digest
from sharing.domain import rules
from sharing.domain.errors import AlreadyShared, NotAllowed
from sharing.domain.info import SharedInfo
from sharing.domain.info_parts import Audience, Content, Heading
from sharing.domain.subscription import Subscription
from sharing.service import commands as c
from sharing.service.ports import Repositories, SharingUnitOfWork

NEW_INFO_ID = partial(new_id, "inf")

MAX_SUBSCRIPTIONS = 50
T = TypeVar("T")
LimitClock = Callable[[str, datetime], datetime]  # (rule, start) -> due, from the limits table


def complaint_info_id(event_id: str) -> str:
    """One complaint event, one information id: a redelivery cannot publish twice."""
    return f"inf-{uuid.uuid5(uuid.NAMESPACE_URL, f'liandong:complaint:{event_id}').hex[:16]}"


def case_info_id(event_id: str) -> str:
    """One closed case, one penalty-decision item (SHR-3)."""
    return f"inf-{uuid.uuid5(uuid.NAMESPACE_URL, f'liandong:referral:{event_id}').hex[:16]}"


@dataclass(frozen=True)
class Receipt:
    """What the producer learns: the id, the due times, and whether it was late (SHR-4)."""

    info_id: str
    status: str
    due_at: datetime
    new_due_at: datetime | None
    late: bool | None


def receipt(info: SharedInfo) -> Receipt:
    new_due_at = info.delay.new_due_at if info.delay else None
    return Receipt(info.id, info.status, info.due_at, new_due_at, info.late)


class SharingService:
    def __init__(self, uow: SharingUnitOfWork, refdata: ReferenceData, limit: LimitClock,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 new_id: Callable[[], str] = NEW_INFO_ID) -> None:
        self.uow, self.refdata, self.limit = uow, refdata, limit
        self.clock, self.new_id = clock, new_id

    def due(self, formed_at: datetime) -> datetime:
        """SHR-4: shared on the day it is formed."""
        return self.limit("SHR-4", formed_at)

    def latest(self, due_at: datetime) -> datetime:
        """SHR-4: a delay reaches at most `SHR-4-MAX` beyond the ordinary due time. The
        count starts on the day that ends at the due time (24:00), which is not counted."""
        return self.limit("SHR-4-MAX", due_at - timedelta(microseconds=1))

    async def publish(self, cmd: c.PublishInfo) -> Receipt:
        producer = self._org(cmd.acting.org_id, "acting_org")
        now, person = self.clock(), cmd.acting.person
        heading = self._heading(cmd.category, cmd.title, cmd.formed_at, cmd.matter_code, now)
        content = Content(self._audience(cmd.audience), cmd.summary, cmd.attachments)
        if cmd.info_id is None:
            info = SharedInfo.share(self.new_id(), producer, heading, content,
                                    due_at=self.due(heading.formed_at), now=now, person=person)
            return await self._add(info, acting=cmd.acting)

        async def work(repos: Repositories) -> Receipt:
            info = await repos.info.get(str(cmd.info_id))
            info.publish(producer, heading, content, now, person)
            await repos.info.save(info)
            return receipt(info)

        return await self.uow.run(work, acting=cmd.acting)

    async def declare_delay(self, cmd: c.DeclareDelay) -> Receipt:
        producer = self._org(cmd.acting.org_id, "acting_org")
        now = self.clock()
        heading = self._heading(cmd.category, cmd.title, cmd.formed_at, cmd.matter_code, now)
        due_at = self.due(heading.formed_at)
        new_due_at = in_utc(cmd.new_due_at, "new_due_at", "SHR-4")  # a time it can count
        info = SharedInfo.declare_delay(
            self.new_id(), producer, heading, cmd.reason, new_due_at, due_at=due_at,
            latest=self.latest(due_at), now=now, person=cmd.acting.person)
        return await self._add(info, acting=cmd.acting)

    async def request(self, cmd: c.RequestInfo) -> Receipt:
        """SHR-2 (3)/(4): a department asks a township; its answer is watched."""
        requester = self._org(cmd.acting.org_id, "acting_org")
        township = self._org(cmd.township, "township")
        now = self.clock()
        matter = None if cmd.matter_code is None else self._matter(cmd.matter_code, "matter_code")
        heading = Heading(rules.category_of(cmd.category), cmd.title, now, matter)
        info = SharedInfo.request(self.new_id(), requester, township, heading,
                                  due_at=self.limit("SHR-2", now), now=now,
                                  person=cmd.acting.person)
        return await self._add(info, acting=cmd.acting)

    async def share_penalty_decision(self, cmd: c.SharePenaltyDecision) -> str | None:
        """SHR-3: a township's penalty decision reaches the platform from where it is
        recorded, as category (3), without retyping. Another body's closing is not (3)."""
        t = cmd.closed_by
        if not t.kind.is_township:
            return None
        township = Organisation(t.id, t.kind, t.name, t.parent_id)
        heading = Heading(InfoCategory.TOWNSHIP_PENALTY_DECISIONS,
                          f"行政处罚决定 案件 {cmd.case_id}", cmd.recorded_at)
        summary = (f"{t.name}于{cmd.closed_on:%Y-%m-%d}对案件 {cmd.case_id} 作出行政处罚决定"
                   "并结案。")
        info = SharedInfo.record_penalty_decision(
            case_info_id(cmd.event_id), township, heading, Content("all", summary),
            due_at=self.due(heading.formed_at), now=self.clock(), caused_by=cmd.event_id,
            case_id=cmd.case_id)
        with contextlib.suppress(AlreadyShared):
            await self._add(info, consumed=(cmd.consumer, cmd.event_id))
        return info.id

    async def share_complaint_step(self, cmd: c.ShareComplaintStep) -> str:
        """SHR-2 (7), CMP-8: one complaint event, one item; only its structured facts."""
        f, h = cmd.facts, cmd.handler
        handler = Organisation(h.id, h.kind, h.name, h.parent_id)
        heading = Heading(InfoCategory.COMPLAINT_HANDLING, digest.title(f), f.at, f.matter_code)
        info = SharedInfo.record_complaint_step(
            complaint_info_id(cmd.event_id), handler, heading, Content("all", digest.summary(f)),
            due_at=self.due(heading.formed_at), now=self.clock(), caused_by=cmd.event_id)
        # the same event under another consumer name was shared already
        with contextlib.suppress(AlreadyShared):
            await self._add(info, consumed=(cmd.consumer, cmd.event_id))
        return info.id

    async def subscribe(self, cmd: c.Subscribe) -> str:
        org = self._org(cmd.acting.org_id, "acting_org")
        subscription = Subscription(
            f"sub-{uuid.uuid4().hex[:16]}", org.id,
            _unique(rules.category_of(x, "categories") for x in cmd.categories),
            _unique(self._org(x, "producers").id for x in cmd.producers),
            _unique(self._matter(x, "matter_codes") for x in cmd.matter_codes))

        async def work(repos: Repositories) -> None:
            if await repos.subscriptions.count(org.id) >= MAX_SUBSCRIPTIONS:
                raise NotAllowed("subscriptions", f"at most {MAX_SUBSCRIPTIONS} subscriptions "
                                 "per organisation: delete one first")
            await repos.subscriptions.add(subscription)

        await self.uow.run(work, acting=cmd.acting)
        return subscription.id

    async def unsubscribe(self, cmd: c.Unsubscribe) -> None:
        org = self._org(cmd.acting.org_id, "acting_org")

        async def work(repos: Repositories) -> None:
            await repos.subscriptions.remove(cmd.subscription_id, org.id)

        await self.uow.run(work, acting=cmd.acting)

    async def _add(self, info: SharedInfo, consumed: tuple[str, str] | None = None,
                   acting: c.Acting | None = None) -> Receipt:
        async def work(repos: Repositories) -> Receipt:
            await repos.info.add(info)
            return receipt(info)

        return await self.uow.run(work, consumed=consumed, acting=acting)

    def _heading(self, category: str, title: str, formed_at: datetime,
                 matter_code: str | None, now: datetime) -> Heading:
        """ESC-5: the declared formation time is a real time, not in the future."""
        matter = None if matter_code is None else self._matter(matter_code, "matter_code")
        return Heading(rules.category_of(category), title,
                       declared_start(formed_at, now, "formed_at"), matter)

    def _audience(self, audience: Audience) -> Audience:
        if audience == "all":
            return "all"
        return _unique(self._org(x, "audience", rule="SHR-1").id for x in audience)

    def _org(self, org_id: str, field: str, rule: str = "JUR-1") -> Organisation:
        return lookups.org(self.refdata, org_id, field, rule)

    def _matter(self, code: str, field: str) -> str:
        return lookups.matter(self.refdata, code, field).code


def _unique(values: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))
