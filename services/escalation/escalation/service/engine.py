"""The deadline engine: events open, close and move deadlines; time breaches them.

A breach of a dispute's negotiation limit (DSP-1) also escalates the dispute to the
district government (DSP-2).
"""

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Protocol

from escalation.adapters import deadlines as repo
from escalation.adapters.disputes import DisputeRepository
from escalation.domain.deadline import Breached, Deadline
from escalation.domain.dispute import Dispute
from escalation.service import dispute_wire
from escalation.service.duties import Action, Close, Extend, Open, RaiseDispute, duties_for
from escalation.service.notices import notification_doc, outcome_events
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgRef
from liandong_runtime.limits import Calendar, Limits
from liandong_runtime.storage import Store, Tx

log = logging.getLogger("liandong.escalation")


class DutyObserver(Protocol):
    """Told of each breach and each completion (the adapter is Prometheus)."""

    def breached(self, d: Deadline) -> None: ...

    def completed(self, d: Deadline) -> None: ...


class NoMetrics:
    def breached(self, d: Deadline) -> None:
        pass

    def completed(self, d: Deadline) -> None:
        pass


class DeadlineEngine:
    def __init__(self, store: Store, limits: Limits, calendar: Calendar, government: OrgRef,
                 *, warn_fraction: float = 0.8, webhook: bool = False,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 metrics: DutyObserver | None = None) -> None:
        self.store, self.limits, self.calendar = store, limits, calendar
        self.government, self.warn_fraction = government, warn_fraction
        self.webhook, self.clock = webhook, clock
        self.metrics = metrics or NoMetrics()

    async def handle(self, event: Event, consumer: str) -> None:
        """Apply what one event means for deadlines; a redelivery changes nothing."""
        async def work(tx: Tx) -> None:
            await self.apply(tx, duties_for(event), event.correlation_id, event)

        await self.store.transaction(work, consumed=(consumer, str(event.event_id)))

    async def apply(self, tx: Tx, actions: Sequence[Action], correlation_id: str,
                    cause: Event | None = None, actor: OrgRef | None = None) -> None:
        for action in actions:
            if isinstance(action, RaiseDispute):
                await self._raise_dispute(tx, action, cause, actor or self.government)
            else:
                await self._move_deadline(tx, action, correlation_id)

    async def _move_deadline(self, tx: Tx, action: Open | Close | Extend,
                             correlation_id: str) -> None:
        deadlines = repo.DeadlineRepository(tx)
        d = await deadlines.get(action.deadline_id)
        match action:
            case Open():
                if d is None or d.started_at is None:  # new, or a placeholder learning its duty
                    d = Deadline(action.deadline_id, action.rule, action.duty, action.responsible,
                                 correlation_id, state=d.state if d else "open",
                                 due_at=d.due_at if d else None, done_at=d.done_at if d else None,
                                 version=d.version if d else 0)
                done_first = d.started_at is None and d.done_at is not None
                d.open(action.started_at,
                       self.limits.due(action.rule, action.started_at, self.calendar),
                       self.warn_fraction)
                if done_first:
                    tx.after_commit(partial(self.metrics.completed, d))
            case Close():
                d = d or Deadline.closed_before_opened(action.deadline_id, action.at)
                if d.done_at is None:
                    d.complete(action.at)
                    tx.after_commit(partial(self.metrics.completed, d))
            case Extend():
                d = d or Deadline.extended_before_opened(action.deadline_id, action.new_due_at)
                d.extend(action.new_due_at)
        await self._report(tx, d, self.clock())
        await deadlines.save(d)

    async def _raise_dispute(self, tx: Tx, action: RaiseDispute, cause: Event | None,
                             actor: OrgRef) -> None:
        disputes = DisputeRepository(tx)
        if await disputes.get(action.dispute_id) is not None:
            return
        d = Dispute(action.dispute_id, action.matter_code, action.parties, action.origin,
                    action.subject_id, action.reason)
        at = cause.occurred_at if cause else self.clock()
        await disputes.add(d, at)
        tx.emit(dispute_wire.raised(d, actor, at, cause))

    async def tick(self, batch: int = 100) -> int:
        """Warn or breach every deadline whose time has come; returns how many."""
        now = self.clock()
        ids = await repo.due_ids(self.store.db, now, batch)
        for deadline_id in ids:
            await self.store.transaction(lambda tx, i=deadline_id: self._tick_one(tx, i, now))
        return len(ids)

    async def _tick_one(self, tx: Tx, deadline_id: str, now: datetime) -> None:
        deadlines = repo.DeadlineRepository(tx)
        d = await deadlines.get(deadline_id)
        if d is None:
            return
        d.tick(now)
        await self._report(tx, d, now)
        await deadlines.save(d)

    async def _report(self, tx: Tx, d: Deadline, now: datetime) -> None:
        """ESC-1: warnings and breaches go out; a breach notifies the district government."""
        for outcome in d.events:
            events = outcome_events(outcome, self.government, now)
            tx.emit(*events)
            if isinstance(outcome, Breached):
                tx.after_commit(partial(self._breached, d))
                await tx.db.notifications.insert_one(
                    notification_doc(events[-1], self.webhook), session=tx.session)  # type: ignore[arg-type]
                if d.rule == "DSP-1":
                    await self._escalate_dispute(tx, d.id.removeprefix("dispute:"), now)
        d.events.clear()

    def _breached(self, d: Deadline) -> None:
        log.warning("breach %s (%s) of %s", d.id, d.rule, d.responsible.get("id"))
        self.metrics.breached(d)

    async def _escalate_dispute(self, tx: Tx, dispute_id: str, now: datetime) -> None:
        """DSP-2: negotiation failed within its limit; the district government decides."""
        disputes = DisputeRepository(tx)
        dispute = await disputes.get(dispute_id)
        if dispute is None:
            return
        dispute.escalate("negotiation_limit_passed")
        for outcome in dispute.events:
            tx.emit(dispute_wire.outcome(dispute, outcome, self.government, now))
        await disputes.save(dispute, now)

    async def next_action_at(self) -> datetime | None:
        return await repo.next_action_at(self.store.db)
