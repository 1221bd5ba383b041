"""Consultation meetings (JNT-1, JNT-3): held on a schedule or ad hoc, with their minutes.

A meeting schedule is a plan only: it is stored and shows the next date it is due; it
emits no event. A scheduled meeting (`ScheduledMeeting`) is one concrete meeting on a
date: its minutes are due by the end of that day (JNT-1), and the minutes recorded for it
carry its id. A meeting that a major case clue called for references the call.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import datetime

from assistance.domain import events as ev
from assistance.domain.call import JointCall
from assistance.domain.errors import NotAllowed, RuleViolation
from assistance.domain.values import Document
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.times import SHANGHAI, declared_start, in_utc

MONTHS = {"monthly": 1, "quarterly": 3}


def participants_fit(actor: Organisation, participants: tuple[Organisation, ...]) -> None:
    """JNT-1: a consultation brings at least two bodies together, the recorder among them."""
    ids = {org.id for org in participants}
    if len(ids) < 2:
        raise RuleViolation("JNT-1", "participants", "a consultation has at least two bodies")
    if actor.id not in ids:
        raise RuleViolation("JNT-1", "participants",
                            f"{actor.name} records only meetings it takes part in")


def unique(orgs: tuple[Organisation, ...]) -> tuple[Organisation, ...]:
    return tuple({org.id: org for org in orgs}.values())


@dataclass
class Meeting:
    id: str
    recorded_by: Organisation
    schedule: str  # scheduled | ad_hoc
    held_at: datetime
    topic: str
    participants: tuple[Organisation, ...]
    minutes: Document
    call_id: str | None = None
    events: list[ev.MeetingHeld] = field(default_factory=list)

    @classmethod
    def hold(cls, meeting_id: str, actor: Organisation, schedule: str, held_at: datetime,
             topic: str, participants: tuple[Organisation, ...], minutes: Document,
             call: JointCall | None, now: datetime,
             planned: "ScheduledMeeting | None" = None) -> "Meeting":
        """JNT-1: a meeting held (a scheduled one under the id it was scheduled with);
        JNT-3: an ad-hoc special meeting for a call. ESC-5: held_at is a declared time."""
        participants = unique(participants)
        participants_fit(actor, participants)
        held_at = declared_start(held_at, now, "held_at")
        if call is not None:
            _answers_the_call(schedule, held_at, call)
        if schedule == "scheduled":
            meeting_id = _minutes_of(planned, actor).id
        elif planned is not None:
            raise RuleViolation("JNT-1", "schedule", "the minutes of a scheduled meeting are "
                                "recorded as a scheduled meeting")
        meeting = cls(meeting_id, actor, schedule, held_at, topic, participants, minutes,
                      call.id if call else None)
        meeting.events.append(ev.MeetingHeld(now, schedule, held_at, topic, participants,
                                             minutes, meeting.call_id))
        return meeting


def _minutes_of(planned: "ScheduledMeeting | None", actor: Organisation) -> "ScheduledMeeting":
    """JNT-1: minutes of a scheduled meeting name it, once, by one of its participants."""
    if planned is None:
        raise RuleViolation("JNT-1", "meeting_id", "the minutes of a scheduled meeting name "
                            "the meeting scheduled (POST /scheduled-meetings)")
    if not any(o.id == actor.id for o in planned.participants):
        raise NotAllowed("acting_org", f"{actor.name} does not take part in {planned.id}")
    if planned.held:
        raise NotAllowed("status", f"the minutes of {planned.id} are already recorded")
    planned.held = True
    return planned


@dataclass
class ScheduledMeeting:
    """JNT-1: one consultation meeting on a date; its minutes are due by the end of it."""

    id: str
    convener: Organisation
    topic: str
    participants: tuple[Organisation, ...]
    scheduled_at: datetime
    held: bool = False
    events: list[ev.MeetingScheduled] = field(default_factory=list)

    @classmethod
    def schedule(cls, meeting_id: str, actor: Organisation, topic: str,
                 participants: tuple[Organisation, ...], scheduled_at: datetime,
                 now: datetime) -> "ScheduledMeeting":
        participants = unique(participants)
        participants_fit(actor, participants)
        at = in_utc(scheduled_at, "scheduled_at")
        meeting = cls(meeting_id, actor, topic, participants, at)
        meeting.events.append(ev.MeetingScheduled(now, at, topic, participants))
        return meeting


def _answers_the_call(schedule: str, held_at: datetime, call: JointCall) -> None:
    """JNT-3: the special meeting a call asked for is ad hoc, and follows the call."""
    if schedule != "ad_hoc":
        raise RuleViolation("JNT-3", "schedule", "a meeting for a call is an ad-hoc meeting")
    if held_at < call.called_at:
        raise RuleViolation("JNT-3", "held_at", "a meeting for a call is held after the call")


@dataclass(frozen=True)
class MeetingSchedule:
    """JNT-1: regular consultation meetings, monthly or quarterly from `first_at`."""

    id: str
    planned_by: Organisation
    topic: str
    participants: tuple[Organisation, ...]
    every: str  # monthly | quarterly
    first_at: datetime

    @classmethod
    def plan(cls, schedule_id: str, actor: Organisation, topic: str,
             participants: tuple[Organisation, ...], every: str,
             first_at: datetime) -> "MeetingSchedule":
        participants = unique(participants)
        participants_fit(actor, participants)
        if every not in MONTHS:
            raise RuleViolation("JNT-1", "every", "meetings are monthly or quarterly")
        return cls(schedule_id, actor, topic, participants, every, in_utc(first_at, "first_at"))

    def next_due(self, now: datetime) -> datetime:
        return next_due(self.first_at, self.every, now)


def next_due(first_at: datetime, every: str, now: datetime) -> datetime:
    """The first meeting of the series at or after `now` (dates kept in Asia/Shanghai)."""
    step, first = MONTHS[every], first_at.astimezone(SHANGHAI)
    local_now = now.astimezone(SHANGHAI)
    months = (local_now.year - first.year) * 12 + local_now.month - first.month
    k = max(0, months // step - 1)
    while (due := add_months(first, k * step)) < now:
        k += 1
    return due


def add_months(start: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day when it is shorter."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    return start.replace(year=year, month=month, day=min(start.day, monthrange(year, month)[1]))
