"""Referral duties: transfer (REF-4/REF-5), the receiver's answer and a resend after a refusal
for material (REF-9), the ongoing-violation notice and its acknowledgement (REF-6), to the
judiciary (CRM-1), and the disputes a refusal opens (REF-9, REF-3, DSP-1)."""

from escalation.service.duties.actions import Action, Close, Open, RaiseDispute, dispute_opened, org
from liandong_contracts import referral_v1 as ref
from liandong_contracts.envelope import Event


def duties(event: Event) -> list[Action]:
    match event:
        case ref.FindingRecorded(urgent=urgent):
            rule = "REF-5" if urgent else "REF-4"
            duty = f"移送案件 {event.case_id}（{event.matter_code}）至 {event.owner.name}"
            return [Open(f"transfer:{event.case_id}", rule, duty, org(event.actor),
                         event.found_at)]
        case ref.OngoingViolationReported():
            return _informed(event)
        case ref.OngoingViolationAcknowledged():
            return [Close(f"ongoing:{event.case_id}", event.occurred_at)]
        case ref.CaseTransferred():
            return _transferred(event)
        case ref.CaseTransferAccepted():
            return [Close(f"answer:{event.case_id}:{event.attempt}", event.occurred_at)]
        case ref.CaseTransferRefused():
            return [Close(f"answer:{event.case_id}:{event.attempt}", event.occurred_at),
                    *_after_refusal(event)]
        case ref.HistoricalDisputeRaised():
            dispute = RaiseDispute(f"dsp-{event.case_id}", event.matter_code,
                                   (org(event.department), org(event.township)),
                                   "historical_matter", event.reason, event.case_id)
            return dispute_opened(dispute, org(event.department),
                                  f"协商解决历史遗留案件 {event.case_id} 的管辖争议",
                                  event.occurred_at)
        case ref.CrimeSuspected():
            duty = f"将涉嫌犯罪案件 {event.case_id} 移送公安机关或人民检察院"
            return [Open(_judiciary_id(event.case_id, event.attempt), "CRM-1", duty,
                         org(event.actor), event.occurred_at)]
        case ref.CaseTransferredToJudiciary():
            return [Close(_judiciary_id(event.case_id, event.attempt), event.occurred_at)]
    return []


def _informed(event: ref.OngoingViolationReported) -> list[Action]:
    """REF-6: the finder informs the owner within its limit of the stop order (declared, so
    informing late is a breach); the owner then acknowledges within its own limit."""
    cid = event.case_id
    return [Open(f"inform:{cid}", "REF-6", f"将正在进行的违法行为（案件 {cid}）告知 "
                 f"{event.owner.name}", org(event.actor), event.stop_ordered_at),
            Close(f"inform:{cid}", event.occurred_at),
            Open(f"ongoing:{cid}", "REF-6-ACK", f"确认 {event.actor.name} 告知的正在进行的违法"
                 f"行为（案件 {cid}），立案查处或说明理由", org(event.owner), event.occurred_at)]


def _transferred(event: ref.CaseTransferred) -> list[Action]:
    """REF-4/5 (or a resend, REF-9) done; the receiver's answer is due (REF-9)."""
    cid, attempt = event.case_id, event.attempt
    done = Close(_transfer_id(cid, attempt - 1), event.occurred_at)
    return [done, Open(f"answer:{cid}:{attempt}", "REF-9",
                       f"接收或拒绝（说明理由）{event.actor.name} 移送的案件 {cid}",
                       org(event.receiver), event.occurred_at)]


def _after_refusal(event: ref.CaseTransferRefused) -> list[Action]:
    """REF-9: no refusal is a dead end. REF-3: a refused historical matter stays with the
    department; a dispute opens only when a party raises one (HistoricalDisputeRaised)."""
    cid, finder, receiver = event.case_id, org(event.transferred_by), org(event.actor)
    match event.grounds:
        case "materials":
            return [Open(_transfer_id(cid, event.attempt), "REF-9-RESEND",
                         f"补全材料后重新移送案件 {cid}", finder, event.occurred_at)]
        case "jurisdiction":
            dispute = RaiseDispute(f"dsp-{cid}", event.matter_code, (finder, receiver),
                                   "transfer_refused", event.reason, cid)
            return dispute_opened(dispute, finder, f"协商解决案件 {cid} 的管辖争议",
                                  event.occurred_at)
        case "other":
            return [RaiseDispute(f"dsp-{cid}", event.matter_code, (finder, receiver),
                                 "transfer_refused_other", event.reason, cid)]
    return []


def _transfer_id(case_id: str, refusals: int) -> str:
    """The transfer the finder owes: the first (REF-4/REF-5), or the one again after its
    n-th refusal for incomplete material (REF-9-RESEND)."""
    return f"transfer:{case_id}:{refusals}" if refusals else f"transfer:{case_id}"


def _judiciary_id(case_id: str, suspicion: int) -> str:
    """CRM-1: the transfer to the judiciary owed for the n-th suspicion (again after the
    judicial organ declined and returned the case)."""
    return f"judiciary:{case_id}:{suspicion}" if suspicion > 1 else f"judiciary:{case_id}"
