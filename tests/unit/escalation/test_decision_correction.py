"""The decision event carries the catalogue correction's places and day (DSP-2, JUR-1)."""

from datetime import UTC, date, datetime

import pytest

from escalation.domain.dispute import Dispute
from escalation.service import dispute_wire
from escalation.service.dispute_wire import CorrectionScope
from liandong_contracts import escalation_v1 as wire
from liandong_contracts.orgs import OrgKind, OrgRef

TOWN = {"id": "town-hexi", "kind": "township", "name": "河西镇"}
DEPT = {"id": "dept-urban", "kind": "department", "name": "城管局"}
GOV = OrgRef(id="district-gov", kind=OrgKind.DISTRICT_GOVERNMENT, name="示例区人民政府")
AT = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)  # 01:00 on 11 March in Asia/Shanghai


def decided(catalogue_correction: bool, scope: CorrectionScope | None) -> wire.DisputeDecided:
    d = Dispute("dsp-case-1", "M-URB-009", (DEPT, TOWN), "transfer_refused", "case-1", "理由")
    d.escalate("negotiation_limit_passed")
    d.events.clear()
    d.decide(TOWN, "区政府决定〔2026〕1号", catalogue_correction)
    event = dispute_wire.outcome(d, d.events[0], GOV, AT, scope)
    assert isinstance(event, wire.DisputeDecided)
    return event


@pytest.mark.rule("DSP-2")
def test_a_correction_travels_with_its_places_and_its_day() -> None:
    event = decided(True, CorrectionScope(("town-hexi",), date(2026, 4, 1)))

    assert (event.correction_places, event.correction_effective_from) == (
        ("town-hexi",), date(2026, 4, 1))


@pytest.mark.rule("DSP-2")
def test_a_correction_without_a_day_applies_from_the_decision_day_in_shanghai() -> None:
    event = decided(True, None)

    assert (event.correction_places, event.correction_effective_from) == ((), date(2026, 3, 11))


@pytest.mark.rule("DSP-2")
def test_a_decision_without_a_correction_names_no_places_and_no_day() -> None:
    event = decided(False, CorrectionScope(("town-hexi",), date(2026, 4, 1)))

    assert (event.correction_places, event.correction_effective_from) == ((), None)
