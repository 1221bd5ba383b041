"""Read side: the receiver's inbox and a case with its timeline."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from referral.domain.errors import CaseNotFound

PUBLIC = {"_id": 0, "case_id": "$_id", "status": 1, "crime": 1, "matter_code": 1,
          "finder_id": 1, "owner_id": 1, "locality_id": 1, "found_at": 1, "urgent": 1,
          "summary": 1, "historical": 1, "version": 1}


class CaseQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.cases = db.cases

    async def inbox(self, org_id: str) -> list[dict[str, Any]]:
        """Transfers waiting for the receiver to accept or refuse (REF-9)."""
        cursor = self.cases.find({"owner_id": org_id, "status": "transferred"}, PUBLIC)
        return await cursor.sort("found_at", ASCENDING).limit(500).to_list()

    async def case(self, case_id: str, org_id: str) -> dict[str, Any]:
        """A case with its timeline, for the bodies that take part in it."""
        doc = await self.cases.find_one({"_id": case_id}, {**PUBLIC, "timeline": 1,
                                                           "judicial_organ_id": 1})
        parties = {doc.get("finder_id"), doc.get("owner_id"), doc.get("judicial_organ_id")} \
            if doc else set()
        if doc is None or (org_id not in parties and not org_id.startswith("district-gov")):
            raise CaseNotFound(case_id)
        return doc
