"""Stored cases: a version 1 document (before own cases, attempts and notices) reads as the
case it was."""

from datetime import UTC, datetime

from referral.adapters.mongo import SCHEMA_VERSION, from_doc, to_doc
from tests.unit.referral.conftest import MATERIALS

V1 = {"_id": "case-old", "schema_version": 1, "finder_id": "town-hexi",
      "owner_id": "dept-urban", "matter_code": "M-URB-009", "locality_id": "town-hexi",
      "found_at": datetime(2026, 3, 10, 1, 30, tzinfo=UTC), "urgent": False,
      "summary": "无证建设", "historical": False, "status": "transferred", "crime": "none",
      "judicial_organ_id": None, "version": 3}


def test_a_version_1_transfer_reads_as_one_transfer_made(district, org) -> None:
    case = from_doc(dict(V1), district)
    assert (case.kind, case.attempt, case.ongoing) == ("transfer", 1, "none")
    assert case.finding.recorded_at is None and case.version == 3
    case.accept(org("dept-urban"))
    assert case.events[-1].attempt == 1


def test_a_case_round_trips_through_its_document(found_case, org, district) -> None:
    found_case.transfer(org("town-hexi"), MATERIALS, district)
    found_case.report_ongoing(org("town-hexi"), found_case.finding.found_at, "仍在施工")
    doc = {**to_doc(found_case), "version": 1}
    assert doc["schema_version"] == SCHEMA_VERSION == 2
    back = from_doc(doc, district)
    assert (back.status, back.attempt, back.ongoing, back.stop_ordered_at) == (
        "transferred", 1, "reported", found_case.finding.found_at)
