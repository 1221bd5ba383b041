"""The sample district, loaded once, for domain tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from liandong_runtime.refdata import ReferenceData
from referral.domain.case import Case, Finding
from referral.domain.events import Materials

SHANGHAI = ZoneInfo("Asia/Shanghai")
FOUND_AT = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)
MATERIALS = Materials("https://files.example/letter.pdf", ("https://files.example/record.pdf",),
                      ("https://files.example/photo.jpg",))


@pytest.fixture
def found_case(district: ReferenceData, org) -> Case:
    """Hexi township finds an unlicensed construction, owned by urban management."""
    matter = district.catalogue.matter("M-URB-009")
    finding = Finding(matter, org("town-hexi"), FOUND_AT, urgent=False, summary="无证建设")
    return Case.record("case-1", org("town-hexi"), org("dept-urban"), finding, district)
