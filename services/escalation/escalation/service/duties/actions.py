"""What an event can mean for deadlines: open one, close one, move one, raise a dispute."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Open:
    deadline_id: str
    rule: str
    duty: str
    responsible: dict[str, Any]
    started_at: datetime


@dataclass(frozen=True)
class Close:
    deadline_id: str
    at: datetime


@dataclass(frozen=True)
class Extend:
    deadline_id: str
    new_due_at: datetime


@dataclass(frozen=True)
class RaiseDispute:
    dispute_id: str
    matter_code: str
    parties: tuple[dict[str, Any], dict[str, Any]]
    origin: str
    reason: str
    subject_id: str
    subject_kind: str = ""  # "case", "complaint", "matter"; empty: what the origin implies


@dataclass(frozen=True)
class Pause:
    """ESC-3: the holder of this duty is blocked by an open jurisdiction dispute.

    The clock stops at `at`; when the dispute ends, the duty falls to the owner the
    dispute names, with the time it had left, and nobody is reported late for the time
    the dispute took.
    """

    deadline_id: str
    dispute_id: str
    at: datetime


@dataclass(frozen=True)
class Report:
    """A refusal or non-action the rules say "is reported to the district government"
    (AST-1, AST-4, JNT-4, ...): a notification of its own kind, not a breach."""

    report_id: str
    rule: str
    what: str
    responsible: dict[str, Any]
    reason: str
    at: datetime


Action = Open | Close | Extend | RaiseDispute | Pause | Report


def org(ref: Any) -> dict[str, Any]:
    """An OrgRef as stored on a deadline."""
    return dict(ref.model_dump(mode="json"))


REFERRED_AT_ONCE = ("transfer_refused_other",)


def negotiation_id(dispute_id: str, party_id: str) -> str:
    """The DSP-1 negotiation deadline one party of a dispute holds."""
    return f"dispute:{dispute_id}:{party_id}"


def dispute_opened(dispute: RaiseDispute, responsible: dict[str, Any], duty: str,
                   at: datetime) -> list[Action]:
    """DSP-1: a dispute opens with its negotiation limit, charged to both parties (one
    deadline each; `responsible`, the party that raised it, comes first). A transfer refused
    on other grounds (REF-9, origin `transfer_refused_other`) is not negotiated: it goes to
    the district government's desk at once, with no negotiation clock."""
    if dispute.origin in REFERRED_AT_ONCE:
        return [dispute]
    parties = sorted(dispute.parties, key=lambda p: p.get("id") != responsible.get("id"))
    return [dispute, *(Open(negotiation_id(dispute.dispute_id, p["id"]), "DSP-1", duty, p, at)
                       for p in parties)]
