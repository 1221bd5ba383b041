"""What the service layer needs from storage, as protocols the adapters and fakes fill."""

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from assistance.domain.call import JointCall
from assistance.domain.liaisons import Liaison
from assistance.domain.meetings import Meeting, MeetingSchedule, ScheduledMeeting
from assistance.domain.request import AssistanceRequest
from assistance.domain.supervision import Supervision
from assistance.service.commands import Acting

T = TypeVar("T")


class RequestRepository(Protocol):
    async def get(self, request_id: str) -> AssistanceRequest: ...

    async def add(self, request: AssistanceRequest) -> None: ...

    async def save(self, request: AssistanceRequest) -> None: ...


class CallRepository(Protocol):
    async def get(self, call_id: str) -> JointCall: ...

    async def add(self, call: JointCall) -> None: ...

    async def save(self, call: JointCall) -> None: ...


class RecordRepository(Protocol):
    """Meetings, schedules, liaisons and supervisions."""

    async def add_meeting(self, meeting: Meeting) -> None: ...

    async def add_schedule(self, schedule: MeetingSchedule) -> None: ...

    async def scheduled(self, meeting_id: str) -> ScheduledMeeting: ...

    async def add_scheduled(self, meeting: ScheduledMeeting) -> None: ...

    async def save_scheduled(self, meeting: ScheduledMeeting) -> None:
        """Marks it held, once: a second recording of its minutes is a concurrent update."""

    async def liaison(self, org_id: str) -> Liaison | None: ...

    async def put_liaison(self, liaison: Liaison) -> None: ...

    async def supervision(self, supervision_id: str) -> Supervision: ...

    async def add_supervision(self, supervision: Supervision) -> None: ...

    async def save_supervision(self, supervision: Supervision) -> None: ...


class Repositories(Protocol):
    requests: RequestRepository
    calls: CallRepository
    records: RecordRepository


class UnitOfWork(Protocol):
    async def run(self, work: Callable[[Repositories], Awaitable[T]], acting: Acting) -> T:
        """Run `work` atomically; the events the aggregates record leave with the commit."""
        ...
