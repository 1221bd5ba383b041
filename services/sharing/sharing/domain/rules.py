"""The rules shared information obeys, each a named predicate tagged with its rule ID."""

import re
from datetime import datetime

from liandong_contracts.orgs import OrgKind
from liandong_contracts.sharing_v1 import InfoCategory
from liandong_runtime.refdata.model import Organisation
from liandong_runtime.times import CLOCK_SKEW
from sharing.domain.errors import RuleViolation
from sharing.domain.info_parts import Audience, Heading

CATEGORIES = tuple(category.value for category in InfoCategory)
MOBILE_OR_ID_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


Publisher = str  # "department" | "township" | "district_government"
C = InfoCategory
PUBLISHERS: dict[InfoCategory, frozenset[Publisher]] = {
    C.LAW_CHANGES: frozenset({"department", "district_government"}),  # (1)
    C.DEPARTMENT_ENFORCEMENT: frozenset({"department"}),  # (2)
    C.TOWNSHIP_PENALTY_DECISIONS: frozenset({"township"}),  # (3)
    C.ENFORCEMENT_STATISTICS: frozenset({"township"}),  # (4)
    C.DISCRETION_STANDARDS: frozenset({"township"}),  # (5)
    C.DEPARTMENT_DYNAMIC_INFO: frozenset({"department"}),  # (6)
    C.COMPLAINT_HANDLING: frozenset({"department", "township", "district_government"}),  # (7)
    C.OTHER: frozenset({"department", "township", "district_government"}),  # (8)
}
ASKED_OF_TOWNSHIPS = (C.TOWNSHIP_PENALTY_DECISIONS, C.ENFORCEMENT_STATISTICS)  # (3), (4)
_NAMES = {"department": "departments", "township": "townships and street offices",
          "district_government": "the district government"}


def publisher_kind(org: Organisation) -> Publisher | None:
    kind = OrgKind(org.kind)
    if kind.is_township:
        return "township"
    if kind is OrgKind.DEPARTMENT:
        return "department"
    if kind is OrgKind.DISTRICT_GOVERNMENT:
        return "district_government"
    return None


def may_share(org: Organisation) -> None:
    """SHR-1: departments, townships and street offices (and, for its categories, the
    district government) share, each in its own name."""
    kind = OrgKind(org.kind)
    if kind.is_unit:
        raise RuleViolation("SHR-1", "acting_org",
                            f"{org.name} is an internal, affiliated or dispatched unit: share "
                            f"in the name of its department or township ({org.parent_id})")
    if publisher_kind(org) is None:
        raise RuleViolation("SHR-1", "acting_org", f"{org.name} is a {kind}: departments, "
                            "townships and street offices share enforcement information")


def publishes(org: Organisation, category: InfoCategory) -> None:
    """SHR-2: each category has its publishers; a body outside them is refused."""
    allowed = PUBLISHERS[category]
    if publisher_kind(org) not in allowed:
        who = " and ".join(_NAMES[k] for k in sorted(allowed))
        raise RuleViolation("SHR-2", "category",
                            f"{category.value} is published by {who}: not by {org.name}")


def may_request(requester: Organisation, township: Organisation,
                category: InfoCategory) -> None:
    """SHR-2 (3)/(4): a department asks a township for them."""
    if OrgKind(requester.kind) is not OrgKind.DEPARTMENT:
        raise RuleViolation("SHR-2", "acting_org", "a department asks a township for "
                            "penalty decisions (3) or statistics (4)")
    if category not in ASKED_OF_TOWNSHIPS:
        raise RuleViolation("SHR-2", "category", "a township is asked for "
                            f"{' or '.join(c.value for c in ASKED_OF_TOWNSHIPS)} only")
    if not OrgKind(township.kind).is_township:
        raise RuleViolation("SHR-2", "township", f"{township.name} is not a township or "
                            "street office")


def category_of(text: str, field: str = "category") -> InfoCategory:
    """SHR-2: one of the eight categories of the mechanism."""
    try:
        return InfoCategory(text)
    except ValueError:
        raise RuleViolation("SHR-2", field, f"unknown category {text!r}: one of "
                            f"{', '.join(CATEGORIES)}") from None


def audience_named(audience: Audience) -> None:
    """SHR-1: information is shared with someone: "all", or at least one organisation."""
    if audience != "all" and not audience:
        raise RuleViolation("SHR-1", "audience",
                            'name at least one organisation, or share with "all"')


def formed_by(formed_at: datetime, now: datetime) -> None:
    """SHR-4: information is shared once it is formed, so it cannot form in the future."""
    if formed_at > now + CLOCK_SKEW:
        raise RuleViolation("SHR-4", "formed_at", f"{formed_at.isoformat()} is in the future")


def delay_declared_in_time(now: datetime, due_at: datetime) -> None:
    """SHR-4/ESC-3: the limit is extended only by a reason stated before it passes."""
    if now >= due_at:
        raise RuleViolation("SHR-4", "formed_at",
                            f"the day's limit passed at {due_at.isoformat()}: a delay is "
                            "declared before it; publish the information now")


def new_due_after(new_due_at: datetime, due_at: datetime) -> None:
    """SHR-4: an extension moves the limit later, never earlier."""
    if new_due_at <= due_at:
        raise RuleViolation("SHR-4", "new_due_at",
                            "the new due time must be after the ordinary one, "
                            f"{due_at.isoformat()}")


def new_due_within(new_due_at: datetime, latest: datetime) -> None:
    """SHR-4: extended appropriately, by at most `SHR-4-MAX` beyond the ordinary due time."""
    if new_due_at > latest:
        raise RuleViolation("SHR-4", "new_due_at",
                            f"a delay reaches at most {latest.isoformat()} (SHR-4-MAX beyond "
                            "the ordinary due time)")


def reason_given(reason: str) -> None:
    """SHR-4: the extension states its reason."""
    if not reason.strip():
        raise RuleViolation("SHR-4", "reason", "a delay states why the information cannot "
                            "be shared on the day")


def same_category(asked: Heading, published: Heading) -> None:
    """SHR-2: a request is answered in the category it asked for."""
    if asked.category != published.category:
        raise RuleViolation("SHR-2", "category", f"the request asked for "
                            f"{asked.category.value}, not {published.category.value}")


def same_information(declared: Heading, published: Heading) -> None:
    """SHR-4: the delayed information is published under the category and time declared."""
    if declared.category != published.category:
        raise RuleViolation("SHR-4", "category", f"the delay was declared for category "
                            f"{declared.category.value}, not {published.category.value}")
    if declared.formed_at != published.formed_at:
        raise RuleViolation("SHR-4", "formed_at", "the delay was declared for information "
                            f"formed at {declared.formed_at.isoformat()}")


def no_contact_data(heading: Heading, *texts: str) -> None:
    """CMP-8: complaint-handling information never carries a phone or ID number."""
    if heading.category is not InfoCategory.COMPLAINT_HANDLING:
        return
    for field, text in (("title", heading.title), *(("summary", t) for t in texts)):
        if MOBILE_OR_ID_NUMBER.search(text):
            raise RuleViolation("CMP-8", field, "complaint-handling information carries no "
                                "phone or ID number of a complainant")
