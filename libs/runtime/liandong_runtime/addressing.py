"""Addressed events: each event also goes to every organisation it concerns.

An event published on `liandong.<producer>.<event>.v<N>` is copied, by the producing
service's outbox relay and in the same publish, to

    liandong.to.<org_id>.<producer>.<event>.v<N>

for each organisation it concerns, into the one `LIANDONG_ADDRESSED` stream. The
addressee is the second token, right after `to`, so that one wildcard
(`liandong.to.<org_id>.>`) is everything an organisation may read, and one permission
per organisation, a whole token long, says so (NATS matches permissions by tokens). The
rest of the subject is the original one: an organisation filters by producer or event
as a service does.

Who an event concerns is read off the event's own fields, never looked up elsewhere:
its actor and every organisation it names (receiver, owner, finder, transferred_by,
parties, called bodies, responsible, participants, ...); the district government is the
actor of the escalation service's notices and decisions, so it receives those. The copy
is byte for byte the event as published (same CloudEvents headers, same body: no
personal data, CMP-8), with its own `Nats-Msg-Id` `<event_id>.<org_id>`, so a resend
is absorbed by the stream's duplicate window per addressee.
"""

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from liandong_contracts.envelope import SUBJECT_PREFIX, Event
from liandong_contracts.orgs import OrgRef

ADDRESSED_STREAM = "LIANDONG_ADDRESSED"
TO = "to"
ADDRESSED_SUBJECTS = f"{SUBJECT_PREFIX}.{TO}.>"
DEDUP_HEADER = "Nats-Msg-Id"


def addressed_subject(org_id: str, subject: str) -> str:
    """`liandong.referral.case_transferred.v1` to `org_id` ->
    `liandong.to.<org_id>.referral.case_transferred.v1`."""
    prefix, rest = subject.split(".", 1)
    if prefix != SUBJECT_PREFIX:
        raise ValueError(f"subject {subject!r} is not a liandong event's")
    return f"{SUBJECT_PREFIX}.{TO}.{org_id}.{rest}"


def org_subjects(org_id: str) -> str:
    """Everything addressed to `org_id`."""
    return f"{SUBJECT_PREFIX}.{TO}.{org_id}.>"


def original_subject(addressed: str) -> tuple[str, str]:
    """The addressee and the event's own subject of an addressed subject."""
    prefix, to, org_id, rest = addressed.split(".", 3)
    if prefix != SUBJECT_PREFIX or to != TO:
        raise ValueError(f"subject {addressed!r} is not an addressed one")
    return org_id, f"{SUBJECT_PREFIX}.{rest}"


def dedup_id(event_id: str, org_id: str) -> str:
    return f"{event_id}.{org_id}"


def named_orgs(value: Any) -> Iterator[OrgRef]:
    """Every organisation reference in a model, its nested models and tuples included."""
    if isinstance(value, OrgRef):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from named_orgs(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from named_orgs(item)


def _concerned(event: Event) -> list[str]:
    """The actor first, then every organisation the event names, each once."""
    return list(dict.fromkeys(org.id for org in named_orgs(event)))


def referral(event: Event) -> list[str]:
    """Finder (actor), owner, receiver, transferred_by, finder, township, department,
    judicial organ."""
    return _concerned(event)


def complaint(event: Event) -> list[str]:
    """Receiving body (actor), owner, locality, receiver, sender, department: bodies only;
    the complainant is never on the bus (CMP-8)."""
    return _concerned(event)


def sharing(event: Event) -> list[str]:
    """Publisher (actor), requester, the township asked."""
    return _concerned(event)


def assistance(event: Event) -> list[str]:
    """Requester (actor), receiver, called bodies, participants, supervised body."""
    return _concerned(event)


def escalation(event: Event) -> list[str]:
    """The body a duty falls to (`responsible`), the parties, the owner decided; the
    district government as the actor of every deadline notice (ESC-1) and decision (DSP-2).
    A dispute a party escalates names the government nowhere: it learns of it by the
    DisputeDecided it makes (and reads the escalation service's stream as a service)."""
    return _concerned(event)


BY_PRODUCER: dict[str, Callable[[Event], list[str]]] = {
    "referral": referral, "complaint": complaint, "sharing": sharing,
    "assistance": assistance, "escalation": escalation}


def addressees(event: Event) -> list[str]:
    """The ids of the organisations `event` concerns, the actor first, each once."""
    return BY_PRODUCER[event.producer](event)
