"""Plain values the aggregates are made from: documents, what is asked, who is called."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from liandong_contracts.assistance_v1 import AssistanceKind
from liandong_runtime.refdata.model import Matter, Organisation

Due = Callable[[str, datetime], datetime]
"""(rule ID, start) -> the due time, from the limits table shared with escalation."""


@dataclass(frozen=True)
class Document:
    """A written document held elsewhere, by URI (AST-1 "in writing")."""

    title: str
    uri: str
    sha256: str | None = None


@dataclass(frozen=True)
class Ask:
    """What a township asks for, in writing (AST-1 … AST-6)."""

    kind: AssistanceKind
    summary: str
    documents: tuple[Document, ...]
    case_id: str | None = None
    urgent: bool = False
    evidence_at_risk: bool = False


@dataclass(frozen=True)
class Summons:
    """Who a joint-enforcement call brings in, on what, and why (JNT-3, JNT-4, JNT-6)."""

    kind: str  # whistle | major_clue | hazard_notice | consultation
    called: tuple[Organisation, ...]
    reason: str
    matter: Matter | None = None
    case_id: str | None = None
