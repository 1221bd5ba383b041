"""Shared information as a stored document, and back (schema version 1).

`visible_to` is what the read side filters on: `["*"]` for everyone, else the audience
and the producer. SHR-4's bookkeeping (`due_at`, `delay`, `late`) is kept beside it;
`parties` are the producer and, for a request (SHR-2), the department that asked;
`recorded_at` is when the platform first recorded it, beside the declared `formed_at`
(ESC-5).
"""

from typing import Any

from liandong_contracts.orgs import OrgKind
from liandong_contracts.sharing_v1 import InfoCategory
from liandong_runtime.refdata.model import Organisation
from sharing.domain.info import SharedInfo
from sharing.domain.info_parts import Content, Delay, Heading

SCHEMA_VERSION = 1


def to_doc(info: SharedInfo) -> dict[str, Any]:
    h, p, d = info.heading, info.producer, info.delay
    doc: dict[str, Any] = {
        "_id": info.id, "schema_version": SCHEMA_VERSION, "status": info.status,
        "producer": {"id": p.id, "kind": str(p.kind), "name": p.name, "parent_id": p.parent_id},
        "producer_id": p.id, "category": h.category.value, "title": h.title,
        "matter_code": h.matter_code, "formed_at": h.formed_at, "due_at": info.due_at,
        "delay": d and {"reason": d.reason, "new_due_at": d.new_due_at,
                        "declared_at": d.declared_at},
        "caused_by": info.caused_by, "recorded_at": info.recorded_at, "case_id": info.case_id,
        "requested_by": _org(info.requested_by),
        "parties": [p.id, *([info.requested_by.id] if info.requested_by else [])],
    }
    if (c := info.content) is not None:
        everyone = c.audience == "all"
        doc |= {"audience": "all" if everyone else list(c.audience),
                "visible_to": ["*"] if everyone else [*c.audience, p.id],
                "summary": c.summary, "attachments": list(c.attachments),
                "published_at": info.published_at, "late": info.late}
    return doc


def _org(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"id": org.id, "kind": str(org.kind), "name": org.name, "parent_id": org.parent_id}


def _organisation(doc: dict[str, Any] | None) -> Organisation | None:
    if doc is None:
        return None
    return Organisation(doc["id"], OrgKind(doc["kind"]), doc["name"], doc.get("parent_id"))


def from_doc(doc: dict[str, Any]) -> SharedInfo:
    p, d = doc["producer"], doc.get("delay")
    producer = Organisation(p["id"], OrgKind(p["kind"]), p["name"], p.get("parent_id"))
    heading = Heading(InfoCategory(doc["category"]), doc["title"], doc["formed_at"],
                      doc.get("matter_code"))
    content = None
    if doc.get("published_at") is not None:
        audience = doc["audience"] if doc["audience"] == "all" else tuple(doc["audience"])
        content = Content(audience, doc["summary"], tuple(doc["attachments"]))
    delay = d and Delay(d["reason"], d["new_due_at"], d["declared_at"])
    return SharedInfo(doc["_id"], producer, heading, doc["due_at"], delay, content,
                      doc.get("published_at"), doc.get("caused_by"),
                      _organisation(doc.get("requested_by")), doc.get("recorded_at"),
                      doc.get("case_id"), doc["version"])
