"""Domain events -> wire contracts, in the producer's name, one small function each."""

from uuid import NAMESPACE_URL, UUID, uuid5

from liandong_contracts import sharing_v1 as wire
from liandong_contracts.common import Attachment
from sharing.domain import events as ev
from sharing.domain.info import SharedInfo


def attachment(uri: str) -> Attachment:
    return Attachment(title=uri.rstrip("/").rsplit("/", 1)[-1] or uri, uri=uri)  # type: ignore[arg-type]


def event_id(info_id: str, event_type: str) -> UUID:
    """Each information id publishes each event type once, so its id is derived from both."""
    return uuid5(NAMESPACE_URL, f"liandong:sharing:{info_id}:{event_type}")


def published(e: ev.InfoPublished, info: SharedInfo) -> wire.InfoPublished:
    h, content = e.heading, e.content
    return wire.InfoPublished(
        event_id=event_id(info.id, "InfoPublished"), occurred_at=e.published_at,
        actor=info.producer.ref(), acting_person=e.person, correlation_id=info.id,
        causation_id=UUID(e.caused_by) if e.caused_by else None, info_id=info.id,
        category=h.category, title=h.title, matter_code=h.matter_code, formed_at=h.formed_at,
        audience=content.audience, attachments=tuple(map(attachment, content.attachments)),
        summary=content.summary,
        requested_by=e.requested_by.ref() if e.requested_by else None, caused_by_case=e.case_id)


def requested(e: ev.InfoRequested, info: SharedInfo) -> wire.InfoRequested:
    return wire.InfoRequested(
        event_id=event_id(info.id, "InfoRequested"), occurred_at=e.requested_at,
        actor=e.requester.ref(), acting_person=e.person, correlation_id=info.id,
        info_id=info.id, category=e.heading.category,  # type: ignore[arg-type]
        township=info.producer.ref(), title=e.heading.title, matter_code=e.heading.matter_code)


def delayed(e: ev.InfoSharingDelayed, info: SharedInfo) -> wire.InfoSharingDelayed:
    return wire.InfoSharingDelayed(
        event_id=event_id(info.id, "InfoSharingDelayed"), occurred_at=e.declared_at,
        actor=info.producer.ref(), acting_person=e.person, correlation_id=info.id,
        info_id=info.id, category=e.heading.category, formed_at=e.heading.formed_at,
        reason=e.reason, new_due_at=e.new_due_at)


def to_contract(event: ev.InfoEvent, info: SharedInfo) -> wire.SharingEvent:
    if isinstance(event, ev.InfoPublished):
        return published(event, info)
    if isinstance(event, ev.InfoRequested):
        return requested(event, info)
    return delayed(event, info)
