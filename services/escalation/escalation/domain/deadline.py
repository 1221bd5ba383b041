"""A deadline: one duty, its responsible body, its due time, and what became of it.

States: (pending ->) open (<-> paused) -> done | breached (a breached duty done late
records `done_at` too). A duty paused by an open jurisdiction dispute (ESC-3) has no next
action: it can neither be warned nor breached until the dispute ends; it then resumes with
the owner the dispute names and a due time the engine computes from the time it had left.
A Pause that overtakes the start event is kept on the placeholder and applied on opening.
A duty reported done after its due time, before the watcher noticed, is a breach all
the same: the late completion is how a late sharing (SHR-4) or a transfer made while
escalation was down is caught. An extension that arrives before its start event is kept
and applied on opening.
`next_action_at` is the one time the watcher looks at: the warning, then the due time;
it is cleared once nothing is left to do, so the watcher's query only meets due work.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from liandong_runtime.limits import warn_before


@dataclass(frozen=True)
class Warned:
    deadline: "Deadline"


@dataclass(frozen=True)
class Breached:
    deadline: "Deadline"
    late_by_seconds: int


@dataclass
class Deadline:
    id: str
    rule: str
    duty: str
    responsible: dict[str, Any]
    correlation_id: str
    started_at: datetime | None = None
    due_at: datetime | None = None
    state: str = "open"
    warned: bool = False
    done_at: datetime | None = None
    breached_at: datetime | None = None
    next_action_at: datetime | None = None
    recorded_at: datetime | None = None
    counted_from: str = "started_at"
    start_note: str = ""
    paused_by: str | None = None
    paused_at: datetime | None = None
    pauses: list[dict[str, Any]] = field(default_factory=list)
    version: int = 0
    events: list[Warned | Breached] = field(default_factory=list)

    @classmethod
    def closed_before_opened(cls, id: str, at: datetime) -> "Deadline":
        """ESC-3 when the 'done' event overtakes the 'start' event: a tombstone."""
        return cls(id, rule="", duty="", responsible={}, correlation_id="", state="done",
                   done_at=at)

    @classmethod
    def extended_before_opened(cls, id: str, new_due_at: datetime) -> "Deadline":
        """ESC-3 when the extension overtakes the start event: kept until it opens."""
        return cls(id, rule="", duty="", responsible={}, correlation_id="", state="pending",
                   due_at=new_due_at)

    @classmethod
    def paused_before_opened(cls, id: str, dispute_id: str, at: datetime) -> "Deadline":
        """ESC-3 when the pause overtakes the start event: kept until it opens."""
        return cls(id, rule="", duty="", responsible={}, correlation_id="", state="pending",
                   paused_by=dispute_id, paused_at=at)

    def open(self, started_at: datetime, due_at: datetime, warn_fraction: float, *,
             recorded_at: datetime | None = None, counted_from: str = "started_at",
             start_note: str = "") -> None:
        """Idempotent: a deadline opens once. A tombstone stays done, and learns its start
        and due time: done after the due time, it is a breach all the same. `started_at` is
        the declared start, `recorded_at` when the system recorded it (ESC-5);
        `counted_from` says which of the two the due time counts from, and why."""
        if self.started_at is not None:
            return
        self.recorded_at, self.counted_from = recorded_at, counted_from
        self.start_note = start_note
        if self.state == "done":
            self.started_at, self.due_at = started_at, due_at
            if self.done_at is not None and self.done_at > due_at:
                self.state, self.breached_at = "breached", self.done_at
                self.events.append(Breached(self, int((self.done_at - due_at).total_seconds())))
            return
        self.started_at, self.state = started_at, "open"
        self.due_at = max(due_at, self.due_at) if self.due_at else due_at
        counted = recorded_at if counted_from == "recorded_at" and recorded_at else started_at
        self.next_action_at = warn_before(counted, self.due_at, warn_fraction)
        if self.paused_by is not None:
            if self.paused_at is not None and self.paused_at >= self.due_at:
                self.paused_by = self.paused_at = None  # late before the dispute began
            else:
                self.state, self.next_action_at = "paused", None
                self.paused_at = max(self.paused_at or counted, counted)

    def pause(self, dispute_id: str, at: datetime) -> bool:
        """ESC-3: the holder is blocked by an open dispute; the clock stops at `at`.
        A duty already late at `at`, done, breached or paused by another dispute is left
        as it is. True if the duty is (now) paused by this dispute."""
        if self.paused_by is not None:
            return self.paused_by == dispute_id
        if self.state == "pending":
            self.paused_by, self.paused_at = dispute_id, at
            return True
        if self.state != "open" or (self.due_at is not None and at >= self.due_at):
            return False
        self.state, self.paused_by, self.paused_at = "paused", dispute_id, at
        self.next_action_at = None
        return True

    def resume(self, at: datetime, due_at: datetime, owner: dict[str, Any] | None,
               warn_fraction: float) -> None:
        """ESC-3: the dispute ended at `at`; the duty falls to `owner` (if named) with the
        due time the time it had left gives. The pause stays on record in `pauses`."""
        if self.state != "paused" or self.paused_at is None:
            return
        self.pauses.append({
            "dispute_id": self.paused_by, "paused_at": self.paused_at, "resumed_at": at,
            "due_before": self.due_at, "due_after": due_at,
            "held_by": self.responsible, "handed_to": owner or self.responsible})
        if owner:
            self.responsible = dict(owner)
        self.state, self.paused_by, self.paused_at, self.due_at = "open", None, None, due_at
        self.next_action_at = due_at if self.warned else warn_before(at, due_at, warn_fraction)

    def complete(self, at: datetime) -> None:
        """ESC-3: the duty is done; the clock stops. Done after the due time is a breach."""
        if self.done_at is not None:
            return
        self.done_at, self.next_action_at = at, None
        if self.state == "pending":
            self.state = "done"
        if self.state == "paused":  # done while its clock stood still: never late
            self.pauses.append({"dispute_id": self.paused_by, "paused_at": self.paused_at,
                                "resumed_at": None, "done_while_paused": at})
            self.state, self.paused_by, self.paused_at = "done", None, None
            return
        if self.state != "open":
            return
        if self.due_at is not None and self.started_at is not None and at > self.due_at:
            self.state, self.breached_at = "breached", at
            self.events.append(Breached(self, int((at - self.due_at).total_seconds())))
            return
        self.state = "done"

    def extend(self, new_due_at: datetime) -> None:
        """ESC-3: an extension (AST-3, SHR-4) moves an open deadline, never backwards."""
        if self.state not in ("open", "pending", "paused") or (
                self.due_at and new_due_at <= self.due_at):
            return
        self.due_at = new_due_at
        if self.started_at is not None and self.state == "open":
            self.next_action_at = new_due_at if self.warned else min(
                new_due_at, self.next_action_at or new_due_at)

    def tick(self, now: datetime) -> None:
        """ESC-1: warn, or breach exactly once, when the time has come."""
        if self.state != "open" or self.next_action_at is None or self.next_action_at > now:
            return
        if self.due_at is None:
            raise ValueError(f"deadline {self.id} is open without a due time")
        if now < self.due_at:
            self.warned, self.next_action_at = True, self.due_at
            self.events.append(Warned(self))
            return
        self.state, self.breached_at, self.next_action_at = "breached", now, None
        self.events.append(Breached(self, int((now - self.due_at).total_seconds())))
