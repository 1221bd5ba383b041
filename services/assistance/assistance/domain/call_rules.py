"""The rules a joint-enforcement call obeys, each a named predicate tagged with its rule ID."""

from datetime import date

from assistance.domain.errors import RuleViolation
from assistance.domain.values import Summons
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Matter, Organisation

RULE_OF_CALL = {"whistle": "JNT-6", "major_clue": "JNT-3", "hazard_notice": "JNT-4",
                "consultation": "JNT-1"}
DUE_RULE = {"whistle": "JNT-6", "hazard_notice": "JNT-4"}
"""The calls whose called bodies must act by a limit; the others only record answers."""


def caller_may_call(caller: Organisation, kind: str) -> None:
    """JNT-6: only a township blows the whistle; JNT-3/4: a township or a department calls."""
    if kind == "whistle" and not caller.kind.is_township:
        raise RuleViolation("JNT-6", "acting_org", f"{caller.name} is a {caller.kind}: only a "
                            "township or street office blows the whistle (吹哨)")
    if not (caller.kind.is_township or caller.kind is OrgKind.DEPARTMENT):
        raise RuleViolation(RULE_OF_CALL[kind], "acting_org", f"{caller.name} is a "
                            f"{caller.kind}: a township or a department makes a {kind} call")


def called_fit(caller: Organisation, summons: Summons) -> None:
    """Someone else is called, in its own name; a whistle names departments (JNT-6)."""
    rule = RULE_OF_CALL[summons.kind]
    if not summons.called:
        raise RuleViolation(rule, "called", "a call names at least one body")
    for body in summons.called:
        if body.id == caller.id:
            raise RuleViolation(rule, "called", f"{caller.name} cannot call itself")
        if body.kind.is_unit:
            raise RuleViolation(rule, "called", f"{body.name} is a {body.kind}: call the body "
                                f"in whose name it acts ({body.parent_id})")
        if summons.kind == "whistle" and body.kind is not OrgKind.DEPARTMENT:
            raise RuleViolation("JNT-6", "called",
                                f"a whistle names district departments, not {body.name}")


def owns(matter: Matter, body: Organisation, on: date) -> bool:
    """JUR-1: a township once the matter is handed over to it (the hand-over may differ per
    township); the catalogue's department where it is not handed over."""
    if body.kind.is_township:
        return matter.is_handed_over(on, body.id)
    return body.id == matter.department_id and not matter.is_handed_over(on)


def notifies_the_owner(summons: Summons, on: date) -> None:
    """JNT-4: a hazard notice goes to the one body with jurisdiction: the public security
    organ (a public-order hazard, 治安), or the body that owns the matter named."""
    if summons.kind != "hazard_notice":
        return
    if len(summons.called) != 1:
        raise RuleViolation("JNT-4", "called",
                            "a hazard notice goes to the one body that owns the violation")
    body, matter = summons.called[0], summons.matter
    if body.kind is OrgKind.PUBLIC_SECURITY:
        return
    if matter is None:
        raise RuleViolation("JNT-4", "matter_code",
                            "a hazard notice names the matter, so that its owner is known")
    if not owns(matter, body, on):
        owner = ("the township where it is" if matter.is_handed_over(on)
                 else matter.department_id)
        raise RuleViolation("JNT-4", "called", f"{body.name} does not own {matter.code} on "
                            f"{on.isoformat()}: {owner} does")


def refusal_has_reason(answer: str, reason: str) -> None:
    """JNT-4: a called body acts, or gives its reason."""
    if answer == "refused" and not reason.strip():
        raise RuleViolation("JNT-4", "reason", "a called body may not refuse without a reason")


def report_is_not_action(kind: str, answer: str) -> None:
    """JNT-4: a notified body sends staff or gives its reason; "reported" is not action."""
    if kind == "hazard_notice" and answer != "refused":
        raise RuleViolation("JNT-4", "answer", "a hazard notice is answered by sending staff "
                            "(POST /calls/{id}/dispatch) or by a refusal with its reason")


def leader_named(kind: str, leader: str | None) -> None:
    """JNT-4: staff sent on a hazard notice say who: the person who leads them."""
    if kind == "hazard_notice" and not (leader or "").strip():
        raise RuleViolation("JNT-4", "leader", "staff sent on a hazard notice name who leads "
                            "them (带队人员)")
