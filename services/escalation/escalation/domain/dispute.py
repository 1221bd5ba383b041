"""A jurisdiction dispute: negotiated by its two parties, or decided by the district
government (DSP-1, DSP-2).

States: negotiating -> settled | escalated -> decided. Parties are stored as organisation
references (dicts with id, kind, name); the aggregate records what happened in `events`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from liandong_runtime.errors import NotAllowed, RuleViolation

Org = dict[str, Any]
SUBJECT_KINDS = ("case", "complaint", "matter", "")
_KIND_OF_ORIGIN = {"transfer_refused": "case", "transfer_refused_other": "case",
                   "historical_matter": "case", "complaint_forward_contested": "complaint",
                   "direct": "matter"}


def subject_kind_of(origin: str, given: str = "") -> str:
    """What a dispute's subject is: as given, else what its origin implies."""
    if given:
        if given not in SUBJECT_KINDS:
            raise RuleViolation("DSP-1", "subject_kind", f"one of {', '.join(SUBJECT_KINDS[:3])}")
        return given
    return _KIND_OF_ORIGIN.get(origin, "")


@dataclass(frozen=True)
class Settled:
    owner: Org
    by: Org


@dataclass(frozen=True)
class Escalated:
    reason: Literal["negotiation_limit_passed", "party_requested", "refused_transfer_referred"]
    by: Org | None


@dataclass(frozen=True)
class Decided:
    owner: Org
    decision_ref: str
    catalogue_correction: bool


@dataclass
class Dispute:
    id: str
    matter_code: str
    parties: tuple[Org, Org]
    origin: str
    subject_id: str
    reason: str
    state: str = "negotiating"
    agreements: dict[str, str] = field(default_factory=dict)
    owner: Org | None = None
    decision_ref: str | None = None
    catalogue_correction: bool = False
    subject_kind: str = ""
    ended_at: datetime | None = None
    version: int = 0
    events: list[Settled | Escalated | Decided] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.subject_kind = subject_kind_of(self.origin, self.subject_kind)

    @property
    def ended(self) -> bool:
        """Settled or decided: the owner is known (ESC-3 resumes what it paused)."""
        return self.state in ("settled", "decided")

    def agree(self, party: Org, owner: Org) -> None:
        """DSP-1: a party names the owner; both naming the same one settles the dispute."""
        self._require_party(party)
        self._require_state("negotiating")
        if owner["id"] not in self._party_ids:
            raise RuleViolation("DSP-1", "owner",
                                "a negotiated owner is one of the two parties; "
                                "anything else is for the district government (DSP-2)")
        self.agreements[party["id"]] = owner["id"]
        if set(self.agreements) == self._party_ids and len(set(self.agreements.values())) == 1:
            self.state, self.owner = "settled", owner
            self.events.append(Settled(owner, party))

    def escalate(self, reason: Literal["negotiation_limit_passed", "party_requested",
                                       "refused_transfer_referred"],
                 party: Org | None = None) -> None:
        """DSP-2: no agreement; the district government decides. A transfer refused on
        grounds other than jurisdiction or material (REF-9) is referred at once."""
        if party is not None:
            self._require_party(party)
        if reason == "negotiation_limit_passed" and self.state != "negotiating":
            return  # settled or escalated in time: the limit passing changes nothing
        self._require_state("negotiating")
        self.state = "escalated"
        self.events.append(Escalated(reason, party))

    def decide(self, owner: Org, decision_ref: str, catalogue_correction: bool) -> None:
        """DSP-2: the decision binds both parties and sets the owner."""
        self._require_state("escalated")
        if not decision_ref.strip():
            raise RuleViolation("DSP-2", "decision_ref", "a decision cites its document")
        self.state, self.owner = "decided", owner
        self.decision_ref, self.catalogue_correction = decision_ref, catalogue_correction
        self.events.append(Decided(owner, decision_ref, catalogue_correction))

    @property
    def _party_ids(self) -> set[str]:
        return {p["id"] for p in self.parties}

    def _require_party(self, org: Org) -> None:
        if org["id"] not in self._party_ids:
            raise NotAllowed("acting_org", f"{org['id']} is not a party to dispute {self.id}")

    def _require_state(self, wanted: str) -> None:
        if self.state != wanted:
            raise NotAllowed("status", f"the dispute is {self.state}, not {wanted}")
