"""The district government's board aggregates: on-time rate per organisation and per rule,
and breaches per week, over the duties due in a chosen period (the console's 督办台).

A duty counts once its due time is in the period and it is settled: done in time (`done`),
done late or still undone past its due time (`breached`, or `open` with its due time gone).
Paused duties (ESC-3) and those not yet due do not count. The rate is on-time / counted.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query
from pymongo.asynchronous.database import AsyncDatabase

from liandong_runtime.auth import district_government_only

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_DAYS = 28
MAX_DAYS = 366
FIELDS = {"_id": 0, "rule": 1, "responsible": 1, "due_at": 1, "state": 1, "breached_at": 1}


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC)


def _invalid(field: str, detail: str) -> HTTPException:
    return HTTPException(status_code=422, detail=f"{field}: {detail}")


def _rate(on_time: int, counted: int) -> float | None:
    return round(on_time / counted, 4) if counted else None


def router(db: AsyncDatabase[dict[str, Any]]) -> APIRouter:
    api = APIRouter(prefix="/board", tags=["district government desk"],
                    dependencies=[Depends(district_government_only)])

    @api.get("/on-time")
    async def on_time(
        since: Annotated[date | None, Query(description=(
            f"first day (Asia/Shanghai); default {DEFAULT_DAYS} days before `until`"))] = None,
        until: Annotated[date | None, Query(
            description="last day, included; default today")] = None,
    ) -> dict[str, Any]:
        """On-time rate per organisation and per rule, and breaches per ISO week."""
        last = until or datetime.now(SHANGHAI).date()
        try:
            first = since or last - timedelta(days=DEFAULT_DAYS - 1)
            start, end = _start(first), _start(last + timedelta(days=1))
        except OverflowError:
            raise _invalid("until", "a day between the years 2 and 9998") from None
        if first > last or (last - first).days >= MAX_DAYS:
            raise _invalid("since", f"a period of 1 to {MAX_DAYS} days, since <= until")
        now = datetime.now(UTC)
        query = {"due_at": {"$gte": start, "$lt": min(end, now)},
                 "state": {"$in": ["done", "breached", "open"]}}
        per_org: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        names: dict[str, str] = {}
        weeks: dict[str, int] = defaultdict(int)
        async for d in db.deadlines.find(query, FIELDS):
            org = (d.get("responsible") or {}).get("id", "")
            names.setdefault(org, (d.get("responsible") or {}).get("name", org))
            in_time = int(d.get("state") == "done")
            for bucket in (per_org[org], per_rule[d.get("rule", "")]):
                bucket[0] += in_time
                bucket[1] += 1
            if not in_time:
                moment = d.get("breached_at") or d["due_at"]
                moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
                year, week, _ = moment.astimezone(SHANGHAI).isocalendar()
                weeks[f"{year}-W{week:02d}"] += 1
        return {
            "since": first.isoformat(), "until": last.isoformat(),
            "organisations": sorted(
                ({"id": o, "name": names[o], "on_time": v[0], "counted": v[1],
                  "rate": _rate(*v)} for o, v in per_org.items()),
                key=lambda r: (r["rate"], -r["counted"], r["id"])),
            "rules": sorted(({"rule": r, "on_time": v[0], "counted": v[1], "rate": _rate(*v)}
                             for r, v in per_rule.items()), key=lambda r: r["rule"]),
            "breaches_per_week": [{"week": w, "breaches": n} for w, n in sorted(weeks.items())],
        }

    return api
