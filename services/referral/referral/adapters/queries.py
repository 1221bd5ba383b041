"""Read side: the work lists (receiver's inbox, owner's notices, finder's returned
cases) and a case with its timeline."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from liandong_contracts.orgs import OrgKind
from liandong_runtime.refdata import Directory
from referral.domain.errors import CaseNotFound

PUBLIC = {"_id": 0, "case_id": "$_id", "status": 1, "crime": 1, "matter_code": 1,
          "finder_id": 1, "owner_id": 1, "locality_id": 1, "found_at": 1, "urgent": 1,
          "summary": 1, "historical": 1, "version": 1, "kind": 1, "attempt": 1, "ongoing": 1,
          "stop_ordered_at": 1, "recorded_at": 1, "complaint_id": 1}


class CaseQueries:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], directory: Directory) -> None:
        self.cases = db.cases
        self.directory = directory

    async def inbox(self, org_id: str) -> list[dict[str, Any]]:
        """Transfers waiting for the receiver to accept or refuse (REF-9)."""
        cursor = self.cases.find({"owner_id": org_id, "status": "transferred"}, PUBLIC)
        return await cursor.sort("found_at", ASCENDING).limit(500).to_list()

    async def ongoing(self, org_id: str) -> list[dict[str, Any]]:
        """REF-6: ongoing violations the owner was told of and has not yet acknowledged."""
        cursor = self.cases.find({"owner_id": org_id, "ongoing": "reported"}, PUBLIC)
        return await cursor.sort("stop_ordered_at", ASCENDING).limit(500).to_list()

    async def returned(self, org_id: str) -> list[dict[str, Any]]:
        """REF-9: transfers refused for incomplete material, back with the finder to resend."""
        cursor = self.cases.find({"finder_id": org_id, "status": "returned"}, PUBLIC)
        return await cursor.sort("found_at", ASCENDING).limit(500).to_list()

    async def case(self, case_id: str, org_id: str) -> dict[str, Any]:
        """A case with its timeline, for its parties and the district government."""
        doc = await self.cases.find_one({"_id": case_id}, {**PUBLIC, "timeline": 1,
                                                           "judicial_organ_id": 1})
        if doc is None or not self._may_see(doc, org_id):
            raise CaseNotFound(case_id)
        return doc

    def _may_see(self, doc: dict[str, Any], org_id: str) -> bool:
        parties = {doc.get("finder_id"), doc.get("owner_id"), doc.get("judicial_organ_id")}
        if org_id in parties:
            return True
        return org_id in self.directory and (
            self.directory.get(org_id).kind == OrgKind.DISTRICT_GOVERNMENT)
