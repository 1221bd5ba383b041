"""The rules an assistance request obeys, each a named predicate tagged with its rule ID."""

from datetime import datetime

from assistance.domain.errors import RuleViolation
from assistance.domain.values import Ask, Document
from liandong_contracts.assistance_v1 import AssistanceKind as K
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.times import in_utc

RULE_OF_KIND: dict[K, str] = {
    K.TECHNICAL_SUPPORT: "AST-1", K.IDENTIFICATION: "AST-1", K.ON_SITE_DISPATCH: "AST-2",
    K.ARCHIVE_ACCESS: "AST-4", K.TRAINING: "AST-5", K.POLICE_ASSISTANCE: "AST-6",
}
NOT_ON_SITE = (K.ARCHIVE_ACCESS, K.TRAINING)
WRITTEN_ANSWER = (K.TECHNICAL_SUPPORT, K.IDENTIFICATION)


def is_police(org: Organisation) -> bool:
    """AST-6: the public-security organ (公安机关), a kind of body in the directory."""
    return org.kind is OrgKind.PUBLIC_SECURITY


def requester_is_township(requester: Organisation, kind: K) -> None:
    """AST-1 … AST-6: a township or street office asks for assistance."""
    if not requester.kind.is_township:
        raise RuleViolation(RULE_OF_KIND[kind], "acting_org",
                            f"{requester.name} is a {requester.kind}: only a township or "
                            "street office asks for enforcement assistance")


def receiver_fits_kind(receiver: Organisation, kind: K) -> None:
    """AST-6: the police for police assistance; AST-1/2/4/5: a department for the rest."""
    rule = RULE_OF_KIND[kind]
    if receiver.kind.is_unit:
        raise RuleViolation(rule, "receiver", f"{receiver.name} is a {receiver.kind}: ask the "
                            f"body in whose name it acts ({receiver.parent_id})")
    if kind is K.POLICE_ASSISTANCE and not is_police(receiver):
        raise RuleViolation(rule, "receiver",
                            f"police assistance is asked of the police, not of {receiver.name}")
    if kind is not K.POLICE_ASSISTANCE and receiver.kind is not OrgKind.DEPARTMENT:
        raise RuleViolation(rule, "receiver",
                            f"{kind} is asked of a district department, not of {receiver.name}")


def in_writing(kind: K, documents: tuple[Document, ...]) -> None:
    """AST-1: the request is made in writing: at least one document."""
    if not documents:
        raise RuleViolation(RULE_OF_KIND[kind], "documents",
                            "a request for assistance is made in writing: attach the request")


def wants_staff_on_site(ask: Ask) -> bool:
    """AST-2: urgent, or evidence may be lost: staff are due on site at once."""
    return (ask.urgent or ask.evidence_at_risk) and ask.kind not in NOT_ON_SITE


def extension_in_time(due_at: datetime, new_due_at: datetime, now: datetime) -> None:
    """AST-3: the receiver says so before the limit, and the new due date is later."""
    in_utc(new_due_at, "new_due_at")
    if now >= due_at:
        raise RuleViolation("AST-3", "new_due_at", f"the answer was due at {due_at.isoformat()}: "
                            "an extension is asked before the limit, not after it")
    if new_due_at <= due_at:
        raise RuleViolation("AST-3", "new_due_at", "an extension moves the due time later than "
                            f"{due_at.isoformat()}")


def reason_given(rule: str, reason: str, message: str) -> None:
    if not reason.strip():
        raise RuleViolation(rule, "reason", message)


def answer_in_writing(kind: K, answer: str, documents: tuple[Document, ...]) -> None:
    """AST-1: technical support and identification are answered in writing, with evidence."""
    if answer != "refused" and kind in WRITTEN_ANSWER and not documents:
        raise RuleViolation("AST-1", "documents", f"a {kind} request is answered in writing, "
                            "with its evidence: attach the written opinion")


def refusal_has_reason(kind: K, answer: str, reason: str) -> None:
    """AST-1: a department that cannot help says why in writing; AST-4: archive access
    is not refused without a stated reason. Every refusal gives its reason."""
    if answer == "refused":
        reason_given(RULE_OF_KIND[kind], reason, f"a {kind} request is not refused without a "
                     "reason, in writing: the refusal is reported to the district government")


def staff_sent(rule: str, staff_count: int) -> None:
    if staff_count < 1:
        raise RuleViolation(rule, "staff_count", "a dispatch sends at least one person")


def dispatch_fits(kind: K, requested_at: datetime, dispatched_at: datetime,
                  now: datetime) -> None:
    """AST-2: staff go on site for an on-site matter, after the request, not in the future."""
    if kind in NOT_ON_SITE:
        raise RuleViolation("AST-2", "kind", f"a {kind} request is not answered by staff on site")
    sent_in_time("AST-2", requested_at, dispatched_at, now)


def sent_in_time(rule: str, asked_at: datetime, dispatched_at: datetime,
                 now: datetime) -> None:
    """AST-2/JNT-4, ESC-5: a real time, after the ask, and not later than when it is recorded."""
    sent = in_utc(dispatched_at, "dispatched_at")
    if sent < asked_at or sent > now:
        raise RuleViolation(rule, "dispatched_at", "staff are dispatched after they were asked "
                            f"for and no later than the dispatch is recorded ({now.isoformat()})")
