"""Complaint duties: registration (CMP-2), answer or forward (CMP-1/CMP-7), a case opened
after a penalty is found due (CMP-4), forwarding without jurisdiction counted from receipt
(CMP-5), a department telling the owning township (CMP-6), feedback to the department
that told the township (CMP-7), and a contested forward (DSP-1) that pauses the blocked
holder's duties while the dispute is open (ESC-3)."""

from datetime import datetime

from escalation.service.duties.actions import (
    Action,
    Close,
    Open,
    Pause,
    RaiseDispute,
    dispute_opened,
    org,
)
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgKind, OrgRef


def duties(event: Event) -> list[Action]:
    match event:
        case cmp.ComplaintReceived():
            actions: list[Action] = [
                Open(f"register:{event.complaint_id}", "CMP-2",
                     f"登记投诉举报 {event.reference_no}", org(event.received_by),
                     event.received_at),
                Close(f"register:{event.complaint_id}", event.registered_at),
                _handle(event, event.received_by, event.received_at),
            ]
            if _tells_township(event.received_by, event.owner):
                actions.append(_tell(event, event.received_by, event.received_at))
            return actions
        case cmp.ComplaintVerified(outcome="no_jurisdiction"):
            return [Open(f"forward:{event.complaint_id}:{event.actor.id}", "CMP-5",
                         f"将投诉举报 {event.complaint_id} 及书面材料转交有管辖权的机关",
                         org(event.actor), event.received_at or event.occurred_at)]
        case cmp.ComplaintVerified(outcome="penalty_due", case_id=None):
            return [Open(f"case:{event.complaint_id}", "CMP-4",
                         f"就投诉举报 {event.complaint_id} 依法立案并在投诉举报上注明案件",
                         org(event.actor), event.occurred_at)]
        case cmp.ComplaintCaseNamed():
            return [Close(f"case:{event.complaint_id}", event.occurred_at)]
        case cmp.ComplaintForwarded():
            return _forwarded(event)
        case cmp.ComplaintForwardContested():
            return _contested(event)
        case cmp.ComplainantAnswered():
            cid = event.complaint_id
            done: list[Action] = [Close(f"complaint:{cid}:{event.actor.id}", event.occurred_at)]
            if event.took_over_from is not None:  # ESC-3: the paused duty fell to the answerer
                done.append(Close(f"complaint:{cid}:{event.took_over_from.id}",
                                  event.occurred_at))
            if event.feedback_released:
                done.append(Close(f"feedback:{cid}", event.occurred_at))
            return done
        case cmp.ComplaintFeedbackSent():
            return [Close(f"feedback:{event.complaint_id}", event.occurred_at)]
    return []


def _forwarded(event: cmp.ComplaintForwarded) -> list[Action]:
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
        if event.received_at is not None:  # CMP-6: told within the limit of its receipt
            actions += [_tell(event, event.actor, event.received_at),
                        Close(f"tell:{cid}", event.occurred_at)]
    return actions


def _contested(event: cmp.ComplaintForwardContested) -> list[Action]:
    """DSP-1 opens the dispute; ESC-3: the receiver, blocked by it, is not counted late."""
    dispute_id, cid, at = f"dsp-{event.complaint_id}", event.complaint_id, event.occurred_at
    dispute = RaiseDispute(dispute_id, event.matter_code, (org(event.sender), org(event.actor)),
                           "complaint_forward_contested", event.reason, cid)
    actions = dispute_opened(dispute, org(event.sender),
                             f"协商解决投诉举报 {cid} 的管辖争议", at)
    actions.append(Pause(f"complaint:{cid}:{event.actor.id}", dispute_id, at))
    if _tells_township(event.sender, event.actor):  # CMP-6: the receiver owes feedback too
        actions.append(Pause(f"feedback:{cid}", dispute_id, at))
    return actions


def _tells_township(receiver: OrgRef, owner: OrgRef | None) -> bool:
    """CMP-6: a department holding a complaint a township owns."""
    return (owner is not None and receiver.kind is OrgKind.DEPARTMENT
            and owner.kind.is_township and owner.id != receiver.id)


def _tell(event: cmp.ComplaintEvent, department: OrgRef, received_at: datetime) -> Open:
    """CMP-6: the department tells the owning township to investigate, within the limit."""
    return Open(f"tell:{event.complaint_id}", "CMP-6",
                f"告知属地乡镇（街道）调查处理投诉举报 {event.complaint_id} 并转交书面材料",
                org(department), received_at)


def _handle(event: cmp.ComplaintEvent, handler: OrgRef, at: datetime) -> Open:
    """CMP-1/CMP-7: the handler answers the complainant or forwards, within the limit."""
    return Open(f"complaint:{event.complaint_id}:{handler.id}", "CMP-7",
                f"答复投诉举报 {event.complaint_id} 的投诉人或依法转交", org(handler), at)
