"""Sharing duties: information shared on the day it is formed (SHR-4), moved by a delay
declared with a reason; a publication after the due time is reported as a breach. A
department's request to a township for (3) or (4) is answered within the limit (SHR-2)."""

from escalation.service.duties.actions import Action, Close, Extend, Open, org
from liandong_contracts import sharing_v1 as shr
from liandong_contracts.envelope import Event


def duties(event: Event) -> list[Action]:
    match event:
        case shr.InfoSharingDelayed():
            return [_share(event), Extend(f"share:{event.info_id}", event.new_due_at)]
        case shr.InfoPublished():
            actions: list[Action] = [_share(event),
                                     Close(f"share:{event.info_id}", event.occurred_at)]
            if event.requested_by is not None:
                actions.append(Close(f"request:{event.info_id}", event.occurred_at))
            return actions
        case shr.InfoRequested():
            return [Open(f"request:{event.info_id}", "SHR-2",
                         f"答复 {event.actor.name} 的信息共享请求“{event.title}”",
                         org(event.township), event.occurred_at)]
    return []


def _share(event: shr.InfoPublished | shr.InfoSharingDelayed) -> Open:
    title = getattr(event, "title", event.category.value)
    return Open(f"share:{event.info_id}", "SHR-4", f"当日共享执法信息“{title}”",
                org(event.actor), event.formed_at)
