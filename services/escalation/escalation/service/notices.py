"""Deadline outcomes as wire events, and the notice the district government reads."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from escalation.domain.deadline import Breached, Deadline, Warned
from escalation.service.duties.actions import Report
from liandong_contracts import escalation_v1 as wire
from liandong_contracts.orgs import OrgRef
from liandong_runtime.times import SHANGHAI


def how_late(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{minutes}分钟"]
    return "".join(parts) if seconds >= 60 else f"{seconds}秒"


def _local(moment: datetime | None) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else "?"


def notice_text(d: Deadline, late_by_seconds: int) -> str:
    """ESC-1 who, what, how late; ESC-5 the declared start and when it was recorded."""
    times = f"申报起算 {_local(d.started_at)}，系统登记 {_local(d.recorded_at or d.started_at)}"
    if d.counted_from == "recorded_at":
        times += "，按登记时间起算"
    return (f"{d.responsible.get('name', '?')}未在期限内完成“{d.duty}”（规则 {d.rule}，"
            f"期限 {_local(d.due_at)}；{times}），已逾期{how_late(late_by_seconds)}。")


def _common(d: Deadline, government: OrgRef, now: datetime) -> dict[str, Any]:
    if d.started_at is None or d.due_at is None:
        raise ValueError(f"deadline {d.id} has not started: nothing to notify")
    return {"occurred_at": now, "actor": government, "correlation_id": d.correlation_id,
            "deadline_id": d.id, "rule": d.rule, "duty": d.duty,
            "responsible": OrgRef.model_validate(d.responsible),
            "started_at": d.started_at, "due_at": d.due_at, "recorded_at": d.recorded_at,
            "counted_from": d.counted_from}


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


def refusal_notice(r: Report, government: OrgRef, now: datetime, *, at: datetime,
                   recorded_at: datetime, correlation_id: str,
                   event_id: UUID) -> wire.DistrictGovernmentNotified:
    """A refusal the rules say is reported to the district government: its own kind of
    notice (not a breach: nothing is late by it)."""
    responsible = OrgRef.model_validate(r.responsible)
    message = (f"{responsible.name}拒绝或未予办理“{r.what}”（规则 {r.rule}），"
               f"依规报告区人民政府。理由：{r.reason or '未说明'}")
    return wire.DistrictGovernmentNotified(
        event_id=event_id, occurred_at=now, actor=government, correlation_id=correlation_id,
        deadline_id=f"report:{r.report_id}"[:128], rule=r.rule, duty=r.what[:200],
        responsible=responsible, started_at=at, due_at=at, recorded_at=recorded_at,
        late_by_seconds=0, message=message, kind="refusal_reported", reason=r.reason[:2000],
        report_id=r.report_id)


def notification_doc(n: wire.DistrictGovernmentNotified, webhook: bool) -> dict[str, Any]:
    doc = {"_id": str(n.event_id), **n.model_dump(mode="python", exclude={"event_id"}),
           "notified_at": n.occurred_at, "webhook_attempts": 0}
    if webhook:
        doc["webhook_next_at"] = n.occurred_at
    return doc


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 2 ** attempts))
