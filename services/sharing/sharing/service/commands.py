"""What a body can ask the sharing service to do; imperative names, plain values."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from liandong_contracts.orgs import OrgRef
from liandong_runtime.acting import Acting
from sharing.domain.complaint_digest import ComplaintFacts


@dataclass(frozen=True)
class PublishInfo:
    acting: Acting
    category: str
    title: str
    formed_at: datetime
    audience: Literal["all"] | tuple[str, ...]
    summary: str
    matter_code: str | None = None
    attachments: tuple[str, ...] = ()
    info_id: str | None = None  # set to publish information whose delay was declared


@dataclass(frozen=True)
class DeclareDelay:
    acting: Acting
    category: str
    title: str
    formed_at: datetime
    reason: str
    new_due_at: datetime
    matter_code: str | None = None


@dataclass(frozen=True)
class ShareComplaintStep:
    """A complaint event, reduced to its structured facts (CMP-8) and its lineage."""

    event_id: str
    consumer: str
    handler: OrgRef
    facts: ComplaintFacts


@dataclass(frozen=True)
class RequestInfo:
    """SHR-2 (3)/(4): a department asks a township; the answer is due within `SHR-2`."""

    acting: Acting
    township: str
    category: str
    title: str
    matter_code: str | None = None


@dataclass(frozen=True)
class SharePenaltyDecision:
    """SHR-3: a township's case closed with an administrative penalty, consumed once."""

    event_id: str
    consumer: str
    closed_by: OrgRef
    case_id: str
    closed_on: date
    recorded_at: datetime


@dataclass(frozen=True)
class Subscribe:
    acting: Acting
    categories: tuple[str, ...] = ()
    producers: tuple[str, ...] = ()
    matter_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unsubscribe:
    acting: Acting
    subscription_id: str
