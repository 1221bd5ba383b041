"""The rules a case obeys, each a named predicate tagged with its rule ID."""

from datetime import date

from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata.model import Matter, Organisation
from referral.domain.errors import RuleViolation
from referral.domain.events import Materials


def finder_does_not_own(finder: Organisation, owner: Organisation) -> None:
    """JUR-2: a body acts only on matters it owns; its own matters are not transferred."""
    if finder.id == owner.id:
        raise RuleViolation(
            "JUR-2", "matter_code",
            f"{finder.name} owns this matter on the day of discovery: handle it, do not transfer",
        )


def acts_in_own_name(actor: Organisation, matter: Matter) -> None:
    """REF-8: no transfer in a unit's name unless the legal basis allows it."""
    if OrgKind(actor.kind).is_unit and not matter.unit_may_act_in_own_name:
        raise RuleViolation(
            "REF-8", "acting_org",
            f"{actor.name} is an internal, affiliated or dispatched unit: act in the name "
            f"of its department or township ({actor.parent_id})",
        )


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


def historical(matter: Matter, occurred_on: date, filed_on: date | None,
               closed_on: date | None) -> bool:
    """REF-1 … REF-3 for matters handed over to townships: True when agreement is needed."""
    handover = matter.handover_date
    if handover is None:
        return False
    if closed_on is not None and closed_on < handover:
        raise RuleViolation("REF-1", "closed_on", "closed before the hand-over: the "
                            "department that handled it archives it; it is not transferred")
    if filed_on is not None and filed_on < handover:
        raise RuleViolation("REF-2", "filed_on", "filed before the hand-over: the department "
                            "that filed it decides it and keeps the files")
    return occurred_on < handover


def reason_given(reason: str) -> None:
    """REF-9: a refusal states its reason."""
    if not reason.strip():
        raise RuleViolation("REF-9", "reason", "a refusal states its reason")


def no_fine_in_place_of_prosecution(crime: str, outcome: str) -> None:
    """CRM-2: no closing by administrative penalty alone while a crime is pending."""
    if outcome == "administrative_penalty" and crime in ("suspected", "transferred"):
        raise RuleViolation(
            "CRM-2", "outcome",
            "a crime is suspected and the judicial organ has not declined the case: "
            "it cannot be closed with an administrative penalty alone",
        )


def is_judicial_organ(org: Organisation) -> None:
    """CRM-1: to the public security organ or the procuratorate, never to a court."""
    if not org.kind.receives_crime_transfers:
        raise RuleViolation("CRM-1", "judicial_organ",
                            f"{org.name} is not a public security organ or a procuratorate")
