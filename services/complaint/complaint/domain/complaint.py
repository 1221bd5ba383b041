"""The complaint aggregate: from the first receiver to the answer and the feedback.

Status runs handling -> (disputed -> handling) -> closed. The body handling it is the
first receiver until it answers or forwards (CMP-1); a forward makes the receiver the
handler. It is closed once the handler answered the complainant and, if a department
told it of the complaint (CMP-6), fed the result back (CMP-7).
The complainant is only a random reference here (CMP-8).
"""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from complaint.domain import events as ev
from complaint.domain import rules
from complaint.domain.cases import Case
from complaint.domain.errors import NotAllowed
from complaint.domain.personal import Complainant, no_contact_data
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation


@dataclass(frozen=True)
class Intake:
    """What the first receiver registered (CMP-1, CMP-2)."""

    channel: str
    received_at: datetime
    registered_at: datetime
    summary: str
    materials: tuple[ev.Material, ...] = ()
    origin: str = "api"  # or "open311"


@dataclass(frozen=True)
class Guidance:
    """CMP-6: what the department that told the township advised on the investigation."""

    by: str  # the department's id
    text: str
    at: datetime


@dataclass
class Complaint:
    id: str
    reference_no: str
    received_by: Organisation
    complainant_ref: UUID
    intake: Intake
    handler: Organisation
    matter_code: str | None = None
    locality: Organisation | None = None
    status: str = "handling"
    handled_by: tuple[str, ...] = ()  # every body that handled it: they see the complainant
    forwarded_by: Organisation | None = None  # who forwarded it to the handler (DSP-1)
    told_by: Organisation | None = None  # the department owed feedback (CMP-6/CMP-7)
    outcome: str | None = None  # the handler's verification
    case_id: str | None = None
    answered: bool = False
    feedback_sent: bool = False
    forward_due: bool = False  # a department answered on a matter it does not own
    settled: bool = False  # a dispute named the owner; the catalogue no longer decides
    handler_received_at: datetime | None = None  # the handler's receipt (CMP-5 counts from it)
    contested_by: Organisation | None = None  # the receiver whose contest paused its duty
    took_over_from: Organisation | None = None  # ESC-3: whose paused duty fell to the handler
    feedback_released: bool = False  # a dispute named the department owed feedback as owner
    guidance: tuple[Guidance, ...] = ()  # CMP-6, visible to the township
    version: int = 0
    events: list[ev.ComplaintEvent] = field(default_factory=list)

    @classmethod
    def receive(cls, complaint_id: str, reference_no: str, receiver: Organisation,
                complainant_ref: UUID, intake: Intake, complainant: Complainant,
                matter_code: str | None = None, locality: Organisation | None = None,
                owner: Organisation | None = None) -> "Complaint":
        """CMP-1/CMP-2: registered at once; the first receiver is responsible."""
        rules.may_receive(receiver)
        rules.known_channel(intake.channel)
        rules.received_before_registration(intake.received_at, intake.registered_at)
        if locality is not None:
            rules.locality_is_township(locality)
        rules.text_given("CMP-2", "summary", intake.summary)
        no_contact_data("summary", intake.summary, complainant)
        complaint = cls(complaint_id, reference_no, receiver, complainant_ref, intake,
                        handler=receiver, matter_code=matter_code, locality=locality,
                        handled_by=(receiver.id,), handler_received_at=intake.received_at)
        complaint.events.append(ev.ComplaintReceived(
            intake.channel, receiver, intake.received_at, intake.registered_at, reference_no,
            complainant_ref, matter_code, locality, intake.summary, intake.materials, owner))
        return complaint

    def pass_to_owner(self, owner: Organisation, at: datetime) -> None:
        """CMP-1: after the transition period, no first-receiver responsibility: a complaint
        on another body's matter goes to the owner the catalogue names as it is registered."""
        if self.matter_code is None or self.locality is None or owner.id == self.handler.id:
            return
        self._forward(self.handler, owner, self.matter_code, self.locality,
                      "过渡期已结束，首问责任不再适用：按清单交由管辖机关处理（CMP-1）", (), at)

    def verify(self, actor: Organisation, outcome: str, findings: str, case: Case | None,
               matter_code: str | None, owner: Organisation | None) -> None:
        """CMP-3/4/5: the handling township's preliminary verification decides the path.

        CMP-4: with a penalty due the township opens a case within the CMP-4 limit; `case`
        is one it opened already (its own, checked by the caller), or None: named later.
        """
        rules.handler_acts(actor, self.handler)
        rules.status_is(self.status, "handling")
        rules.verifier_is_township(actor)
        if self.outcome is not None:
            raise NotAllowed("status", f"already verified: {self.outcome}")
        rules.case_only_if_penalty_due(outcome, case.case_id if case else None)
        rules.text_given("CMP-3", "findings", findings)
        no_contact_data("findings", findings)
        rules.outcome_fits_catalogue(actor, outcome, None if self.settled else owner)
        self.outcome, self.case_id = outcome, case.case_id if case else None
        self.matter_code = matter_code or self.matter_code
        self.events.append(ev.ComplaintVerified(outcome, self.case_id, self.matter_code,
                                                findings, self.handler_received_at))

    def name_case(self, actor: Organisation, case: Case, via: str = "complaint") -> None:
        """CMP-4: the township names the case it opened after finding a penalty due; a
        department handling a complaint on its own matter names its case too (JUR-3)."""
        rules.handler_acts(actor, self.handler)
        rules.status_is(self.status, "handling")
        department = OrgKind(actor.kind) is OrgKind.DEPARTMENT
        if self.outcome != "penalty_due" and not (department and not self.answered):
            raise NotAllowed("status", "only a complaint verified as penalty_due names a case "
                             "(CMP-4)")
        if self.case_id is not None:
            raise NotAllowed("case_id", f"the complaint already names case {self.case_id}")
        self.case_id = case.case_id
        self.events.append(ev.ComplaintCaseNamed(case.case_id, self.matter_code, via))

    def case_registered(self, case: Case) -> None:
        """CMP-4/JUR-3: the handler registered a case for this complaint: it names it."""
        if (case.owner_id == self.handler.id and self.outcome == "penalty_due"
                and self.case_id is None and self.status == "handling"):
            self.name_case(self.handler, case, via="case_registered")

    def give_guidance(self, actor: Organisation, text: str, at: datetime) -> None:
        """CMP-6: the department that told the township guides its investigation."""
        if self.told_by is None or actor.id != self.told_by.id:
            raise NotAllowed("acting_org", "only the department that told the township of "
                             "this complaint guides its investigation (CMP-6)")
        rules.status_is(self.status, "handling", "disputed")
        rules.text_given("CMP-6", "guidance", text)
        no_contact_data("guidance", text)
        self.guidance = (*self.guidance, Guidance(actor.id, text, at))
        self.events.append(ev.GuidanceGiven(actor, text, at))

    def forward(self, actor: Organisation, owner: Organisation, matter_code: str,
                locality: Organisation, reason: str, materials: tuple[ev.Material, ...],
                at: datetime) -> None:
        """CMP-5/CMP-6: to the owner the catalogue names; the owner becomes the handler."""
        rules.handler_acts(actor, self.handler)
        rules.status_is(self.status, "handling")
        if self.outcome in ("no_violation", "penalty_due"):
            raise NotAllowed("status", f"verified as {self.outcome}: answer the complainant")
        rules.locality_is_township(locality)
        rules.not_to_itself(actor, owner)
        rules.township_writes_material(actor, materials)
        rules.text_given("CMP-5", "reason", reason)
        no_contact_data("reason", reason)
        self._forward(actor, owner, matter_code, locality, reason, materials, at)

    def _forward(self, actor: Organisation, owner: Organisation, matter_code: str,
                 locality: Organisation, reason: str, materials: tuple[ev.Material, ...],
                 at: datetime) -> None:
        received_at = self.handler_received_at
        told = OrgKind(actor.kind) is OrgKind.DEPARTMENT and OrgKind(owner.kind).is_township
        sent = {m.uri for m in materials}
        carried = materials + tuple(m for m in self.intake.materials if m.uri not in sent)
        self._hand_to(owner, at)
        self.forwarded_by, self.matter_code, self.locality = actor, matter_code, locality
        if told:  # CMP-6: the department is owed the result (CMP-7)
            self.told_by, self.feedback_sent, self.guidance = actor, False, ()
        self.events.append(ev.ComplaintForwarded(owner, matter_code, reason, carried, told,
                                                  received_at))

    def contest(self, actor: Organisation, reason: str) -> None:
        """DSP-1: the receiver of a forward says it does not own the matter; it keeps it."""
        rules.handler_acts(actor, self.handler)
        rules.status_is(self.status, "handling")
        if self.forwarded_by is None or self.matter_code is None:
            raise NotAllowed("status", "the complaint was not forwarded to "
                             f"{actor.name}: only a forward can be contested")
        if self.outcome is not None or self.answered:
            raise NotAllowed("status", "already verified or answered: it cannot be contested")
        rules.text_given("DSP-1", "reason", reason)
        no_contact_data("reason", reason)
        self.status, self.contested_by = "disputed", actor
        self.events.append(ev.ComplaintForwardContested(self.forwarded_by, self.matter_code,
                                                        reason))

    def resolve_dispute(self, dispute_id: str, outcome: str, owner: Organisation,
                        at: datetime) -> None:
        """DSP-1/DSP-2: the agreed or decided owner handles it; a stale outcome is ignored.

        ESC-3: the contester's duty paused while the dispute was open and falls to the
        owner; the answer says whose it was, so that it ends with the owner's answer.
        """
        if self.status != "disputed":
            return
        self.status, self.forwarded_by, self.settled = "handling", None, True
        if owner.id != self.handler.id:
            self.took_over_from = self.handler
            self._hand_to(owner, at)
        if self.told_by is not None and self.told_by.id == owner.id:
            self.told_by = None  # the department itself owns it: no feedback to itself
            self.feedback_released = True
        self.events.append(ev.DisputeResolved(dispute_id, outcome, owner))

    def answer(self, actor: Organisation, result: str, case_id: str | None,
               owner: Organisation | None) -> None:
        """CMP-3/CMP-7: the handler tells the complainant the result."""
        rules.handler_acts(actor, self.handler)
        rules.status_is(self.status, "handling")
        if self.answered:
            raise NotAllowed("status", "the complainant was already answered")
        rules.verified_before_result(actor, self.outcome)
        rules.case_named_before_result(self.outcome, self.case_id)
        rules.text_given("CMP-7", "result", result)
        no_contact_data("result", result)
        self.answered = True
        self.forward_due = (OrgKind(actor.kind) is OrgKind.DEPARTMENT and not self.settled
                            and owner is not None and owner.id != actor.id)
        self.events.append(ev.ComplainantAnswered(result, case_id or self.case_id,
                                                  self.took_over_from, self.feedback_released))
        self._close_when_done()

    def feed_back(self, actor: Organisation, result: str, case_id: str | None) -> None:
        """CMP-7: the result goes back to the department that told the handler (CMP-6)."""
        rules.handler_acts(actor, self.handler)
        rules.status_is(self.status, "handling")
        if self.told_by is None:
            raise NotAllowed("status", "no department told "
                             f"{actor.name} of this complaint: no feedback is owed")
        if self.feedback_sent:
            raise NotAllowed("status", f"feedback was already sent to {self.told_by.name}")
        rules.verified_before_result(actor, self.outcome)
        rules.case_named_before_result(self.outcome, self.case_id)
        rules.text_given("CMP-7", "result", result)
        no_contact_data("result", result)
        self.feedback_sent = True
        self.events.append(ev.ComplaintFeedbackSent(self.told_by, result,
                                                    case_id or self.case_id))
        self._close_when_done()

    def _hand_to(self, owner: Organisation, at: datetime) -> None:
        """A new handler starts afresh (CMP-1): its own verification and answer."""
        self.handler, self.handler_received_at = owner, at
        if owner.id not in self.handled_by:
            self.handled_by = (*self.handled_by, owner.id)
        self.outcome = self.case_id = None
        self.answered = self.forward_due = False

    def _close_when_done(self) -> None:
        owed = self.told_by is not None and not self.feedback_sent
        if self.answered and not owed and not self.forward_due:
            self.status = "closed"
