"""The joint-enforcement call aggregate (联合执法, 吹哨报到): one body calls others in.

Each called body answers once: it reports for duty or refuses with a reason; sending
staff on site counts as reporting. A hazard notice (JNT-4) is answered only by staff sent
(who, how many, when) or a refusal with its reason: "reported" is not action. A whistle
(JNT-6) or a hazard notice (JNT-4) gives every called body the same due time; who
answered, how and when, is kept.
"""

from dataclasses import dataclass, field
from datetime import datetime

from assistance.domain import call_rules as rules
from assistance.domain import events as ev
from assistance.domain.errors import NotAllowed
from assistance.domain.request_rules import sent_in_time, staff_sent
from assistance.domain.values import Due, Summons
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.times import SHANGHAI


@dataclass(frozen=True)
class Response:
    """A called body's answer; `via` is "answer", or "dispatch" when staff were sent."""

    answer: str  # reported | refused
    reason: str
    at: datetime
    via: str = "answer"


@dataclass(frozen=True)
class CallDispatch:
    """Staff sent on a call: who led them, how many, when (declared) and when recorded."""

    org_id: str
    dispatched_at: datetime
    staff_count: int
    leader: str | None = None
    recorded_at: datetime | None = None


@dataclass
class JointCall:
    id: str
    caller: Organisation
    summons: Summons
    called_at: datetime
    due_at: datetime | None = None
    responses: dict[str, Response] = field(default_factory=dict)
    dispatches: list[CallDispatch] = field(default_factory=list)
    version: int = 0
    events: list[ev.CallEvent] = field(default_factory=list)

    @classmethod
    def make(cls, call_id: str, caller: Organisation, summons: Summons, now: datetime,
             due: Due) -> "JointCall":
        """JNT-3/4/6: a call to other bodies; whistles and hazard notices start a clock."""
        unique = tuple({org.id: org for org in summons.called}.values())
        summons = Summons(summons.kind, unique, summons.reason, summons.matter, summons.case_id)
        rules.caller_may_call(caller, summons.kind)
        rules.called_fit(caller, summons)
        rules.notifies_the_owner(summons, now.astimezone(SHANGHAI).date())
        rule = rules.DUE_RULE.get(summons.kind)
        call = cls(call_id, caller, summons, now, due(rule, now) if rule else None)
        matter_code = summons.matter.code if summons.matter else None
        call.events.append(ev.JointEnforcementCalled(
            now, summons.kind, unique, matter_code, summons.case_id, summons.reason))
        return call

    @property
    def silent(self) -> tuple[Organisation, ...]:
        """Called bodies that have neither reported nor refused."""
        return tuple(org for org in self.summons.called if org.id not in self.responses)

    def answer(self, actor: Organisation, answer: str, reason: str, now: datetime) -> None:
        """JNT-4/JNT-6: a called body reports for duty or refuses with a reason, once."""
        self._require_called(actor)
        if actor.id in self.responses:
            done = self.responses[actor.id]
            raise NotAllowed("status", f"{actor.name} already answered this call: "
                             f"{done.answer} at {done.at.isoformat()}")
        rules.refusal_has_reason(answer, reason)
        rules.report_is_not_action(self.summons.kind, answer)
        self.responses[actor.id] = Response(answer, reason, now)
        self.events.append(ev.JointEnforcementAnswered(now, answer, reason, self.summons.kind))

    def dispatch(self, actor: Organisation, staff_count: int, now: datetime,
                 dispatched_at: datetime | None = None, leader: str | None = None) -> None:
        """JNT-4: the called body sends enforcement staff (who, how many, when); that is
        its report for duty."""
        self._require_called(actor)
        done = self.responses.get(actor.id)
        if done is not None and done.answer == "refused":
            raise NotAllowed("status", f"{actor.name} refused this call at "
                             f"{done.at.isoformat()}")
        staff_sent("JNT-4", staff_count)
        rules.leader_named(self.summons.kind, leader)
        sent = now if dispatched_at is None else dispatched_at
        sent_in_time(rules.RULE_OF_CALL[self.summons.kind], self.called_at, sent, now)
        if done is None:
            self.responses[actor.id] = Response("reported", "", sent, via="dispatch")
        self.dispatches.append(CallDispatch(actor.id, sent, staff_count, leader, now))
        self.events.append(ev.StaffDispatched(now, sent, staff_count, leader))

    def is_party(self, org_id: str) -> bool:
        return org_id == self.caller.id or any(o.id == org_id for o in self.summons.called)

    def _require_called(self, actor: Organisation) -> None:
        if not any(org.id == actor.id for org in self.summons.called):
            raise NotAllowed("acting_org", f"{actor.name} was not called: only a called body "
                             "answers the call")
