"""Complaint events -> the structured facts that may be shared (SHR-2 (7), CMP-8).

The privacy boundary: this is the only code that reads a complaint event, and it never
reads the free-text fields (summary, findings, result, reason) nor the materials.
"""

from liandong_contracts import complaint_v1 as cmp
from sharing.domain.complaint_digest import ComplaintFacts

FED: tuple[type[cmp.ComplaintEvent], ...] = (
    cmp.ComplaintReceived, cmp.ComplaintForwarded, cmp.ComplaintVerified,
    cmp.ComplainantAnswered, cmp.ComplaintFeedbackSent, cmp.ComplaintCaseNamed,
)


def facts_of(event: cmp.ComplaintEvent) -> ComplaintFacts:
    base = {"complaint_id": event.complaint_id, "handler": event.actor.name,
            "at": event.occurred_at}
    match event:
        case cmp.ComplaintReceived():
            return ComplaintFacts(
                "received", **base, reference_no=event.reference_no,
                channel=event.channel.value, received_at=event.received_at,
                registered_at=event.registered_at, matter_code=event.matter_code,
                locality=event.locality.name if event.locality else None)
        case cmp.ComplaintForwarded():
            return ComplaintFacts(
                "forwarded", **base, counterpart=event.receiver.name,
                matter_code=event.matter_code,
                directed_to_receiver=event.complainant_directed_to_receiver,
                investigation_requested=event.investigation_requested)
        case cmp.ComplaintVerified():
            return ComplaintFacts("verified", **base, outcome=event.outcome,
                                  case_id=event.case_id, matter_code=event.matter_code)
        case cmp.ComplainantAnswered():
            return ComplaintFacts("answered", **base, case_id=event.case_id)
        case cmp.ComplaintFeedbackSent():
            return ComplaintFacts("feedback", **base, counterpart=event.department.name,
                                  case_id=event.case_id)
        case cmp.ComplaintCaseNamed():  # CMP-4: the case opened for it
            return ComplaintFacts("case_named", **base, case_id=event.case_id,
                                  matter_code=event.matter_code)
    raise TypeError(f"{event.type} is not shared")
