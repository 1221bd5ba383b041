"""Open311 GeoReport v2 views: the service list (the catalogue) and a request's status.

The public status of a request never shows the reporter's personal data (CMP-8).
"""

from datetime import date, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from complaint.domain.errors import ComplaintNotFound
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Matter
from liandong_runtime.times import SHANGHAI

NOTES = {"ComplaintReceived": "已登记", "ComplaintVerified": "已核查",
         "ComplaintForwarded": "已转交有管辖权的单位办理",
         "ComplaintForwardContested": "管辖争议协调中", "DisputeSettled": "管辖已明确，办理中",
         "DisputeDecided": "管辖已明确，办理中", "ComplainantAnswered": "已答复",
         "ComplaintFeedbackSent": "已反馈"}


def w3c(at: datetime) -> str:
    return at.astimezone(SHANGHAI).isoformat(timespec="seconds")


def service(matter: Matter, refdata: ReferenceData, today: date) -> dict[str, Any]:
    department = refdata.directory.get(matter.department_id).name
    keywords = [department, "乡镇街道综合执法" if matter.is_handed_over(today) else "区级部门执法"]
    return {"service_code": matter.code, "service_name": matter.name,
            "description": f"{matter.name}（依据：{matter.legal_basis}）", "metadata": False,
            "type": "realtime", "keywords": ",".join(keywords), "group": department}


class GeoReportViews:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], refdata: ReferenceData) -> None:
        self.complaints, self.refdata = db.complaints, refdata

    def services(self, today: date) -> list[dict[str, Any]]:
        return [service(matter, self.refdata, today) for matter in self.refdata.catalogue]

    async def request(self, request_id: str) -> dict[str, Any]:
        """A request filed through Open311, as GeoReport shows it; no personal data."""
        doc = await self.complaints.find_one({"_id": request_id, "origin": "open311"})
        if doc is None:
            raise ComplaintNotFound(request_id)
        code, last = doc["matter_code"], doc["timeline"][-1]
        closed = doc["status"] == "closed"
        return {"service_request_id": doc["_id"], "status": "closed" if closed else "open",
                "status_notes": "已办结" if closed else NOTES.get(last["event"], "办理中"),
                "service_code": code, "service_name": self.refdata.catalogue.matter(code).name,
                "description": doc["summary"], "requested_datetime": w3c(doc["received_at"]),
                "updated_datetime": w3c(last["at"]),
                "agency_responsible": self.refdata.directory.get(doc["handler_id"]).name}
