"""The deadline engine: events open, close and move deadlines; time breaches them."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from escalation.adapters import deadlines as repo
from escalation.domain.deadline import Breached, Deadline
from escalation.service.duty_map import Close, Open, RaiseDispute, duties_for
from escalation.service.notices import notification_doc, outcome_events
from liandong_contracts import escalation_v1 as wire
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgRef
from liandong_runtime.limits import Calendar, Limits
from liandong_runtime.storage import Store, Tx

log = logging.getLogger("liandong.escalation")


class DeadlineEngine:
    def __init__(self, store: Store, limits: Limits, calendar: Calendar, government: OrgRef,
                 *, warn_fraction: float = 0.8, webhook: bool = False,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store, self.limits, self.calendar = store, limits, calendar
        self.government, self.warn_fraction = government, warn_fraction
        self.webhook, self.clock = webhook, clock

    async def handle(self, event: Event, consumer: str) -> None:
        """Apply what one event means for deadlines; a redelivery changes nothing."""
        async def work(tx: Tx) -> None:
            for action in duties_for(event):
                await self._apply(tx, action, event)

        await self.store.transaction(work, consumed=(consumer, str(event.event_id)))

    async def _apply(self, tx: Tx, action: Open | Close | RaiseDispute, cause: Event) -> None:
        deadlines = repo.DeadlineRepository(tx)
        if isinstance(action, RaiseDispute):
            await self._raise_dispute(tx, action, cause)
            return
        d = await deadlines.get(action.deadline_id)
        if isinstance(action, Open):
            d = d or Deadline(action.deadline_id, action.rule, action.duty, action.responsible,
                              cause.correlation_id)
            due = self.limits.due(action.rule, action.started_at, self.calendar)
            d.open(action.started_at, due, self.warn_fraction)
        else:
            d = d or Deadline.closed_before_opened(action.deadline_id, action.at)
            d.complete(action.at)
        await deadlines.save(d)

    async def _raise_dispute(self, tx: Tx, action: RaiseDispute, cause: Event) -> None:
        parties = tuple(OrgRef.model_validate(p) for p in action.parties)
        raised = wire.DisputeRaised(
            occurred_at=cause.occurred_at, actor=self.government,
            correlation_id=cause.correlation_id, causation_id=cause.event_id,
            dispute_id=action.dispute_id, matter_code=action.matter_code, parties=parties,
            origin=action.origin, subject_id=cause.correlation_id, reason=action.reason)
        doc = {"_id": action.dispute_id, "state": "negotiating", "subject_id":
               cause.correlation_id, **raised.model_dump(mode="python", include={
                   "matter_code", "parties", "origin", "reason", "occurred_at"})}
        await tx.db.disputes.insert_one(doc, session=tx.session)
        tx.emit(raised)

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
        for outcome in d.events:
            events = outcome_events(outcome, self.government, now)
            tx.emit(*events)
            if isinstance(outcome, Breached):
                log.warning("breach %s (%s) of %s", d.id, d.rule, d.responsible.get("id"))
                await tx.db.notifications.insert_one(
                    notification_doc(events[-1], self.webhook), session=tx.session)  # type: ignore[arg-type]
        await deadlines.save(d)

    async def next_action_at(self) -> datetime | None:
        return await repo.next_action_at(self.store.db)

