"""A duty's remaining time as a clerk reads it: working days and hours on the official
calendar (ESC-2), amber from the warning point on, red once overdue, grey while a dispute
pauses it (ESC-3)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from liandong_runtime.workdays import WorkingCalendar


@dataclass(frozen=True)
class Remaining:
    text: str
    level: str  # "ok" | "warn" | "overdue" | "paused"


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def span(hours: float) -> str:
    days, rest = divmod(int(hours), 24)
    if days:
        return f"{days} 个工作日 {rest} 小时"
    if hours >= 1:
        return f"{rest} 小时"
    return f"{max(1, int(hours * 60))} 分钟"


def remaining(deadline: dict[str, Any], calendar: WorkingCalendar, warn_fraction: float,
              now: datetime | None = None) -> Remaining:
    now = now or datetime.now(UTC)
    due = parse_time(deadline.get("due_at"))
    if deadline.get("state") == "paused":
        return Remaining("争议期间暂停", "paused")
    if due is None:
        return Remaining("—", "ok")
    if deadline.get("state") == "breached" or due <= now:
        return Remaining(f"已逾期 {span(calendar.working_hours_between(due, now))}", "overdue")
    left = calendar.working_hours_between(now, due)
    start = parse_time(deadline.get("started_at"))
    warned = bool(deadline.get("warned"))
    if start is not None and due > start:
        warned = warned or (now - start) >= (due - start) * warn_fraction
    return Remaining(f"剩余 {span(left)}", "warn" if warned else "ok")
