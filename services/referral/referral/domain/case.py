"""The case aggregate: a violation, from its finding or registration to its end.

A transferred case (REF) runs found -> transferred -> accepted | returned (for incomplete
material, REF-9: the finder completes it and transfers again) | refused (a dispute decides,
DSP-1/DSP-2, -> accepted) | kept (a historical matter without agreement stays with the
department, REF-3; a dispute may move it, -> disputed -> accepted), then closed. A body's own
case (JUR-3) runs registered -> closed. The judicial path (crime: none -> suspected ->
transferred -> accepted | declined, CRM) runs beside either, and so does an ongoing
violation's notice to the owner (ongoing: none -> reported -> acknowledged, REF-6).
"""

from dataclasses import dataclass, field
from datetime import datetime

from liandong_runtime.refdata.model import Matter, Organisation
from liandong_runtime.times import SHANGHAI
from referral.domain import events as ev
from referral.domain import rules
from referral.domain.errors import NotAllowed, RuleViolation

HANDLED_BY_OWNER = ("accepted", "registered", "closed")


@dataclass
class Finding:
    """What was found and when (the start of the REF-4/REF-5 clock), and when it was said."""

    matter: Matter
    locality: Organisation
    found_at: datetime
    urgent: bool
    summary: str
    historical: bool = False
    recorded_at: datetime | None = None  # ESC-5: the moment the system recorded found_at


@dataclass
class Case:
    id: str
    finder: Organisation
    owner: Organisation
    finding: Finding
    status: str = "found"
    crime: str = "none"
    judicial_organ: Organisation | None = None
    version: int = 0
    kind: str = "transfer"  # or "own" (JUR-3)
    attempt: int = 0  # REF-9: transfers made so far
    ongoing: str = "none"  # REF-6: none | reported | acknowledged
    complaint_id: str | None = None  # CMP-4: the complaint an own case follows up
    stop_ordered_at: datetime | None = None  # REF-6
    suspicions: int = 0  # CRM-1: crimes suspected so far (again after a decline)
    events: list[ev.CaseEvent] = field(default_factory=list)

    @classmethod
    def record(cls, case_id: str, finder: Organisation, owner: Organisation,
               finding: Finding, names: rules.OwnName,
               stop_ordered_at: datetime | None = None) -> "Case":
        """REF-4/5, JUR-2, REF-3, REF-8: record a finding on a matter someone else owns."""
        rules.finder_does_not_own(finder, owner)
        rules.acts_in_own_name(names, finder, finding.matter)
        rules.locality_is_township(finding.locality)
        rules.historical_moves_to_township(finding.historical, finder, owner)
        case = cls(case_id, finder, owner, finding)
        case.events.append(ev.FindingRecorded(
            finding.matter.code, finding.locality, owner, finding.found_at, finding.urgent,
            stop_ordered_at is not None, finding.summary))
        if stop_ordered_at is not None:
            case.report_ongoing(finder, stop_ordered_at, finding.summary)
        return case

    @classmethod
    def register(cls, case_id: str, actor: Organisation, owner: Organisation,
                 finding: Finding, complaint_id: str | None = None) -> "Case":
        """JUR-3: a body registers (立案) a case on a matter it owns on that date and place."""
        rules.registers_own_matter(actor, owner)
        rules.locality_is_township(finding.locality)
        case = cls(case_id, owner, owner, finding, status="registered", kind="own",
                   complaint_id=complaint_id)
        case.events.append(ev.CaseRegistered(finding.matter.code, finding.locality, owner,
                                             finding.found_at, finding.summary, complaint_id))
        return case

    @property
    def handler(self) -> Organisation:
        return self.owner if self.status in HANDLED_BY_OWNER else self.finder

    def report_ongoing(self, actor: Organisation, stop_ordered_at: datetime, summary: str) -> None:
        """REF-6: the party was told to stop; the finder informs the owner, once."""
        self._require(actor, self.finder, "only the finder reports the ongoing violation")
        self._require_status("found", "transferred", "returned")
        if self.ongoing != "none":
            raise NotAllowed("ongoing", f"the owner was already informed ({self.ongoing})")
        self.ongoing, self.stop_ordered_at = "reported", stop_ordered_at
        self.events.append(ev.OngoingViolationReported(self.owner, stop_ordered_at, summary))

    def acknowledge_ongoing(self, actor: Organisation, own_case: "Case | None",
                            reason: str) -> None:
        """REF-6: the owner acknowledges the notice and opens its case (JUR-3) or says why not."""
        self._require(actor, self.owner, "only the owner acknowledges the notice")
        if self.ongoing != "reported":
            raise NotAllowed("ongoing", f"no notice waits for acknowledgement ({self.ongoing})")
        rules.case_opened_or_reason(actor, own_case, reason)
        self.ongoing = "acknowledged"
        self.events.append(ev.OngoingViolationAcknowledged(
            self.finder, own_case.id if own_case else None, reason.strip()))

    def transfer(self, actor: Organisation, materials: ev.Materials,
                 names: rules.OwnName) -> None:
        """REF-4/5/7/8: the finder hands the case, with its material, to the owner; again
        after a refusal for incomplete material (REF-9)."""
        self._require(actor, self.finder, "only the finder transfers the case")
        self._require_status("found", "returned")
        rules.acts_in_own_name(names, actor, self.finding.matter)
        rules.materials_complete(materials)
        self.status, self.attempt = "transferred", self.attempt + 1
        self.events.append(ev.CaseTransferred(
            self.finding.matter.code, self.owner, materials, self.finding.urgent,
            self.finding.historical, self.attempt))

    def accept(self, actor: Organisation) -> None:
        """REF-9 (REF-3: for a historical matter, this is the township's agreement)."""
        self._require(actor, self.owner, "only the receiver accepts the transfer")
        self._require_status("transferred")
        self.status = "accepted"
        self.events.append(ev.CaseTransferAccepted(self.finder, self.attempt))

    def refuse(self, actor: Organisation, grounds: str, reason: str) -> None:
        """REF-9/REF-3: refused with a reason, and never a dead end (see `rules.after_refusal`)."""
        self._require(actor, self.owner, "only the receiver refuses the transfer")
        self._require_status("transferred")
        rules.reason_given(reason)
        grounds, self.status = rules.after_refusal(grounds, self.finding.historical)
        self.events.append(ev.CaseTransferRefused(
            self.finder, self.finding.matter.code, grounds, reason, self.attempt))

    def raise_historical_dispute(self, actor: Organisation, reason: str) -> None:
        """REF-3: without agreement the case stayed with the department; either party may
        raise a jurisdiction dispute (DSP-1)."""
        if actor.id not in (self.finder.id, self.owner.id):
            raise NotAllowed("acting_org", "only the department or the township disputes it")
        self._require_status("kept")
        rules.reason_given(reason, "REF-3")
        self.status = "disputed"
        self.events.append(ev.HistoricalDisputeRaised(
            self.finding.matter.code, self.finder, self.owner, reason))

    def settle_ownership(self, owner: Organisation, dispute_id: str, settled_by: str) -> None:
        """DSP-1/DSP-2: the dispute over the case ended; the owner it names holds the case."""
        self._require_status("refused", "disputed")
        self.owner, self.status = owner, "accepted"
        self.events.append(ev.CaseOwnershipSettled(dispute_id, owner, settled_by))

    def suspect_crime(self, actor: Organisation, grounds: str) -> None:
        """CRM-1: the handler suspects a crime; the transfer to the judiciary is due."""
        self._require(actor, self.handler, "only the body handling the case suspects a crime")
        if self.status == "closed":
            raise NotAllowed("status", "the case is closed")
        if self.crime not in ("none", "declined"):
            raise RuleViolation("CRM-1", "crime", f"a crime is already {self.crime}")
        self.crime, self.suspicions = "suspected", self.suspicions + 1
        self.events.append(ev.CrimeSuspected(grounds, self.suspicions))

    def transfer_to_judiciary(self, actor: Organisation, organ: Organisation,
                              materials: tuple[str, ...]) -> None:
        """CRM-1: the case goes to the public security organ or the procuratorate."""
        self._require(actor, self.handler, "only the body handling the case transfers it")
        rules.is_judicial_organ(organ)
        if self.crime != "suspected":
            raise RuleViolation("CRM-1", "crime", "record the suspected crime first")
        if not materials:
            raise RuleViolation("CRM-1", "materials", "the transfer carries its material")
        self.crime, self.judicial_organ = "transferred", organ
        self.events.append(ev.CaseTransferredToJudiciary(organ, materials, self.suspicions))

    def record_judiciary_decision(self, actor: Organisation, decision: str, reason: str) -> None:
        """CRM-3: the judicial organ's answer, shared with the transferring body."""
        if self.judicial_organ is None or self.crime != "transferred":
            raise RuleViolation("CRM-3", "decision", "the case is not with a judicial organ")
        self._require(actor, self.judicial_organ, "only the judicial organ records its answer")
        self.crime = "accepted" if decision == "accepted" else "declined"
        self.events.append(ev.JudiciaryDecisionRecorded(
            self.judicial_organ, self.handler, decision, reason))

    def close(self, actor: Organisation, outcome: str, closed_at: datetime) -> None:
        """JUR-2, JUR-3, CRM-2: the body handling the case closes it, never by fine in
        place of prosecution."""
        if actor.id != self.handler.id:
            raise RuleViolation("JUR-2", "acting_org",
                                f"only the body handling the case closes it ({self.handler.name})")
        self._require_status("accepted", "registered", "kept")
        rules.no_fine_in_place_of_prosecution(self.crime, outcome)
        self.status = "closed"
        self.events.append(ev.CaseClosed(outcome, closed_at.astimezone(SHANGHAI).date()))

    def _require(self, actor: Organisation, expected: Organisation, message: str) -> None:
        if actor.id != expected.id:
            raise NotAllowed("acting_org", f"{message} ({expected.name})")

    def _require_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise NotAllowed("status", f"the case is {self.status}, not {' or '.join(allowed)}")
