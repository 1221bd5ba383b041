"""The rules a complaint obeys, each a named predicate tagged with its rule ID."""

from datetime import datetime

from complaint.domain.errors import NotAllowed, RuleViolation
from complaint.domain.events import Material
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Organisation

CHANNELS = ("phone", "visit", "letter", "online", "hotline_12345")
OUTCOMES = ("no_violation", "penalty_due", "no_jurisdiction")


def may_receive(receiver: Organisation) -> None:
    """CMP-1: a township, street office or department receives complaints in its own name."""
    kind = OrgKind(receiver.kind)
    if kind.is_township or kind is OrgKind.DEPARTMENT:
        return
    hint = (f"register it in the name of {receiver.parent_id}" if kind.is_unit
            else "complaints are received by a township, street office or department")
    raise RuleViolation("CMP-1", "acting_org",
                        f"{receiver.name} ({kind.value}) cannot receive a complaint: {hint}")


def known_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise RuleViolation("CMP-2", "channel", f"channel is one of {', '.join(CHANNELS)}")


def received_before_registration(received_at: datetime, registered_at: datetime) -> None:
    """CMP-2: a complaint is registered when or after it is received, never before."""
    if received_at > registered_at:
        raise RuleViolation("CMP-2", "received_at", "received_at is in the future")


def locality_is_township(locality: Organisation) -> None:
    if not OrgKind(locality.kind).is_township:
        raise RuleViolation("JUR-1", "locality", f"{locality.name} is not a township or street")


def verifier_is_township(actor: Organisation) -> None:
    """CMP-3/4/5: the township verifies on site; a department forwards or answers."""
    if not OrgKind(actor.kind).is_township:
        raise NotAllowed("acting_org", "only a township or street office verifies a complaint; "
                         "a department forwards it (CMP-6) or answers it")


def case_only_if_penalty_due(outcome: str, case_id: str | None) -> None:
    """CMP-4: only a penalty due opens a case (now, or within the CMP-4 limit)."""
    if outcome not in OUTCOMES:
        raise RuleViolation("CMP-3", "outcome", f"outcome is one of {', '.join(OUTCOMES)}")
    if outcome != "penalty_due" and case_id:
        raise RuleViolation("CMP-4", "case_id", f"outcome {outcome} opens no case")


def outcome_fits_catalogue(actor: Organisation, outcome: str, owner: Organisation | None) -> None:
    """CMP-4: a case only within jurisdiction; CMP-5: no jurisdiction only if another owns it."""
    if owner is None:
        return
    if outcome == "penalty_due" and owner.id != actor.id:
        raise RuleViolation("CMP-4", "matter_code",
                            f"the catalogue names {owner.name} as the owner: a township opens "
                            "a case only within its jurisdiction; forward it (CMP-5)")
    if outcome == "no_jurisdiction" and owner.id == actor.id:
        raise RuleViolation("CMP-5", "outcome",
                            f"the catalogue names {actor.name} as the owner on this day")


def not_to_itself(sender: Organisation, owner: Organisation) -> None:
    """JUR-2: the owner handles its own matter; there is nobody to forward it to."""
    if sender.id == owner.id:
        raise RuleViolation("JUR-2", "matter_code",
                            f"the catalogue names {sender.name} as the owner: handle it, "
                            "do not forward it")


def township_writes_material(sender: Organisation, materials: tuple[Material, ...]) -> None:
    """CMP-5: a township without jurisdiction forwards written material to the owner."""
    if OrgKind(sender.kind).is_township and not materials:
        raise RuleViolation("CMP-5", "materials",
                            "a township forwards a complaint with written material")


def text_given(rule: str, field: str, text: str) -> None:
    if not text.strip():
        raise RuleViolation(rule, field, f"{field} is empty")


def handler_acts(actor: Organisation, handler: Organisation) -> None:
    """CMP-1: the body handling the complaint, and no other, acts on it."""
    if actor.id != handler.id:
        raise NotAllowed("acting_org", f"only the body handling the complaint may ({handler.name})")


def status_is(status: str, *allowed: str) -> None:
    if status not in allowed:
        raise NotAllowed("status", f"the complaint is {status}, not {' or '.join(allowed)}")


def verified_before_result(actor: Organisation, outcome: str | None) -> None:
    """CMP-3: a township tells a result once it verified; without jurisdiction it forwards."""
    if not OrgKind(actor.kind).is_township:
        return
    if outcome is None:
        raise NotAllowed("status", "verify the complaint first (CMP-3)")
    if outcome == "no_jurisdiction":
        raise NotAllowed("status", "verified without jurisdiction: forward it (CMP-5)")


def case_named_before_result(outcome: str | None, case_id: str | None) -> None:
    """CMP-4: a penalty is due, so the complaint names the case opened before its result."""
    if outcome == "penalty_due" and case_id is None:
        raise NotAllowed("status", "a penalty is due: open the case and name it on the "
                         "complaint (POST /complaints/{id}/case) before telling the result "
                         "(CMP-4)")
