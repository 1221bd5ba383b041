"""How a complaint was accepted and handled (SHR-2 (7)), told from structured facts only.

CMP-8: the facts carry no free text of the complaint (its summary, findings, result or
reason), so neither can the title and summary built from them.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from liandong_runtime.times import SHANGHAI

Step = Literal["received", "forwarded", "verified", "answered", "feedback", "case_named"]
CHANNELS = {"phone": "电话", "visit": "来访", "letter": "来信", "online": "网上投诉举报",
            "hotline_12345": "12345政务服务便民热线"}
OUTCOMES = {"no_violation": "未发现违法行为", "penalty_due": "应予行政处罚",
            "no_jurisdiction": "不属本机关管辖"}
TITLES = {"received": "投诉举报受理", "forwarded": "投诉举报转送", "verified": "投诉举报核查",
          "answered": "投诉举报答复", "feedback": "投诉举报结果反馈",
          "case_named": "投诉举报立案"}


@dataclass(frozen=True)
class ComplaintFacts:
    """One step of a complaint's handling: who, when, on which matter, with which outcome."""

    step: Step
    complaint_id: str
    handler: str  # the name of the body that acted
    at: datetime
    reference_no: str | None = None
    channel: str | None = None
    received_at: datetime | None = None
    registered_at: datetime | None = None
    matter_code: str | None = None
    locality: str | None = None
    counterpart: str | None = None  # the receiver of a forward, the department fed back
    outcome: str | None = None
    case_id: str | None = None
    directed_to_receiver: bool = False
    investigation_requested: bool = False


def title(facts: ComplaintFacts) -> str:
    return f"{TITLES[facts.step]} {facts.reference_no or facts.complaint_id}"


def summary(f: ComplaintFacts) -> str:
    parts = [_step(f)]
    if f.matter_code:
        parts.append(f"事项 {f.matter_code}")
    if f.locality:
        parts.append(f"属地 {f.locality}")
    if f.case_id:
        parts.append(f"案件 {f.case_id}")
    return "；".join(parts) + "。"


def _step(f: ComplaintFacts) -> str:
    when = f"{f.handler}于{_day(f.at)}"
    match f.step:
        case "received":
            when = f"{f.handler}于{_day(f.received_at or f.at)}"
            return (f"{when}经{CHANNELS.get(f.channel or '', '其他渠道')}受理投诉举报 "
                    f"{f.complaint_id}（登记编号 {f.reference_no}），"
                    f"{_day(f.registered_at or f.at)}登记")
        case "forwarded":
            extra = "，已告知投诉举报人向其反映" if f.directed_to_receiver else ""
            extra += "，并请其调查核实" if f.investigation_requested else ""
            return f"{when}将投诉举报 {f.complaint_id} 转送{f.counterpart}{extra}"
        case "verified":
            return (f"{when}完成投诉举报 {f.complaint_id} 的初步核查："
                    f"{OUTCOMES.get(f.outcome or '', '已核查')}")
        case "answered":
            return f"{when}已将投诉举报 {f.complaint_id} 的处理结果告知投诉举报人"
        case "feedback":
            return f"{when}已将投诉举报 {f.complaint_id} 的处理结果反馈{f.counterpart}"
        case "case_named":
            return f"{when}就投诉举报 {f.complaint_id} 依法立案"


def _day(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
