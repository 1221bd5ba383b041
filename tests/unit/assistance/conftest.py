"""The sample district, a settable clock, and an in-memory unit of work for handler tests."""

import copy
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assistance.adapters.contracts_map import to_contract
from assistance.domain.errors import (
    CallNotFound,
    MeetingNotFound,
    RequestNotFound,
    SupervisionNotFound,
)
from assistance.domain.values import Document
from assistance.service.commands import Acting
from liandong_contracts.assistance_v1 import AssistanceEvent
from liandong_runtime.limits import Limits
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.workdays import load_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)  # a Tuesday
LETTER = Document("协助函", "https://files.example/ast/letter.pdf")
OPINION = Document("鉴定意见", "https://files.example/ast/opinion.pdf")
CALENDAR = load_calendar()
LIMITS = Limits()


def due(rule: str, start: datetime) -> datetime:
    return LIMITS.due(rule, start, CALENDAR)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeUnitOfWork:
    """Commits the writes and the events of a piece of work only if it finishes."""

    def __init__(self, refdata: ReferenceData) -> None:
        self.refdata = refdata
        self.state: dict[str, dict[str, Any]] = {
            name: {} for name in ("requests", "calls", "meetings", "schedules", "liaisons",
                                  "supervisions", "scheduled")}
        self.published: list[AssistanceEvent] = []

    async def run(self, work: Callable[[Any], Awaitable[Any]], acting: Acting) -> Any:
        repos = FakeRepositories(self, acting)
        result = await work(repos)
        for name, key, value in repos.writes:
            self.state[name][key] = value
        self.published += repos.emitted
        return result

    def of(self, kind: type) -> list[AssistanceEvent]:
        return [e for e in self.published if isinstance(e, kind)]


class FakeRepositories:
    def __init__(self, uow: FakeUnitOfWork, acting: Acting) -> None:
        self.uow, self.acting = uow, acting
        self.writes: list[tuple[str, str, Any]] = []
        self.emitted: list[AssistanceEvent] = []
        self.requests = FakeAggregates(self, "requests", "request_id", RequestNotFound)
        self.calls = FakeAggregates(self, "calls", "call_id", CallNotFound)
        self.records = FakeRecords(self)
        self.supervisions = FakeAggregates(self, "supervisions", "supervision_id",
                                           SupervisionNotFound)
        self.scheduled = FakeAggregates(self, "scheduled", "meeting_id", MeetingNotFound)

    def write(self, name: str, key: str, value: Any, aggregate_id: str,
              id_field: str | None) -> None:
        actor = self.uow.refdata.directory.get(self.acting.org_id)
        self.emitted += [to_contract(e, aggregate_id=aggregate_id, key=id_field, actor=actor,
                                     person=self.acting.person) for e in value.events]
        value = copy.deepcopy(value)
        value.events.clear()
        self.writes.append((name, key, value))


class FakeAggregates:
    def __init__(self, repos: FakeRepositories, name: str, id_field: str,
                 missing: type[Exception]) -> None:
        self.repos, self.name, self.id_field, self.missing = repos, name, id_field, missing

    async def get(self, aggregate_id: str) -> Any:
        found = self.repos.uow.state[self.name].get(aggregate_id)
        if found is None:
            raise self.missing(aggregate_id)
        return copy.deepcopy(found)

    async def add(self, aggregate: Any) -> None:
        await self.save(aggregate)

    async def save(self, aggregate: Any) -> None:
        if hasattr(aggregate, "version"):  # a scheduled meeting is marked held, unversioned
            aggregate.version += 1
        self.repos.write(self.name, aggregate.id, aggregate, aggregate.id, self.id_field)


class FakeRecords:
    def __init__(self, repos: FakeRepositories) -> None:
        self.repos = repos

    async def add_meeting(self, meeting: Any) -> None:
        self.repos.write("meetings", meeting.id, meeting, meeting.id, "meeting_id")

    async def add_schedule(self, schedule: Any) -> None:
        self.repos.writes.append(("schedules", schedule.id, schedule))

    async def scheduled(self, meeting_id: str) -> Any:
        return await self.repos.scheduled.get(meeting_id)

    async def add_scheduled(self, meeting: Any) -> None:
        await self.repos.scheduled.add(meeting)

    async def save_scheduled(self, meeting: Any) -> None:
        stored = self.repos.uow.state["scheduled"][meeting.id]
        if stored.held:
            raise AssertionError(f"{meeting.id} held twice: the store refuses it")
        await self.repos.scheduled.save(meeting)

    async def liaison(self, org_id: str) -> Any:
        return self.repos.uow.state["liaisons"].get(org_id)

    async def put_liaison(self, liaison: Any) -> None:
        body = liaison.body.id
        self.repos.write("liaisons", body, liaison, body, None)

    async def supervision(self, supervision_id: str) -> Any:
        return await self.repos.supervisions.get(supervision_id)

    async def add_supervision(self, record: Any) -> None:
        await self.repos.supervisions.add(record)

    async def save_supervision(self, record: Any) -> None:
        await self.repos.supervisions.save(record)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def uow(district: ReferenceData) -> FakeUnitOfWork:
    return FakeUnitOfWork(district)


def counter(start: int = 0) -> Callable[[str], str]:
    """Ids `ast-1`, `call-2`, …, in the order they are asked for."""
    n = iter(range(start + 1, 10_000))
    return lambda prefix: f"{prefix}-{next(n)}"
