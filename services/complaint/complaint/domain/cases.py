"""The cases a complaint can name (CMP-4, JUR-3): what the complaint service knows of them.

The referral service records every case a body handles, its own (`CaseRegistered`) and
those it accepted on a transfer (`CaseTransferAccepted`); the complaint service keeps a
projection of both, so a complaint names only a case that exists and is its handler's.
"""

from dataclasses import dataclass

from complaint.domain.errors import RuleViolation
from liandong_runtime.refdata.model import Organisation


@dataclass(frozen=True)
class Case:
    case_id: str
    owner_id: str  # the body that registered or accepted it
    matter_code: str | None = None
    complaint_id: str | None = None  # the complaint it follows up, if registered for one


def own_case(actor: Organisation, case_id: str, case: Case | None) -> Case:
    """CMP-4/JUR-3: the case named exists and is the acting body's own."""
    if case is None:
        raise RuleViolation("CMP-4", "case_id",
                            f"no case {case_id!r} is registered: register (立案) the case "
                            "first, then name it here")
    if case.owner_id != actor.id:
        raise RuleViolation("CMP-4", "case_id",
                            f"case {case_id!r} is not a case of {actor.name}: a township "
                            "opens the case within its own jurisdiction")
    return case
