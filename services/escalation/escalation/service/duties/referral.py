"""Referral duties: transfer (REF-4/REF-5), to the judiciary (CRM-1), disputes (REF-9)."""

from escalation.service.duties.actions import Action, Close, Open, RaiseDispute, dispute_opened, org
from liandong_contracts import referral_v1 as ref
from liandong_contracts.envelope import Event

DISPUTED = ("jurisdiction", "historical_no_agreement")


def duties(event: Event) -> list[Action]:
    match event:
        case ref.FindingRecorded(urgent=urgent):
            rule = "REF-5" if urgent else "REF-4"
            duty = f"移送案件 {event.case_id}（{event.matter_code}）至 {event.owner.name}"
            return [Open(f"transfer:{event.case_id}", rule, duty, org(event.actor),
                         event.found_at)]
        case ref.CaseTransferred():
            return [Close(f"transfer:{event.case_id}", event.occurred_at)]
        case ref.CrimeSuspected():
            duty = f"将涉嫌犯罪案件 {event.case_id} 移送司法机关"
            return [Open(f"judiciary:{event.case_id}", "CRM-1", duty, org(event.actor),
                         event.occurred_at)]
        case ref.CaseTransferredToJudiciary():
            return [Close(f"judiciary:{event.case_id}", event.occurred_at)]
        case ref.CaseTransferRefused(grounds=grounds) if grounds in DISPUTED:
            origin = "transfer_refused" if grounds == "jurisdiction" else "historical_matter"
            dispute = RaiseDispute(f"dsp-{event.case_id}", event.matter_code,
                                   (org(event.transferred_by), org(event.actor)), origin,
                                   event.reason, event.case_id)
            return dispute_opened(dispute, org(event.transferred_by),
                                  f"协商解决案件 {event.case_id} 的管辖争议", event.occurred_at)
    return []
