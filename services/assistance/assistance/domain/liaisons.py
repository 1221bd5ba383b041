"""Joint-enforcement liaisons (JNT-2): townships and departments name theirs to each other;
no contact data is kept.

Until a body names one here, its liaison is the one in the district directory.
"""

from dataclasses import dataclass, field
from datetime import datetime

from assistance.domain import events as ev
from assistance.domain.errors import RuleViolation
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation


def names_liaisons(body: Organisation) -> bool:
    """JNT-2: both sides name liaisons: townships (street offices) and departments."""
    return body.kind.is_township or body.kind is OrgKind.DEPARTMENT


@dataclass
class Liaison:
    body: Organisation
    liaison_name: str
    role: str
    named_at: datetime
    events: list[ev.LiaisonNamed] = field(default_factory=list)

    @classmethod
    def name(cls, body: Organisation, liaison_name: str, role: str, now: datetime,
             current: "Liaison | None") -> "Liaison":
        """JNT-2: the body names its liaison; naming the same one again changes nothing."""
        if not names_liaisons(body):
            raise RuleViolation("JNT-2", "acting_org", f"{body.name} is a {body.kind}: each "
                                "township and each department names its liaison")
        liaison_name, role = liaison_name.strip(), role.strip()
        if not liaison_name or not role:
            raise RuleViolation("JNT-2", "liaison_name", "a liaison has a name and a role")
        if current and (current.liaison_name, current.role) == (liaison_name, role):
            return current
        liaison = cls(body, liaison_name, role, now)
        liaison.events.append(ev.LiaisonNamed(now, liaison_name, role))
        return liaison
