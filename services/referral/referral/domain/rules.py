"""The rules a case obeys, each a named predicate tagged with its rule ID."""

from typing import TYPE_CHECKING, Protocol

from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Matter, Organisation
from referral.domain.errors import RuleViolation
from referral.domain.events import Materials

if TYPE_CHECKING:
    from referral.domain.case import Case


class OwnName(Protocol):
    """REF-8, decided in one place: the reference data (`ReferenceData.may_act_in_own_name`)."""

    def may_act_in_own_name(self, org_id: str, code: str) -> bool: ...


def finder_does_not_own(finder: Organisation, owner: Organisation) -> None:
    """JUR-2: a body acts only on matters it owns; its own matters are not transferred."""
    if finder.id == owner.id:
        raise RuleViolation(
            "JUR-2", "matter_code",
            f"{finder.name} owns this matter on the day of discovery: register it as its own "
            "case (POST /cases/own), do not transfer",
        )


def registers_own_matter(actor: Organisation, owner: Organisation) -> None:
    """JUR-3 (with JUR-2): a body registers only cases on matters it owns there and then."""
    if actor.id != owner.id:
        raise RuleViolation(
            "JUR-3", "matter_code",
            f"{owner.name} owns this matter on that date and place, not {actor.name}: "
            "record the finding and transfer it (REF-4)",
        )


def acts_in_own_name(names: OwnName, actor: Organisation, matter: Matter) -> None:
    """REF-8: never in the name of an internal, affiliated or dispatched unit, unless the
    matter's legal basis expressly allows it."""
    if not names.may_act_in_own_name(actor.id, matter.code):
        raise RuleViolation(
            "REF-8", "acting_org",
            f"{actor.name} is an internal, affiliated or dispatched unit: act in the name "
            f"of its department or township ({actor.parent_id})",
        )


def historical_moves_to_township(historical: bool, finder: Organisation,
                                 owner: Organisation) -> None:
    """REF-3: a pre-hand-over matter moves only from a department to a township."""
    if historical and not (finder.kind is OrgKind.DEPARTMENT and owner.kind.is_township):
        raise RuleViolation("REF-3", "occurred_on", "a pre-hand-over matter stays with the "
                            "department; only it may move it to the township, by agreement")


def locality_is_township(locality: Organisation) -> None:
    if not OrgKind(locality.kind).is_township:
        raise RuleViolation("JUR-1", "locality", f"{locality.name} is not a township or street")


def materials_complete(materials: Materials) -> None:
    """REF-7: letter, case-source material and preliminary evidence, all three."""
    for field, value in (
        ("materials.transfer_letter", materials.transfer_letter),
        ("materials.case_source", materials.case_source),
        ("materials.preliminary_evidence", materials.preliminary_evidence),
    ):
        if not value:
            raise RuleViolation("REF-7", field, "a transfer carries all three kinds of material")


def historical(handed_over_now: bool, occurred: bool, filed: bool | None,
               closed: bool | None) -> bool:
    """REF-1 … REF-3 for a matter handed over to the township by now: True for a
    pre-hand-over (historical) matter. Each flag says whether the matter was already handed
    over, in that place, on the day the violation occurred, was filed, was closed."""
    if not handed_over_now:
        return False
    if closed is False:
        raise RuleViolation("REF-1", "closed_on", "closed before the hand-over: the "
                            "department that handled it archives it; it is not transferred")
    if filed is False:
        raise RuleViolation("REF-2", "filed_on", "filed before the hand-over: the department "
                            "that filed it decides it and keeps the files")
    return not occurred


def reason_given(reason: str, rule: str = "REF-9") -> None:
    """REF-9: a refusal states its reason (REF-3: so does a dispute)."""
    if not reason.strip():
        raise RuleViolation(rule, "reason", "state the reason")


def after_refusal(grounds: str, historical: bool) -> tuple[str, str]:
    """REF-9, REF-3: the grounds recorded and where the case goes. No refusal is a dead end:
    incomplete material returns it to the finder; jurisdiction grounds open a dispute; any
    other refusal goes to the district government's desk; a refused historical matter stays
    with the department (no agreement)."""
    if historical:
        return "historical_no_agreement", "kept"
    if grounds == "materials":
        return grounds, "returned"
    if grounds in ("jurisdiction", "other"):
        return grounds, "refused"
    raise RuleViolation("REF-9", "grounds", "jurisdiction, materials or other")


def case_opened_or_reason(actor: Organisation, own_case: "Case | None", reason: str) -> None:
    """REF-6: the owner opens its own case (JUR-3) or says why not."""
    if own_case is None:
        if not reason.strip():
            raise RuleViolation("REF-6", "reason",
                                "open your case (case_id) or say why not (reason)")
        return
    if own_case.kind != "own" or own_case.owner.id != actor.id:
        raise RuleViolation("JUR-3", "case_id", f"{own_case.id} is not a case {actor.name} "
                            "registered itself")


def no_fine_in_place_of_prosecution(crime: str, outcome: str) -> None:
    """CRM-2: once a crime is suspected, no outcome closes the case until the judicial organ
    declines or returns it; once it accepts, the case closes only as handed to the
    judiciary."""
    if crime in ("suspected", "transferred"):
        raise RuleViolation(
            "CRM-2", "outcome",
            "a crime is suspected and the judicial organ has not declined or returned the "
            "case: it cannot be closed yet",
        )
    if (crime == "accepted") != (outcome == "judicial_accepted"):
        raise RuleViolation(
            "CRM-2", "outcome",
            "the judicial organ accepted the case: close it as handed to the judiciary"
            if crime == "accepted" else "no judicial organ accepted this case",
        )


def is_judicial_organ(org: Organisation) -> None:
    """CRM-1: to the public security organ or the procuratorate, never to a court."""
    if not org.kind.receives_crime_transfers:
        raise RuleViolation("CRM-1", "judicial_organ",
                            f"{org.name} is not a public security organ or a procuratorate")
