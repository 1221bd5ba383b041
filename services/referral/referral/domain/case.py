"""The case aggregate: a violation found outside the finder's jurisdiction, to its end.

Status runs found -> transferred -> accepted | refused (-> accepted once the dispute
settles or is decided, DSP-1/DSP-2), then closed; the judicial path
(crime: none -> suspected -> transferred -> accepted | declined) runs beside it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from liandong_runtime.refdata.model import Matter, Organisation
from referral.domain import events as ev
from referral.domain import rules
from referral.domain.errors import NotAllowed, RuleViolation

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class Finding:
    """What the finder saw and when (the start of the REF-4/REF-5 clock)."""

    matter: Matter
    locality: Organisation
    found_at: datetime
    urgent: bool
    summary: str
    historical: bool = False


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
    events: list[ev.CaseEvent] = field(default_factory=list)

    @classmethod
    def record(cls, case_id: str, finder: Organisation, owner: Organisation,
               finding: Finding, stop_ordered_at: datetime | None = None) -> "Case":
        """REF-4/5, JUR-2: record a finding on a matter someone else owns."""
        rules.finder_does_not_own(finder, owner)
        rules.acts_in_own_name(finder, finding.matter)
        rules.locality_is_township(finding.locality)
        case = cls(case_id, finder, owner, finding)
        case.events.append(ev.FindingRecorded(
            finding.matter.code, finding.locality, owner, finding.found_at, finding.urgent,
            stop_ordered_at is not None, finding.summary))
        if stop_ordered_at is not None:
            case.report_ongoing(finder, stop_ordered_at, finding.summary)
        return case

    @property
    def handler(self) -> Organisation:
        return self.owner if self.status in ("accepted", "closed") else self.finder

    def report_ongoing(self, actor: Organisation, stop_ordered_at: datetime, summary: str) -> None:
        """REF-6: the party was told to stop; the owner is informed at once."""
        self._require(actor, self.finder, "only the finder reports the ongoing violation")
        self._require_status("found", "transferred")
        self.events.append(ev.OngoingViolationReported(self.owner, stop_ordered_at, summary))

    def transfer(self, actor: Organisation, materials: ev.Materials) -> None:
        """REF-4/5/7/8: the finder hands the case, with its material, to the owner."""
        self._require(actor, self.finder, "only the finder transfers the case")
        self._require_status("found")
        rules.acts_in_own_name(actor, self.finding.matter)
        rules.materials_complete(materials)
        self.status = "transferred"
        self.events.append(ev.CaseTransferred(
            self.finding.matter.code, self.owner, materials, self.finding.urgent,
            self.finding.historical))

    def accept(self, actor: Organisation) -> None:
        """REF-9: the receiver takes the case."""
        self._require(actor, self.owner, "only the receiver accepts the transfer")
        self._require_status("transferred")
        self.status = "accepted"
        self.events.append(ev.CaseTransferAccepted(self.finder))

    def refuse(self, actor: Organisation, grounds: str, reason: str) -> None:
        """REF-9/REF-3: refused with a reason; jurisdiction grounds open a dispute."""
        self._require(actor, self.owner, "only the receiver refuses the transfer")
        self._require_status("transferred")
        rules.reason_given(reason)
        if self.finding.historical and grounds == "jurisdiction":
            grounds = "historical_no_agreement"
        self.status = "refused"
        self.events.append(ev.CaseTransferRefused(
            self.finder, self.finding.matter.code, grounds, reason))

    def settle_ownership(self, owner: Organisation, dispute_id: str, settled_by: str) -> None:
        """DSP-1/DSP-2: the dispute over a refused transfer ended; the owner holds the case."""
        self._require_status("refused")
        self.owner, self.status = owner, "accepted"
        self.events.append(ev.CaseOwnershipSettled(dispute_id, owner, settled_by))

    def suspect_crime(self, actor: Organisation, grounds: str) -> None:
        """CRM-1: the handler suspects a crime; the transfer to the judiciary is due."""
        self._require(actor, self.handler, "only the body handling the case suspects a crime")
        if self.crime not in ("none", "declined"):
            raise RuleViolation("CRM-1", "crime", f"a crime is already {self.crime}")
        self.crime = "suspected"
        self.events.append(ev.CrimeSuspected(grounds))

    def transfer_to_judiciary(self, actor: Organisation, organ: Organisation,
                              materials: tuple[str, ...]) -> None:
        """CRM-1: the case goes to a judicial organ."""
        self._require(actor, self.handler, "only the body handling the case transfers it")
        rules.is_judicial_organ(organ)
        if self.crime != "suspected":
            raise RuleViolation("CRM-1", "crime", "record the suspected crime first")
        if not materials:
            raise RuleViolation("CRM-1", "materials", "the transfer carries its material")
        self.crime, self.judicial_organ = "transferred", organ
        self.events.append(ev.CaseTransferredToJudiciary(organ, materials))

    def record_judiciary_decision(self, actor: Organisation, decision: str, reason: str) -> None:
        """CRM-3: the judicial organ's answer, shared with the transferring body."""
        if self.judicial_organ is None or self.crime != "transferred":
            raise RuleViolation("CRM-3", "decision", "the case is not with a judicial organ")
        self._require(actor, self.judicial_organ, "only the judicial organ records its answer")
        self.crime = "accepted" if decision == "accepted" else "declined"
        self.events.append(ev.JudiciaryDecisionRecorded(
            self.judicial_organ, self.handler, decision, reason))

    def close(self, actor: Organisation, outcome: str, closed_at: datetime) -> None:
        """JUR-2, CRM-2: only the owner closes, and never by fine in place of prosecution."""
        if actor.id != self.owner.id:
            raise RuleViolation("JUR-2", "acting_org", "only the owner of the matter closes it")
        self._require_status("accepted")
        rules.no_fine_in_place_of_prosecution(self.crime, outcome)
        self.status = "closed"
        self.events.append(ev.CaseClosed(outcome, closed_at.astimezone(SHANGHAI).date()))

    def _require(self, actor: Organisation, expected: Organisation, message: str) -> None:
        if actor.id != expected.id:
            raise NotAllowed("acting_org", f"{message} ({expected.name})")

    def _require_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise NotAllowed("status", f"the case is {self.status}, not {' or '.join(allowed)}")
