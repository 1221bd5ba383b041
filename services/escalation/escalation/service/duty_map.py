"""Which events start, stop or move which duty: the deadline engine's whole input.

No service calls escalation: it reads the events the others publish anyway.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from liandong_contracts import referral_v1 as ref
from liandong_contracts.envelope import Event


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
class RaiseDispute:
    dispute_id: str
    matter_code: str
    parties: tuple[dict[str, Any], dict[str, Any]]
    origin: str
    reason: str


Action = Open | Close | RaiseDispute
DISPUTED = ("jurisdiction", "historical_no_agreement")


def duties_for(event: Event) -> list[Action]:
    match event:
        case ref.FindingRecorded(urgent=urgent):
            rule = "REF-5" if urgent else "REF-4"
            duty = f"移送案件 {event.case_id}（{event.matter_code}）至 {event.owner.name}"
            return [Open(f"transfer:{event.case_id}", rule, duty, _org(event.actor),
                         event.found_at)]
        case ref.CaseTransferred():
            return [Close(f"transfer:{event.case_id}", event.occurred_at)]
        case ref.CrimeSuspected():
            duty = f"将涉嫌犯罪案件 {event.case_id} 移送司法机关"
            return [Open(f"judiciary:{event.case_id}", "CRM-1", duty, _org(event.actor),
                         event.occurred_at)]
        case ref.CaseTransferredToJudiciary():
            return [Close(f"judiciary:{event.case_id}", event.occurred_at)]
        case ref.CaseTransferRefused(grounds=grounds) if grounds in DISPUTED:
            dispute_id = f"dsp-{event.case_id}"
            return [
                RaiseDispute(dispute_id, event.matter_code,
                             (_org(event.transferred_by), _org(event.actor)),
                             "historical_matter" if grounds != "jurisdiction"
                             else "transfer_refused", event.reason),
                Open(f"dispute:{dispute_id}", "DSP-1",
                     f"协商解决案件 {event.case_id} 的管辖争议", _org(event.transferred_by),
                     event.occurred_at),
            ]
    return []


def _org(org: Any) -> dict[str, Any]:
    return dict(org.model_dump(mode="json"))
