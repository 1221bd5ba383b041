"""Notices to the district government in MongoDB: breaches (ESC-1) and reported refusals."""

from typing import Any

from liandong_runtime.storage import Tx


async def add(tx: Tx, doc: dict[str, Any]) -> None:
    await tx.db.notifications.insert_one(doc, session=tx.session)


async def has_report(tx: Tx, report_id: str) -> bool:
    """A refusal is reported once, whatever event reports it again."""
    found = await tx.db.notifications.find_one({"report_id": report_id}, {"_id": 1},
                                               session=tx.session)
    return found is not None
