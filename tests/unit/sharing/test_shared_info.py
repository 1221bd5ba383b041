"""SHR-1, SHR-2: who shares, in which categories, with whom; CMP-8 in category 7."""

import pytest

from liandong_contracts.sharing_v1 import InfoCategory
from sharing.domain import rules
from sharing.domain.errors import NotAllowed, RuleViolation
from sharing.domain.info import SharedInfo
from sharing.domain.info_parts import Content, Heading
from tests.unit.sharing.conftest import at

FORMED, NOW = at(2026, 3, 10, 9, 0), at(2026, 3, 10, 10, 0)


def share(org, category=InfoCategory.OTHER, audience=("town-hexi",), summary="简报"):
    return SharedInfo.share("inf-1", org, Heading(category, "简报", FORMED),
                            Content(audience, summary), due_at=at(2026, 3, 11), now=NOW)


@pytest.mark.rule("SHR-1")
@pytest.mark.parametrize("producer", ["dept-market", "town-hexi", "street-dongguan"])
def test_departments_townships_and_street_offices_share(org, producer: str) -> None:
    info = share(org(producer))
    assert info.status == "published" and info.producer.id == producer


@pytest.mark.rule("SHR-1")
@pytest.mark.parametrize(("producer", "hint"), [
    ("unit-market-hexi", "dept-market"), ("unit-urban-brigade", "dept-urban"),
    ("police-bureau", "public_security")])
def test_units_and_judicial_organs_do_not_publish(org, producer, hint) -> None:
    with pytest.raises(RuleViolation) as refused:
        share(org(producer))
    assert (refused.value.rule, refused.value.field) == ("SHR-1", "acting_org")
    assert hint in refused.value.message


@pytest.mark.rule("SHR-2")
@pytest.mark.parametrize("category", list(InfoCategory))
def test_each_of_the_eight_categories_is_accepted(org, category: InfoCategory) -> None:
    assert rules.category_of(category.value) is category
    publisher = "dept-market" if "department" in rules.PUBLISHERS[category] else "town-hexi"
    assert share(org(publisher), category).heading.category is category


@pytest.mark.rule("SHR-2")
def test_there_are_exactly_eight_categories() -> None:
    assert len(rules.CATEGORIES) == 8


@pytest.mark.rule("SHR-2")
def test_an_unknown_category_is_refused_naming_the_eight() -> None:
    with pytest.raises(RuleViolation) as refused:
        rules.category_of("gossip")
    assert (refused.value.rule, refused.value.field) == ("SHR-2", "category")
    assert "'gossip'" in refused.value.message and "complaint_handling" in refused.value.message


@pytest.mark.rule("SHR-1")
def test_information_is_shared_with_someone(org) -> None:
    with pytest.raises(RuleViolation) as refused:
        share(org("dept-market"), audience=())
    assert (refused.value.rule, refused.value.field) == ("SHR-1", "audience")


def test_the_same_information_is_not_published_twice(org) -> None:
    info = share(org("dept-market"))
    with pytest.raises(NotAllowed) as refused:
        info.publish(org("dept-market"), info.heading, Content("all", "再发"), NOW)
    assert refused.value.field == "status"


def test_only_the_producer_publishes_what_it_delayed(org) -> None:
    info = SharedInfo.declare_delay("inf-1", org("dept-market"), Heading(
        InfoCategory.OTHER, "简报", FORMED), "汇总中", at(2026, 3, 12),
        due_at=at(2026, 3, 11), latest=at(2026, 3, 18), now=NOW)
    with pytest.raises(NotAllowed) as refused:
        info.publish(org("dept-water"), info.heading, Content("all", "简报"), NOW)
    assert refused.value.field == "acting_org" and info.status == "delayed"


@pytest.mark.rule("CMP-8")
@pytest.mark.parametrize("text", ["投诉人电话13912345678", "身份证 11010519491231002X"])
def test_complaint_handling_information_carries_no_phone_or_id_number(org, text) -> None:
    with pytest.raises(RuleViolation) as refused:
        share(org("town-hexi"), InfoCategory.COMPLAINT_HANDLING, summary=text)
    assert (refused.value.rule, refused.value.field) == ("CMP-8", "summary")
    assert share(org("town-hexi"), InfoCategory.COMPLAINT_HANDLING, summary="已办结 3 件")


C = InfoCategory
DEPARTMENT, TOWNSHIP, STREET, GOVERNMENT = "dept-market", "town-hexi", "street-dongguan", \
    "district-gov"


@pytest.mark.rule("SHR-2")
@pytest.mark.parametrize(("category", "publishers"), [
    (C.LAW_CHANGES, {DEPARTMENT, GOVERNMENT}),
    (C.DEPARTMENT_ENFORCEMENT, {DEPARTMENT}),
    (C.TOWNSHIP_PENALTY_DECISIONS, {TOWNSHIP, STREET}),
    (C.ENFORCEMENT_STATISTICS, {TOWNSHIP, STREET}),
    (C.DISCRETION_STANDARDS, {TOWNSHIP, STREET}),
    (C.DEPARTMENT_DYNAMIC_INFO, {DEPARTMENT}),
    (C.COMPLAINT_HANDLING, {DEPARTMENT, TOWNSHIP, STREET, GOVERNMENT}),
    (C.OTHER, {DEPARTMENT, TOWNSHIP, STREET, GOVERNMENT}),
])
def test_each_category_has_its_publishers_and_refuses_the_others(
        org, category: InfoCategory, publishers: set[str]) -> None:
    """Reproduction: any body published any category."""
    for body in (DEPARTMENT, TOWNSHIP, STREET, GOVERNMENT):
        if body in publishers:
            assert share(org(body), category).producer.id == body
            continue
        with pytest.raises(RuleViolation) as refused:
            share(org(body), category)
        assert (refused.value.rule, refused.value.field) == ("SHR-2", "category")
        with pytest.raises(RuleViolation) as refused:  # nor declares a delay for it
            SharedInfo.declare_delay("inf-2", org(body), Heading(category, "简报", FORMED),
                                     "汇总中", at(2026, 3, 12), due_at=at(2026, 3, 11),
                                     latest=at(2026, 3, 18), now=NOW)
        assert (refused.value.rule, refused.value.field) == ("SHR-2", "category")
