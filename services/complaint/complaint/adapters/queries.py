"""Read side: the handler's inbox, and a complaint with its timeline for its parties.

CMP-8: the complainant's record is shown only to the bodies that handle or handled the
complaint (the first receiver, every receiver of a forward, the current handler). The
township where the matter is and the district government see the complaint without it;
anyone else is told it does not exist.
"""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from complaint.domain.errors import ComplaintNotFound
from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata import Directory

PUBLIC = {"_id": 0, "complaint_id": "$_id", "reference_no": 1, "channel": 1, "status": 1,
          "matter_code": 1, "locality_id": 1, "received_by_id": 1, "received_at": 1,
          "registered_at": 1, "summary": 1, "materials": 1, "handler_id": 1,
          "forwarded_by_id": 1, "told_by_id": 1, "outcome": 1, "case_id": 1, "answered": 1,
          "feedback_sent": 1, "version": 1, "guidance": 1, "handler_received_at": 1}
COMPLAINANT = {"_id": 0, "name": 1, "phone": 1, "id_number": 1, "address": 1, "email": 1,
               "location": 1}


class ComplaintQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], directory: Directory) -> None:
        self.complaints, self.complainants = db.complaints, db.complainants
        self.directory = directory

    async def inbox(self, org_id: str) -> list[dict[str, Any]]:
        """The complaints the body handles now (CMP-1), oldest first."""
        query = {"handler_id": org_id, "status": {"$in": ["handling", "disputed"]}}
        cursor = self.complaints.find(query, PUBLIC)
        return await cursor.sort("registered_at", ASCENDING).limit(500).to_list()

    async def complaint(self, complaint_id: str, org_id: str) -> dict[str, Any]:
        fields = {**PUBLIC, "timeline": 1, "handled_by": 1, "complainant_ref": 1}
        doc = await self.complaints.find_one({"_id": complaint_id}, fields)
        if doc is None:
            raise ComplaintNotFound(complaint_id)
        handled_by, ref = doc.pop("handled_by"), doc.pop("complainant_ref")
        if org_id in handled_by:
            complainant = await self.complainants.find_one({"_id": ref}, COMPLAINANT)
            return {**doc, "complainant_ref": ref, "complainant": complainant}
        if org_id == doc["locality_id"] or self._is_government(org_id):
            return doc
        raise ComplaintNotFound(complaint_id)

    def _is_government(self, org_id: str) -> bool:
        return org_id in self.directory and (
            self.directory.get(org_id).kind == OrgKind.DISTRICT_GOVERNMENT)
