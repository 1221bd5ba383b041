"""Deadline outcomes as wire events, and the notice the district government reads."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from escalation.domain.deadline import Breached, Deadline, Warned
from liandong_contracts import escalation_v1 as wire
from liandong_contracts.orgs import OrgRef

SHANGHAI = ZoneInfo("Asia/Shanghai")


def how_late(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{minutes}分钟"]
    return "".join(parts) if seconds >= 60 else f"{seconds}秒"


def notice_text(d: Deadline, late_by_seconds: int) -> str:
    due = d.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if d.due_at else "?"
    return (f"{d.responsible.get('name', '?')}未在期限内完成“{d.duty}”（规则 {d.rule}，"
            f"期限 {due}），已逾期{how_late(late_by_seconds)}。")


def _common(d: Deadline, government: OrgRef, now: datetime) -> dict[str, Any]:
    assert d.started_at is not None and d.due_at is not None
    return {"occurred_at": now, "actor": government, "correlation_id": d.correlation_id,
            "deadline_id": d.id, "rule": d.rule, "duty": d.duty,
            "responsible": OrgRef.model_validate(d.responsible),
            "started_at": d.started_at, "due_at": d.due_at}


def outcome_events(event: Warned | Breached, government: OrgRef,
                   now: datetime | None = None) -> list[wire.DeadlineEvent]:
    now = now or datetime.now(UTC)
    common = _common(event.deadline, government, now)
    if isinstance(event, Warned):
        return [wire.DeadlineWarning(**common)]
    breached = wire.DeadlineBreached(**common, late_by_seconds=event.late_by_seconds)
    notified = wire.DistrictGovernmentNotified(
        **common, late_by_seconds=event.late_by_seconds, causation_id=breached.event_id,
        message=notice_text(event.deadline, event.late_by_seconds))
    return [breached, notified]


def notification_doc(n: wire.DistrictGovernmentNotified, webhook: bool) -> dict[str, Any]:
    doc = {"_id": str(n.event_id), **n.model_dump(mode="python", exclude={"event_id"}),
           "notified_at": n.occurred_at, "webhook_attempts": 0}
    if webhook:
        doc["webhook_next_at"] = n.occurred_at
    return doc


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 2 ** attempts))
