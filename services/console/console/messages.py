"""The console's one message catalogue: every rule of RULES.md, every field a refusal may
name, every kind of refusal and of work, in Chinese.

A refusal from a service (`{"rule", "field", "detail"}`) is shown next to the field it names
with the rule ID and the rule's Chinese text here; the service's own `detail` (English, for
the API's users) is kept beside it, smaller, for the record. `tests/unit/console` checks that
every rule ID of RULES.md and every refusal status has its text.
"""

from dataclasses import dataclass
from typing import Any

# One line per rule of RULES.md: what it asks, as a clerk reads it on a refusal.
RULES: dict[str, str] = {
    "JUR-1": "按执法事项清单确定管辖主体：事项以清单和划转日期、地点为准",
    "JUR-2": "各主体以自己名义行使行政处罚及相关检查、强制措施",
    "JUR-3": "本主体立案、决定、结案的案件，只能是其依清单管辖的事项",
    "REF-1": "划转前已结案的案件，仍由原部门负责",
    "REF-2": "划转前立案未结的案件，由原部门继续办结",
    "REF-3": "划转前的历史遗留事项移交乡镇须经双方协商一致",
    "REF-4": "发现不属本主体管辖的违法行为，应在3个工作日内移送有管辖权的主体",
    "REF-5": "紧急案件应在24小时内移送",
    "REF-6": "违法行为仍在继续的，应立即责令停止，并在规定时限内告知有管辖权的主体",
    "REF-7": "移送须附书面材料：移送函、案件来源材料、初步证据材料，缺一不可",
    "REF-8": "移送须以部门或乡镇（街道）名义作出，内设机构、派出机构不得以自己名义移送",
    "REF-9": "接收方应在3个工作日内接收或说明理由拒绝；材料不全退回补正，管辖异议转入争议协调",
    "CMP-1": "过渡期内实行首问负责制；过渡期结束后投诉直接转有管辖权的主体",
    "CMP-2": "投诉举报应在收到当日登记",
    "CMP-3": "乡镇核查后未发现违法的，直接答复投诉人",
    "CMP-4": "乡镇核查发现应予处罚的，应在3个工作日内立案，投诉须关联所立案件",
    "CMP-5": "乡镇无管辖权的，应准备书面材料转交有管辖权的主体",
    "CMP-6": "部门收到属于乡镇管辖的投诉，应登记并在1个工作日内告知乡镇",
    "CMP-7": "乡镇应将处理结果告知投诉人并反馈",
    "CMP-8": "投诉人的身份和联系方式属个人信息，仅办理主体可见",
    "SHR-1": "部门与乡镇共享执法及相关行政管理信息",
    "SHR-2": "各类信息由规定的主体发布；索取的信息应在3个工作日内答复",
    "SHR-3": "共享经统一的指挥和信息平台进行，处罚结案自动形成共享信息",
    "SHR-4": "信息应在形成当日共享；确需延迟的，当日说明理由并明确新的共享时间",
    "JNT-1": "定期召开联席会议，会议当日形成会议纪要",
    "JNT-2": "乡镇与部门互相明确联合执法联络人",
    "JNT-3": "重大案件线索可召集有关部门召开专题会议",
    "JNT-4": "发现重大治安隐患等属他方管辖的情形，应告知有管辖权的主体，对方派员或说明理由",
    "JNT-5": "乡镇统筹督办辖区内多部门事项，被督办部门应在期限内答复",
    "JNT-6": "吹哨报到：乡镇（街道）吹哨，被点名部门应按时报到",
    "AST-1": "乡镇需技术支持或认定、鉴定的，书面请求部门协助，部门应在5个工作日内答复或说明理由",
    "AST-2": "情况紧急或证据可能灭失的，部门应在2小时内派员到场",
    "AST-3": "需要延长答复期限的，应在期限届满前说明理由",
    "AST-4": "查阅、复制部门档案的请求应积极配合，不能提供的说明理由",
    "AST-5": "部门协助培训乡镇执法人员",
    "AST-6": "公安机关依法协助执法",
    "DSP-1": "管辖争议先由双方在5个工作日内协商解决",
    "DSP-2": "协商不成的，报区政府决定；决定可更正执法事项清单",
    "CRM-1": "涉嫌犯罪的案件，应在3个工作日内移送公安机关或人民检察院（不得移送法院）",
    "CRM-2": "不得以罚代刑：涉嫌犯罪后，在司法机关作出决定前不得以行政处理结案",
    "CRM-3": "司法机关的受理或不予受理决定应予记录",
    "ESC-1": "每项时限均受监督，逾期未办即报告区政府",
    "ESC-2": "时限按官方工作日历计算（节假日、调休）",
    "ESC-3": "办结即止；延期顺延；争议期间暂停，争议解决后由确定的主体继续",
    "ESC-4": "期限开始的当日（小时）不计入",
    "ESC-5": "申报的开始时间不得晚于当前时间",
}

# The fields a refusal may name (as the services name them), as a form labels them.
FIELDS: dict[str, str] = {
    "matter_code": "执法事项", "locality": "发生地", "found_at": "发现时间", "summary": "简要情况",
    "urgent": "紧急", "stop_ordered_at": "责令停止时间", "occurred_on": "发生日期",
    "materials": "移送材料", "materials.transfer_letter": "移送函",
    "materials.case_source": "案件来源材料", "materials.preliminary_evidence": "初步证据材料",
    "transfer_letter": "移送函", "case_source": "案件来源材料",
    "preliminary_evidence": "初步证据材料", "grounds": "拒绝理由类别", "reason": "理由",
    "case_id": "案件编号", "judicial_organ": "司法机关", "decision": "决定", "outcome": "结果",
    "status": "办理状态", "owner": "管辖主体", "decision_ref": "决定文号",
    "catalogue_correction": "更正清单", "correction_places": "更正适用地点",
    "correction_effective_from": "更正生效日期", "other_party": "争议对方",
    "subject_id": "争议对象", "subject_kind": "争议对象类别", "channel": "受理渠道",
    "received_at": "收到时间", "complainant": "投诉人", "result": "处理结果",
    "guidance": "指导意见", "findings": "核查情况", "category": "信息类别", "title": "标题",
    "formed_at": "形成时间", "audience": "共享范围", "new_due_at": "新的期限",
    "org": "组织", "body": "表单", "actor": "办理主体", "acting": "办理主体",
    "content-type": "表单格式", "person": "经办人", "kind": "类别", "receiver": "被请求单位",
    "documents": "书面材料", "evidence_at_risk": "证据可能灭失", "called": "被召集单位",
    "staff_count": "派出人数", "leader": "带队人", "answer": "答复",
}

# What a refusal that names no rule means, by HTTP status.
STATUS: dict[int, str] = {
    400: "请求有误",
    401: "登录已失效，请重新登录",
    403: "本单位无权进行此操作",
    404: "未找到，或本单位无权查看",
    409: "当前状态不允许此操作",
    413: "提交的内容过大",
    415: "表单格式有误",
    422: "填写内容有误",
    429: "操作过于频繁，请稍后再试",
    503: "服务暂不可用，请稍后再试",
}
CSRF_REFUSED = "表单已失效（缺少或错误的防伪令牌），请刷新页面后重新提交"
UNREACHABLE = "无法连接业务服务，请稍后再试"

# The duties of 我的待办, by the first part of their deadline id (escalation's ids).
KINDS: dict[str, str] = {
    "transfer": "待移送案件", "answer": "待接收的移送", "inform": "待告知的持续违法",
    "ongoing": "待确认的持续违法", "judiciary": "待移送司法机关",
    "register": "待登记投诉", "tell": "待告知乡镇的投诉", "forward": "待处理的转交投诉",
    "case": "待立案的投诉", "complaint": "待办理的投诉", "feedback": "待反馈的投诉",
    "request": "待答复的信息索取", "share": "待共享信息",
    "assistance": "待答复的协助请求", "dispatch": "待派员到场", "call": "待答复的召集",
    "minutes": "待记录会议纪要", "supervision": "待答复的督办", "dispute": "待协商的争议",
}

STATES: dict[str, str] = {
    "found": "已发现待移送", "recorded": "已登记", "kept": "原部门保留",
    "transferred": "已移送待接收", "accepted": "已接收", "registered": "已立案",
    "returned": "已退回补正", "refused": "已拒绝", "disputed": "争议中", "closed": "已结案",
    "open": "办理中", "paused": "暂停（争议中）", "breached": "已逾期", "done": "已办结",
    "negotiating": "协商中", "escalated": "已报区政府", "settled": "已协商一致",
    "decided": "区政府已决定", "own": "本单位立案",
}

# The steps of a timeline (the services' event types).
EVENTS: dict[str, str] = {
    "FindingRecorded": "记录发现", "OngoingViolationReported": "告知持续违法行为",
    "CaseTransferred": "移送", "CaseTransferAccepted": "接收移送",
    "CaseTransferRefused": "拒绝接收", "OngoingViolationAcknowledged": "确认持续违法告知",
    "HistoricalDisputeRaised": "提出历史遗留事项争议", "CaseRegistered": "立案",
    "CaseClosed": "结案", "CrimeSuspected": "认定涉嫌犯罪",
    "CaseTransferredToJudiciary": "移送司法机关", "JudiciaryDecisionRecorded": "记录司法机关决定",
    "CaseOwnershipSettled": "争议确定管辖", "ComplaintReceived": "受理登记",
    "ComplaintVerified": "核查", "ComplaintForwarded": "转交",
    "ComplaintForwardContested": "对转交提出异议",
    "ComplaintCaseNamed": "关联案件", "ComplainantAnswered": "答复投诉人",
    "ComplaintFeedbackSent": "反馈处理结果", "ComplaintGuidanceGiven": "业务指导",
}
GROUNDS: dict[str, str] = {"materials": "材料不全", "jurisdiction": "管辖异议",
                           "other": "其他理由"}


@dataclass(frozen=True)
class Refusal:
    """A service's refusal, for a person: where it goes on the form, and what it says."""

    status: int
    field: str | None
    rule: str | None
    text: str
    detail: str

    @property
    def field_label(self) -> str:
        return FIELDS.get(self.field or "", self.field or "")


def refusal(status: int, body: Any) -> Refusal:
    """The Chinese text of a refusal: the rule's when it names one, else the status's."""
    body = body if isinstance(body, dict) else {}
    rule = body.get("rule") if isinstance(body.get("rule"), str) else None
    field = body.get("field") if isinstance(body.get("field"), str) else None
    detail = body.get("detail")
    if isinstance(detail, list):  # FastAPI's validation errors, already shortened
        detail = "; ".join(str(e.get("msg", "")) for e in detail if isinstance(e, dict))
    text = RULES.get(rule, "") if rule else STATUS.get(status, STATUS[400])
    return Refusal(status, field, rule, text or STATUS.get(status, STATUS[400]),
                   str(detail or ""))


def rule_text(rule: str) -> str:
    """Also for a limit's own ID (REF-9-RESEND, REF-6-ACK): its rule's text."""
    if rule in RULES:
        return RULES[rule]
    base = "-".join(rule.split("-")[:2])
    return RULES.get(base, rule)
