"""Joint-enforcement liaisons (JNT-2): each department names one; no contact data is kept.

Until a department names one here, its liaison is the one in the district directory.
"""

from dataclasses import dataclass, field
from datetime import datetime

from assistance.domain import events as ev
from assistance.domain.errors import RuleViolation
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation


@dataclass
class Liaison:
    department: Organisation
    liaison_name: str
    role: str
    named_at: datetime
    events: list[ev.LiaisonNamed] = field(default_factory=list)

    @classmethod
    def name(cls, department: Organisation, liaison_name: str, role: str, now: datetime,
             current: "Liaison | None") -> "Liaison":
        """JNT-2: the department names its liaison; naming the same one again changes nothing."""
        if department.kind is not OrgKind.DEPARTMENT:
            raise RuleViolation("JNT-2", "acting_org", f"{department.name} is a "
                                f"{department.kind}: each department names its liaison")
        liaison_name, role = liaison_name.strip(), role.strip()
        if not liaison_name or not role:
            raise RuleViolation("JNT-2", "liaison_name", "a liaison has a name and a role")
        if current and (current.liaison_name, current.role) == (liaison_name, role):
            return current
        liaison = cls(department, liaison_name, role, now)
        liaison.events.append(ev.LiaisonNamed(now, liaison_name, role))
        return liaison
