"""Catalogue corrections by the district government (DSP-2), kept with their history (JUR-1):
each applies only to its places and from its day; earlier days keep their earlier owner."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liandong_contracts.escalation_v1 import DisputeDecided
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_runtime.corrections import (
    CorrectedOwners,
    Correction,
    corrected_owner,
    correction_of,
    from_doc,
    to_doc,
)
from liandong_runtime.refdata import ReferenceData

pytestmark = pytest.mark.unit

GOV = OrgRef(id="district-gov", kind=OrgKind.DISTRICT_GOVERNMENT, name="示例区人民政府")
HEXI = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")
WATER = OrgRef(id="dept-water", kind=OrgKind.DEPARTMENT, name="示例区水务局")
URBAN = OrgRef(id="dept-urban", kind=OrgKind.DEPARTMENT, name="示例区城市管理局")
DECIDED_AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai
TOWNSHIPS = ["town-hexi", "town-beishan", "town-liuzhuang", "street-dongguan"]


def decision(owner: OrgRef = HEXI, *, matter: str = "M-WAT-002", places: tuple[str, ...] = (),
             effective_from: date | None = None, at: datetime = DECIDED_AT,
             correction: bool = True) -> DisputeDecided:
    return DisputeDecided(
        occurred_at=at, actor=GOV, correlation_id="case-1", dispute_id=f"dsp-{uuid.uuid4().hex}",
        matter_code=matter, parties=(HEXI, WATER), subject_id="case-1", subject_kind="case",
        owner=owner, decision_ref="区政府管辖争议决定〔2026〕3号", catalogue_correction=correction,
        correction_places=places, correction_effective_from=effective_from)


class FakeCorrections:
    """The `catalogue_corrections` collection, as `record` writes and `corrections_of` reads."""

    def __init__(self, *events: DisputeDecided) -> None:
        self.docs = {str(e.event_id): to_doc(e) for e in events if e.catalogue_correction}

    def find(self, query: dict[str, Any]) -> "FakeCursor":
        wanted = query["$or"]
        return FakeCursor([doc for doc in self.docs.values()
                           if any(all(doc.get(k) == v for k, v in alt.items()) for alt in wanted)])


class FakeCursor:
    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.docs = docs

    async def to_list(self, length: int | None) -> list[dict[str, Any]]:
        return list(self.docs)


class FakeDb:
    def __init__(self, *events: DisputeDecided) -> None:
        self.catalogue_corrections = FakeCorrections(*events)


def owners(district: ReferenceData, *events: DisputeDecided) -> CorrectedOwners:
    return CorrectedOwners(FakeDb(*events), district)  # type: ignore[arg-type]


# The correction a decision makes


@pytest.mark.rule("DSP-2")
def test_a_correction_names_the_matter_its_places_and_its_day():
    c = correction_of(decision(places=("town-hexi", "street-dongguan", "town-hexi"),
                               effective_from=date(2026, 4, 1)))

    assert (c.matter_code, c.owner, c.places, c.effective_from) == (
        "M-WAT-002", "township", ("street-dongguan", "town-hexi"), date(2026, 4, 1))


@pytest.mark.rule("DSP-2")
def test_a_correction_without_a_day_applies_from_the_decision_day_in_shanghai():
    late_evening_utc = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)  # 01:00 on 11 March there

    assert correction_of(decision(at=late_evening_utc)).effective_from == date(2026, 3, 11)


@pytest.mark.rule("JUR-1")
def test_a_correction_dated_before_its_decision_applies_from_the_decision_day_only():
    """The desk refuses such a day; a service keeping the corrections holds to it anyway."""
    c = correction_of(decision(effective_from=date(2025, 1, 1)))

    assert c.effective_from == date(2026, 3, 10)


@pytest.mark.rule("DSP-2")
def test_a_correction_to_a_department_names_the_department():
    assert correction_of(decision(URBAN)).owner == "dept-urban"


def test_a_correction_survives_its_round_trip_through_the_database():
    event = decision(places=("town-hexi",), effective_from=date(2026, 4, 1))

    assert from_doc(to_doc(event)) == correction_of(event)


@pytest.mark.rule("JUR-1")
def test_a_correction_kept_before_places_and_days_existed_applies_from_its_decision_on():
    """Schema 1 kept one document per matter and applied it to every day: read now as
    covering every place from its decision's day, never the days before it."""
    legacy = {"_id": "M-URB-009", "owner": "township", "dispute_id": "dsp-old",
              "decision_ref": "x", "effective_at": DECIDED_AT}

    c = from_doc(legacy)

    assert (c.matter_code, c.places, c.effective_from) == ("M-URB-009", (), date(2026, 3, 10))
    assert not c.covers(date(2026, 3, 9), "town-hexi")
    assert c.covers(date(2026, 3, 10), "street-dongguan")


# Which correction covers a day and a place


def correction(owner: str, places: tuple[str, ...], effective_from: date,
               decided_at: datetime = DECIDED_AT, decision_id: str = "e") -> Correction:
    return Correction("M-WAT-002", owner, places, effective_from, decided_at, decision_id)


@pytest.mark.rule("DSP-2")
@pytest.mark.rule("JUR-1")
def test_a_correction_applies_only_on_and_after_its_day_and_only_in_its_places():
    hexi_from_april = correction("township", ("town-hexi",), date(2026, 4, 1))

    assert corrected_owner([hexi_from_april], date(2026, 3, 31), "town-hexi") is None
    assert corrected_owner([hexi_from_april], date(2026, 4, 1), "town-hexi") == "township"
    assert corrected_owner([hexi_from_april], date(2027, 1, 1), "town-hexi") == "township"
    assert corrected_owner([hexi_from_april], date(2027, 1, 1), "town-beishan") is None


@pytest.mark.rule("DSP-2")
def test_a_correction_naming_no_place_covers_every_township():
    everywhere = correction("dept-urban", (), date(2026, 4, 1))

    assert all(corrected_owner([everywhere], date(2026, 4, 1), t) == "dept-urban"
               for t in TOWNSHIPS)


@pytest.mark.rule("DSP-2")
def test_where_corrections_overlap_the_newest_decision_wins_whatever_their_order():
    older = correction("dept-urban", (), date(2026, 4, 1), DECIDED_AT, "e-1")
    newer = correction("township", ("town-hexi",), date(2026, 5, 1),
                       DECIDED_AT + timedelta(days=20), "e-2")

    for kept in ([older, newer], [newer, older]):
        assert corrected_owner(kept, date(2026, 4, 15), "town-hexi") == "dept-urban"
        assert corrected_owner(kept, date(2026, 5, 1), "town-hexi") == "township"
        assert corrected_owner(kept, date(2026, 5, 1), "town-beishan") == "dept-urban"


@pytest.mark.rule("JUR-1")
@given(
    kept=st.lists(st.builds(
        correction, owner=st.sampled_from(["township", "dept-urban", "dept-water"]),
        places=st.lists(st.sampled_from(TOWNSHIPS), max_size=2).map(tuple),
        effective_from=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
        decided_at=st.datetimes(datetime(2025, 1, 1), datetime(2026, 1, 1), timezones=st.just(UTC)),
        decision_id=st.uuids().map(str)), max_size=4),
    on=st.dates(date(2024, 6, 1), date(2028, 6, 1)),
    township=st.sampled_from(TOWNSHIPS),
    places=st.lists(st.sampled_from(TOWNSHIPS), max_size=2).map(tuple),
    effective_from=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
)
def test_a_later_correction_never_changes_the_owner_before_its_day_or_outside_its_places(
        kept, on, township, places, effective_from):
    later = correction("dept-health", places, effective_from, datetime(2026, 6, 1, tzinfo=UTC))
    before = corrected_owner(kept, on, township)
    after = corrected_owner([*kept, later], on, township)

    if on < effective_from or (places and township not in places):
        assert after == before
    else:
        assert after == "dept-health"


# The owner as of a day and a place, the catalogue and its corrections together


@pytest.mark.rule("DSP-2")
@pytest.mark.rule("JUR-1")
@pytest.mark.rule("JUR-2")
async def test_a_correction_for_one_township_from_a_day_leaves_earlier_days_and_others_alone(
        district: ReferenceData):
    """Before: a correction reassigned the matter for every place and every earlier date, so a
    finding dated before the decision was refused with JUR-2 (the finder 'owned' it)."""
    lookup = owners(district, decision(places=("town-hexi",), effective_from=date(2026, 3, 10)))

    assert (await lookup.owner_of("M-WAT-002", date(2026, 3, 9), "town-hexi")).id == "dept-water"
    assert (await lookup.owner_of("M-WAT-002", date(2026, 3, 10), "town-hexi")).id == "town-hexi"
    assert (await lookup.owner_of("M-WAT-002", date(2026, 3, 10),
                                  "town-beishan")).id == "dept-water"


@pytest.mark.rule("DSP-2")
async def test_a_decision_without_a_correction_leaves_the_catalogue_as_it_is(district):
    lookup = owners(district, decision(correction=False))

    assert (await lookup.owner_of("M-WAT-002", date(2027, 1, 1), "town-hexi")).id == "dept-water"


@pytest.mark.rule("JUR-1")
async def test_without_a_correction_covering_it_the_catalogue_decides_by_place(district):
    """The sample hands M-HSG-001 to the street offices; a correction of another matter, or
    of this one elsewhere, does not touch that."""
    lookup = owners(district, decision(URBAN, matter="M-HSG-001", places=("town-beishan",),
                                       effective_from=date(2026, 3, 10)))
    on = date(2026, 4, 1)

    assert (await lookup.owner_of("M-HSG-001", on, "street-dongguan")).id == "street-dongguan"
    assert (await lookup.owner_of("M-HSG-001", on, "town-liuzhuang")).id == "dept-housing"
    assert (await lookup.owner_of("M-HSG-001", on, "town-beishan")).id == "dept-urban"


@pytest.mark.rule("DSP-2")
async def test_the_newest_of_several_decisions_on_a_matter_decides_each_place_and_day(district):
    first = decision(URBAN, effective_from=date(2026, 3, 10))
    second = decision(places=("town-hexi",), effective_from=date(2026, 5, 1),
                      at=DECIDED_AT + timedelta(days=30))
    lookup = owners(district, second, first)

    assert (await lookup.owner_of("M-WAT-002", date(2026, 3, 9), "town-hexi")).id == "dept-water"
    assert (await lookup.owner_of("M-WAT-002", date(2026, 4, 1), "town-hexi")).id == "dept-urban"
    assert (await lookup.owner_of("M-WAT-002", date(2026, 5, 1), "town-hexi")).id == "town-hexi"
    assert (await lookup.owner_of("M-WAT-002", date(2026, 5, 1),
                                  "town-beishan")).id == "dept-urban"
