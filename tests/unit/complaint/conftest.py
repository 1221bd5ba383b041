"""The sample district, loaded once, and a complaint as a body registers it."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from complaint.domain.complaint import Complaint, Intake
from complaint.domain.events import Material
from complaint.domain.personal import Complainant

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)
PERSON = Complainant(name="欧阳明月", phone="13912345678", id_number="11010519491231002X",
                     address="河西镇幸福路8号", email="mingyue@example.cn")
LETTER = Material("举报信", "https://files.example/letter.pdf")
RECORD = Material("核查记录", "https://files.example/record.pdf")


def received(org, receiver: str = "town-hexi", matter_code: str | None = "M-URB-001",
             locality: str | None = "town-hexi", materials=(LETTER,)) -> Complaint:
    intake = Intake("hotline_12345", NOW - timedelta(hours=1), NOW, "道路被占用摆摊", materials)
    return Complaint.receive("cmp-1", "TS-20260310-0001", org(receiver), uuid.uuid4(), intake,
                             PERSON, matter_code, org(locality) if locality else None)
