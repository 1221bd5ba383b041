"""The deadline engine: events open, close, move and pause deadlines; time breaches them.

A breach of a dispute's negotiation limit (DSP-1) also escalates the dispute to the
district government (DSP-2), once, whichever party's negotiation deadline breaches first.
A duty paused by an open dispute (ESC-3) resumes, with the owner the dispute names and the
time it had left, when the dispute is settled or decided. A refusal the rules say is
reported to the district government (`Report`) becomes a notice of its own kind.

ESC-5: every deadline keeps `recorded_at` (when the system recorded its start: the cause
event's `occurred_at`) beside the declared `started_at`. A declared start that is not a
time the system can count from, lies after the recording time (beyond the clock skew), or
gives no representable due time is not counted from: the limit counts from `recorded_at`
instead, and `start_note` says why. No date switches a limit off or dead-letters an event.
"""

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

from escalation.adapters import deadlines as repo
from escalation.adapters import notifications
from escalation.adapters.disputes import DisputeRepository
from escalation.domain.deadline import Breached, Deadline
from escalation.domain.dispute import Dispute
from escalation.service import dispute_wire
from escalation.service.duties import (
    Action,
    Close,
    Extend,
    Open,
    Pause,
    RaiseDispute,
    Report,
    duties_for,
)
from escalation.service.duties.actions import REFERRED_AT_ONCE
from escalation.service.notices import notification_doc, outcome_events, refusal_notice
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgRef
from liandong_runtime.errors import RuleViolation
from liandong_runtime.limits import Calendar, Limits
from liandong_runtime.storage import Store, Tx
from liandong_runtime.times import CLOCK_SKEW, in_utc

TICK_AT_ONCE = 8  # due deadlines handled side by side: a burst of breaches is notified fast
log = logging.getLogger("liandong.escalation")
REPORT_NAMESPACE = uuid.UUID("6f0c7c36-6d2b-4c83-9a55-2b7d0d3b8a11")
MAX_DAYS_LEFT = 1000


class DutyObserver(Protocol):
    """Told of each breach and each completion (the adapter is Prometheus)."""

    def breached(self, d: Deadline) -> None: ...

    def completed(self, d: Deadline) -> None: ...

    def reported(self, rule: str, organisation: str) -> None: ...


class NoMetrics:
    def breached(self, d: Deadline) -> None:
        pass

    def completed(self, d: Deadline) -> None:
        pass

    def reported(self, rule: str, organisation: str) -> None:
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
        recorded_at = cause.occurred_at if cause else self.clock()
        for action in actions:
            match action:
                case RaiseDispute():
                    await self._raise_dispute(tx, action, cause, actor or self.government)
                case Pause():
                    await self._pause(tx, action, recorded_at)
                case Report():
                    await self._report_refusal(tx, action, correlation_id, recorded_at)
                case Open() | Close() | Extend():
                    await self._move_deadline(tx, action, correlation_id, recorded_at)

    async def _move_deadline(self, tx: Tx, action: Open | Close | Extend,
                             correlation_id: str, recorded_at: datetime) -> None:
        deadlines = repo.DeadlineRepository(tx)
        d = await deadlines.get(action.deadline_id)
        match action:
            case Open():
                if d is None:
                    d = Deadline(action.deadline_id, action.rule, action.duty,
                                 action.responsible, correlation_id)
                elif d.started_at is None:  # a placeholder learns its duty
                    d.rule, d.duty, d.responsible = action.rule, action.duty, action.responsible
                    d.correlation_id = correlation_id
                if d.started_at is None:
                    await self._open(tx, d, action, recorded_at)
            case Close():
                at = self.declared_moment(action.at, recorded_at)
                d = d or Deadline.closed_before_opened(action.deadline_id, at)
                if d.done_at is None:
                    d.complete(at)
                    tx.after_commit(partial(self.metrics.completed, d))
            case Extend():
                try:
                    new_due_at = in_utc(action.new_due_at, "new_due_at")
                except RuleViolation:  # an extension to no real time moves nothing
                    log.warning("deadline %s: extension to %s ignored", action.deadline_id,
                                action.new_due_at.isoformat())
                    if d is None:
                        return
                else:
                    d = d or Deadline.extended_before_opened(action.deadline_id, new_due_at)
                    d.extend(new_due_at)
        await self._report(tx, d, self.clock())
        await deadlines.save(d)

    async def _open(self, tx: Tx, d: Deadline, action: Open, recorded_at: datetime) -> None:
        done_first = d.done_at is not None
        started_at, counted_from, due_at, note = self.counted_due(
            action.rule, action.started_at, recorded_at)
        d.open(started_at, due_at, self.warn_fraction, recorded_at=recorded_at,
               counted_from=counted_from, start_note=note)
        if note:
            log.warning("deadline %s: %s", d.id, note)
        if done_first:
            tx.after_commit(partial(self.metrics.completed, d))
        if d.state == "paused":  # a pause that came first: its dispute may be over already
            await self._resume_if_ended(tx, d)

    def counted_due(self, rule: str, declared: datetime,
                    recorded_at: datetime) -> tuple[datetime, str, datetime, str]:
        """ESC-5: (started_at to keep, what the limit counts from, due time, why not the
        declared start). Never raises for a date: the recording time is the fallback."""
        try:
            start: datetime | None = in_utc(declared, "started_at")
        except RuleViolation:
            start = None
        if start is None:
            note = (f"declared start {declared.isoformat()} is not a time the system can count "
                    "from; the limit counts from the recording time")
        elif start > recorded_at + CLOCK_SKEW:
            note = (f"declared start {start.isoformat()} lies after the recording time "
                    f"{recorded_at.isoformat()}; the limit counts from the recording time")
        else:
            try:
                return start, "started_at", self.limits.due(rule, start, self.calendar), ""
            except (OverflowError, ValueError) as exc:
                note = (f"no due time can be counted from the declared start "
                        f"{start.isoformat()} ({exc}); the limit counts from the recording time")
        try:
            due = self.limits.due(rule, recorded_at, self.calendar)
        except (OverflowError, ValueError):
            recorded_at = self.clock()
            due = self.limits.due(rule, recorded_at, self.calendar)
        return start or recorded_at, "recorded_at", due, note

    def declared_moment(self, declared: datetime, recorded_at: datetime) -> datetime:
        """ESC-5 for the end or pause of a duty: a time the system can hold, and never
        later than when it was recorded (beyond the clock skew)."""
        try:
            at = in_utc(declared, "at")
        except RuleViolation:
            return recorded_at
        return recorded_at if at > recorded_at + CLOCK_SKEW else at

    async def _pause(self, tx: Tx, action: Pause, recorded_at: datetime) -> None:
        """ESC-3: the clock of a duty stops while the dispute blocking its holder is open."""
        deadlines = repo.DeadlineRepository(tx)
        d = await deadlines.get(action.deadline_id)
        at = self.declared_moment(action.at, recorded_at)
        if d is None:
            d = Deadline.paused_before_opened(action.deadline_id, action.dispute_id, at)
        elif not d.pause(action.dispute_id, at):
            return
        await self._resume_if_ended(tx, d)
        await deadlines.save(d)

    async def _resume_if_ended(self, tx: Tx, d: Deadline) -> None:
        if d.state != "paused" or d.paused_by is None:
            return
        dispute = await DisputeRepository(tx).get(d.paused_by)
        if dispute is not None and dispute.ended:
            self._resume(d, dispute.ended_at or self.clock(), dispute.owner)

    async def resume_dispute(self, tx: Tx, dispute: Dispute, at: datetime) -> int:
        """ESC-3: a dispute ended; every duty it paused resumes with the owner it names."""
        deadlines = repo.DeadlineRepository(tx)
        resumed = 0
        for deadline_id in await deadlines.paused_by(dispute.id):
            d = await deadlines.get(deadline_id)
            if d is None or d.state != "paused":
                continue
            self._resume(d, at, dispute.owner)
            await deadlines.save(d)
            resumed += 1
        return resumed

    def _resume(self, d: Deadline, ended_at: datetime, owner: dict[str, Any] | None) -> None:
        if d.paused_at is None:
            raise ValueError(f"deadline {d.id} is not paused")
        at = max(ended_at, d.paused_at)
        d.resume(at, self.resumed_due(d.rule, d.paused_at, d.due_at or d.paused_at, at),
                 owner, self.warn_fraction)

    def resumed_due(self, rule: str, paused_at: datetime, due_at: datetime,
                    resumed_at: datetime) -> datetime:
        """ESC-3: the time a duty had left when it paused, counted again from `resumed_at`.

        A limit counted in days (working days, same day) keeps its whole working days: those
        after the day it paused, up to its due day; the day it resumes is not counted (like a
        start day, ESC-4), and a duty paused on its last day gets one working day. Any other
        limit keeps its clock time to the second."""
        limit = self.limits.table.get(rule)
        try:
            if limit is not None and (limit.text.endswith("wd") or limit.text == "same_day"):
                days = 0
                while days < MAX_DAYS_LEFT and self.calendar.add_working_days(
                        paused_at, days + 1) <= due_at:
                    days += 1
                return self.calendar.add_working_days(resumed_at, max(1, days))
            left = max(0.0, (due_at - paused_at).total_seconds())
            return self.calendar.add_hours(resumed_at, left / 3600)
        except (OverflowError, ValueError):
            log.warning("deadline of %s: no due time after the pause; due at once", rule)
            return resumed_at

    async def _report_refusal(self, tx: Tx, action: Report, correlation_id: str,
                              recorded_at: datetime) -> None:
        """A refusal reported to the district government: a notice of its own kind, once
        per report id, never a breach."""
        if await notifications.has_report(tx, action.report_id):
            return
        try:
            at = in_utc(action.at, "at")
        except RuleViolation:
            at = recorded_at
        notice = refusal_notice(action, self.government, self.clock(), at=at,
                                recorded_at=recorded_at, correlation_id=correlation_id,
                                event_id=uuid.uuid5(REPORT_NAMESPACE, action.report_id))
        tx.emit(notice)
        await notifications.add(tx, notification_doc(notice, self.webhook))
        organisation = str(action.responsible.get("id") or "unknown")
        tx.after_commit(partial(self._reported, action, organisation))

    def _reported(self, action: Report, organisation: str) -> None:
        log.warning("refusal reported %s (%s) by %s", action.report_id, action.rule, organisation)
        self.metrics.reported(action.rule, organisation)

    async def _raise_dispute(self, tx: Tx, action: RaiseDispute, cause: Event | None,
                             actor: OrgRef) -> None:
        disputes = DisputeRepository(tx)
        if await disputes.get(action.dispute_id) is not None:
            return
        d = Dispute(action.dispute_id, action.matter_code, action.parties, action.origin,
                    action.subject_id, action.reason, subject_kind=action.subject_kind)
        at = cause.occurred_at if cause else self.clock()
        if d.origin in REFERRED_AT_ONCE:  # REF-9: straight to the district government's desk
            d.escalate("refused_transfer_referred")
        await disputes.add(d, at)
        tx.emit(dispute_wire.raised(d, actor, at, cause))
        for outcome in d.events:
            tx.emit(dispute_wire.outcome(d, outcome, self.government, at))
        d.events.clear()

    async def tick(self, batch: int = 100) -> int:
        """Warn or breach every deadline whose time has come; returns how many."""
        now = self.clock()
        ids = await repo.due_ids(self.store.db, now, batch)
        at_once = asyncio.Semaphore(TICK_AT_ONCE)  # each its own aggregate and transaction

        async def one(deadline_id: str) -> None:
            async with at_once:
                await self.store.transaction(lambda tx: self._tick_one(tx, deadline_id, now))
        await asyncio.gather(*(one(deadline_id) for deadline_id in ids))
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
                await notifications.add(tx, notification_doc(events[-1], self.webhook))  # type: ignore[arg-type]
                if d.rule == "DSP-1":
                    await self._escalate_dispute(tx, d.id, now)
        d.events.clear()

    def _breached(self, d: Deadline) -> None:
        log.warning("breach %s (%s) of %s", d.id, d.rule, d.responsible.get("id"))
        self.metrics.breached(d)

    async def _escalate_dispute(self, tx: Tx, deadline_id: str, now: datetime) -> None:
        """DSP-2: negotiation failed within its limit; the district government decides.
        Both parties' negotiation deadlines breach: the dispute goes up once."""
        disputes = DisputeRepository(tx)
        rest = deadline_id.removeprefix("dispute:")  # dispute:<id>:<party> (or dispute:<id>)
        dispute = await disputes.get(rest.rpartition(":")[0]) if ":" in rest else None
        dispute = dispute or await disputes.get(rest)
        if dispute is None:
            return
        dispute.escalate("negotiation_limit_passed")
        for outcome in dispute.events:
            tx.emit(dispute_wire.outcome(dispute, outcome, self.government, now))
        await disputes.save(dispute, now)

    async def next_action_at(self) -> datetime | None:
        return await repo.next_action_at(self.store.db, self.clock())
