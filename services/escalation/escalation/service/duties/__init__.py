"""Which events start, stop or move which duty: the deadline engine's whole input.

No service calls escalation: it reads the events the others publish anyway. One module
per producer; each maps one event onto a list of actions.
"""

from escalation.service.duties import assistance, complaint, referral, sharing
from escalation.service.duties.actions import (
    Action,
    Close,
    Extend,
    Open,
    Pause,
    RaiseDispute,
    Report,
)
from liandong_contracts.envelope import Event

__all__ = ["Action", "Close", "Extend", "Open", "Pause", "RaiseDispute", "Report", "duties_for"]

_BY_PRODUCER = {"referral": referral.duties, "complaint": complaint.duties,
                "sharing": sharing.duties, "assistance": assistance.duties}


def duties_for(event: Event) -> list[Action]:
    mapper = _BY_PRODUCER.get(event.producer)
    return mapper(event) if mapper else []
