"""Every event model of every producer, found by subject or by CloudEvents type."""

from liandong_contracts import (
    assistance_v1,
    complaint_v1,
    escalation_v1,
    joint_v1,
    referral_v1,
    sharing_v1,
)
from liandong_contracts.envelope import Event

ALL_EVENTS: tuple[type[Event], ...] = (
    *referral_v1.EVENTS,
    *complaint_v1.EVENTS,
    *sharing_v1.EVENTS,
    *assistance_v1.EVENTS,
    *joint_v1.EVENTS,
    *escalation_v1.EVENTS,
)

BY_SUBJECT: dict[str, type[Event]] = {model.subject(): model for model in ALL_EVENTS}


def model_for(subject: str) -> type[Event]:
    """The model published on `subject`; KeyError names the unknown subject."""
    try:
        return BY_SUBJECT[subject]
    except KeyError:
        raise KeyError(f"no contract for subject {subject!r}") from None
