"""Complaint duties: registration (CMP-2), answer or forward (CMP-1/CMP-7), forwarding
without jurisdiction (CMP-5), feedback to the department that told the township (CMP-7),
and a contested forward (DSP-1)."""

from datetime import datetime

from escalation.service.duties.actions import Action, Close, Open, RaiseDispute, dispute_opened, org
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgRef


def duties(event: Event) -> list[Action]:
    match event:
        case cmp.ComplaintReceived():
            return [
                Open(f"register:{event.complaint_id}", "CMP-2",
                     f"登记投诉举报 {event.reference_no}", org(event.received_by),
                     event.received_at),
                Close(f"register:{event.complaint_id}", event.registered_at),
                _handle(event, event.received_by, event.received_at),
            ]
        case cmp.ComplaintVerified(outcome="no_jurisdiction"):
            return [Open(f"forward:{event.complaint_id}:{event.actor.id}", "CMP-5",
                         f"将投诉举报 {event.complaint_id} 及书面材料转交有管辖权的机关",
                         org(event.actor), event.occurred_at)]
        case cmp.ComplaintForwarded():
            sender, cid = event.actor.id, event.complaint_id
            actions: list[Action] = [
                Close(f"complaint:{cid}:{sender}", event.occurred_at),
                Close(f"forward:{cid}:{sender}", event.occurred_at),
                _handle(event, event.receiver, event.occurred_at),
            ]
            if event.investigation_requested:
                actions.append(Open(f"feedback:{cid}", "CMP-7",
                                    f"向 {event.actor.name} 反馈投诉举报 {cid} 的处理结果",
                                    org(event.receiver), event.occurred_at))
            return actions
        case cmp.ComplaintForwardContested():
            dispute = RaiseDispute(f"dsp-{event.complaint_id}", event.matter_code,
                                   (org(event.sender), org(event.actor)),
                                   "complaint_forward_contested", event.reason, event.complaint_id)
            return dispute_opened(dispute, org(event.sender),
                                  f"协商解决投诉举报 {event.complaint_id} 的管辖争议",
                                  event.occurred_at)
        case cmp.ComplainantAnswered():
            return [Close(f"complaint:{event.complaint_id}:{event.actor.id}", event.occurred_at)]
        case cmp.ComplaintFeedbackSent():
            return [Close(f"feedback:{event.complaint_id}", event.occurred_at)]
    return []


def _handle(event: cmp.ComplaintEvent, handler: OrgRef, at: datetime) -> Open:
    """CMP-1/CMP-7: the handler answers the complainant or forwards, within the limit."""
    return Open(f"complaint:{event.complaint_id}:{handler.id}", "CMP-7",
                f"答复投诉举报 {event.complaint_id} 的投诉人或依法转交", org(handler), at)
