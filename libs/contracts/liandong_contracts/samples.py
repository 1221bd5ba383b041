"""Builds one realistic sample of every event, for the initial `samples/` fixtures.

The committed samples are hand-reviewed; `export` writes a sample from here only when
its file is missing. Everything is fictional: the bodies and matters are those of the
sample district in `data/district/`, the cases are invented.
"""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

from liandong_contracts import assistance_v1 as ast
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import escalation_v1 as esc
from liandong_contracts import joint_v1 as jnt
from liandong_contracts import referral_v1 as ref
from liandong_contracts import sharing_v1 as shr
from liandong_contracts.common import Attachment, TransferMaterials
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgKind, OrgRef

CST = timezone(timedelta(hours=8))
HEXI = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")
DONGGUAN = OrgRef(id="street-dongguan", kind=OrgKind.STREET_OFFICE, name="东关街道办事处")
MARKET = OrgRef(id="dept-market", kind=OrgKind.DEPARTMENT, name="示例区市场监督管理局")
ECOLOGY = OrgRef(id="dept-ecology", kind=OrgKind.DEPARTMENT, name="示例市生态环境局示例分局")
EMERGENCY = OrgRef(id="dept-emergency", kind=OrgKind.DEPARTMENT, name="示例区应急管理局")
MARKET_HEXI = OrgRef(
    id="unit-market-hexi", kind=OrgKind.DISPATCHED_UNIT,
    name="示例区市场监督管理局河西市场监督管理所", parent_id="dept-market",
)
POLICE = OrgRef(id="police-bureau", kind=OrgKind.PUBLIC_SECURITY, name="示例市公安局示例分局")
DISTRICT = OrgRef(id="district-gov", kind=OrgKind.DISTRICT_GOVERNMENT, name="示例区人民政府")
EXPIRED_FOOD, KITCHEN_FUMES = "M-MKT-003", "M-ENV-003"  # never handed over; handed over
CASE, COMPLAINT, INFO, REQUEST, CALL = (
    "AJ-2026-0311", "TS-2026-00042", "XX-2026-0107", "XZ-2026-0015", "CS-2026-0008"
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in March 2026, Asia/Shanghai offset."""
    return datetime(2026, 3, day, hour, minute, tzinfo=CST)


def doc(title: str, path: str) -> Attachment:
    return Attachment(title=title, uri=f"https://files.example.gov.cn/{path}")


def event_id_of(model: type[Event]) -> UUID:
    """A fixed event id for the sample of `model`, derived from its subject."""
    return uuid5(NAMESPACE_URL, f"https://liandong.example/{model.subject()}")


E = TypeVar("E", bound=Event)


def make(model: type[E], actor: OrgRef, when: datetime, correlation: str, /, **fields: Any) -> E:
    return model(
        event_id=event_id_of(model), occurred_at=when, actor=actor, correlation_id=correlation,
        **fields,
    )


def referral() -> list[Event]:
    case = {"case_id": CASE}
    materials = TransferMaterials(
        transfer_letter=doc("涉嫌违法案件移送函", "case/AJ-2026-0311/letter.pdf"),
        case_source=(doc("现场检查笔录", "case/AJ-2026-0311/inspection.pdf"),),
        preliminary_evidence=(doc("现场照片", "case/AJ-2026-0311/photos.zip"),),
    )
    return [
        make(ref.FindingRecorded, HEXI, at(9, 10), CASE, **case, matter_code=EXPIRED_FOOD,
             locality=HEXI, owner=MARKET, found_at=at(9, 9, 30), ongoing=True,
             summary="河西镇集贸市场内一商户销售超过保质期的食品"),
        make(ref.OngoingViolationReported, HEXI, at(9, 10, 5), CASE, **case, owner=MARKET,
             stop_ordered_at=at(9, 9, 40),
             summary="已当场劝阻当事人停止销售，并告知区市场监督管理局"),
        make(ref.CaseTransferred, HEXI, at(10, 15), CASE, **case, matter_code=EXPIRED_FOOD,
             receiver=MARKET, materials=materials),
        make(ref.CaseTransferAccepted, MARKET, at(11, 9), CASE, **case, transferred_by=HEXI,
             causation_id=event_id_of(ref.CaseTransferred)),
        make(ref.CaseTransferRefused, MARKET, at(11, 9), CASE, **case, transferred_by=HEXI,
             grounds="jurisdiction", reason="认为涉案行为属已划转乡镇的事项，应由河西镇管辖",
             matter_code=EXPIRED_FOOD),
        make(ref.OngoingViolationAcknowledged, MARKET, at(9, 14), CASE, **case, finder=HEXI,
             own_case_id="AJ-2026-0313", reason=""),
        make(ref.HistoricalDisputeRaised, MARKET, at(11, 15), CASE, **case,
             matter_code=EXPIRED_FOOD, department=MARKET, township=HEXI,
             reason="划转前的历史遗留问题，双方未能协商一致"),
        make(ref.CaseRegistered, HEXI, at(12, 10), "AJ-2026-0312", case_id="AJ-2026-0312",
             matter_code=KITCHEN_FUMES, locality=HEXI, owner=HEXI, found_at=at(12, 9),
             summary="河西镇在日常巡查中发现并自行立案", complaint_id=None),
        make(ref.CaseClosed, MARKET, datetime(2026, 4, 20, 8, 0, tzinfo=UTC), CASE, **case,
             outcome="administrative_penalty", closed_on=datetime(2026, 4, 20).date()),
        make(ref.CrimeSuspected, MARKET, at(16, 11), CASE, **case,
             grounds="涉案金额超过刑事立案追诉标准"),
        make(ref.CaseTransferredToJudiciary, MARKET, at(18, 16), CASE, **case,
             judicial_organ=POLICE, materials=(doc("案件移送书", "case/AJ-2026-0311/crm.pdf"),)),
        make(ref.JudiciaryDecisionRecorded, MARKET, at(25, 10), CASE, **case,
             judicial_organ=POLICE, transferred_by=MARKET, decision="accepted"),
        make(ref.CaseOwnershipSettled, DISTRICT, at(24, 11, 5), CASE, **case,
             dispute_id="ZY-2026-0003", owner=MARKET, settled_by="district_government"),
    ]


def complaint() -> list[Event]:
    key = {"complaint_id": COMPLAINT}
    return [
        make(cmp.ComplaintReceived, ECOLOGY, at(9, 14, 20), COMPLAINT, **key,
             channel=cmp.ComplaintChannel.HOTLINE_12345, received_by=ECOLOGY,
             received_at=at(9, 14, 5), registered_at=at(9, 14, 20), reference_no="12345-0309-117",
             complainant_ref=UUID("6f1c2a7e-3b9d-4e51-9a0c-5d8e7f214b36"),
             matter_code=KITCHEN_FUMES,
             locality=HEXI, summary="反映河西镇某餐馆油烟直排，影响周边居民"),
        make(cmp.ComplaintVerified, HEXI, at(11, 16), COMPLAINT, **key, outcome="penalty_due",
             case_id="AJ-2026-0322", matter_code=KITCHEN_FUMES,
             findings="现场核实油烟净化设施未运行"),
        make(cmp.ComplaintForwarded, ECOLOGY, at(9, 15), COMPLAINT, **key, receiver=HEXI,
             matter_code=KITCHEN_FUMES, reason="餐饮油烟处罚事项已划转乡镇",
             complainant_directed_to_receiver=True, investigation_requested=True),
        make(cmp.ComplaintForwardContested, DONGGUAN, at(10, 9), "CP-2026-0310-004",
             complaint_id="CP-2026-0310-004", sender=MARKET, matter_code=KITCHEN_FUMES,
             reason="该餐馆位于河西镇辖区，不属本街道管辖"),
        make(cmp.ComplainantAnswered, HEXI, at(20, 10), COMPLAINT, **key,
             result="经查属实，已立案调查并责令整改", case_id="AJ-2026-0322"),
        make(cmp.ComplaintFeedbackSent, HEXI, at(20, 10, 30), COMPLAINT, **key,
             department=ECOLOGY, result="已立案调查，当事人已完成整改", case_id="AJ-2026-0322"),
        make(cmp.ComplaintCaseNamed, HEXI, at(12, 10), COMPLAINT, **key,
             case_id="AJ-2026-0322", matter_code=KITCHEN_FUMES, via="complaint"),
    ]


def sharing() -> list[Event]:
    key = {"info_id": INFO}
    return [
        make(shr.InfoPublished, HEXI, at(9, 17), INFO, **key,
             category=shr.InfoCategory.TOWNSHIP_PENALTY_DECISIONS,
             title="河西镇2026年3月行政处罚决定",
             formed_at=at(9, 16), audience=("dept-market", "dept-ecology"),
             attachments=(doc("处罚决定汇总表", "share/XX-2026-0107.xlsx"),),
             summary="本月作出行政处罚决定3件，均已执行完毕"),
        make(shr.InfoSharingDelayed, ECOLOGY, at(9, 18), INFO, **key,
             category=shr.InfoCategory.DEPARTMENT_DYNAMIC_INFO, formed_at=at(9, 15),
             reason="检查记录需汇总整理", new_due_at=at(11, 23, 59)),
        make(shr.InfoRequested, MARKET, at(16, 9), "XX-2026-0112", info_id="XX-2026-0112",
             category=shr.InfoCategory.TOWNSHIP_PENALTY_DECISIONS, township=HEXI,
             title="请提供河西镇2026年一季度食品经营类行政处罚决定及执行情况"),
    ]


def assistance() -> list[Event]:
    key = {"request_id": REQUEST}
    return [
        make(ast.AssistanceRequested, HEXI, at(12, 9), REQUEST, **key,
             kind=ast.AssistanceKind.IDENTIFICATION, receiver=ECOLOGY, case_id="AJ-2026-0322",
             evidence_at_risk=True, summary="请协助检测涉案餐馆油烟净化设施是否正常运行",
             documents=(doc("协助函", "assist/XZ-2026-0015/letter.pdf"),)),
        make(ast.AssistanceExtended, ECOLOGY, at(17, 10), REQUEST, **key,
             new_due_at=at(24, 23, 59), reason="需委托第三方检测机构出具检测报告"),
        make(ast.AssistanceAnswered, ECOLOGY, at(23, 15), REQUEST, **key,
             kind=ast.AssistanceKind.IDENTIFICATION, answer="answered",
             documents=(doc("认定意见书", "assist/XZ-2026-0015/opinion.pdf"),)),
        make(ast.OnSiteDispatched, ECOLOGY, at(12, 9, 40), REQUEST, **key,
             dispatched_at=at(12, 9, 35), staff_count=2, leader="周建国"),
    ]


def joint() -> list[Event]:
    key = {"call_id": CALL}
    return [
        make(jnt.JointEnforcementCalled, DONGGUAN, at(13, 8, 30), CALL, **key, kind="whistle",
             called=(EMERGENCY, MARKET),
             reason="东城街道某仓库违规存放液化气钢瓶，存在重大安全隐患"),
        make(jnt.JointEnforcementAnswered, EMERGENCY, at(13, 9), CALL, **key, answer="reported",
             call_kind="whistle", causation_id=event_id_of(jnt.JointEnforcementCalled)),
        make(jnt.ConsultationMeetingHeld, HEXI, at(27, 16), "HY-2026-03", meeting_id="HY-2026-03",
             schedule="scheduled", held_at=at(27, 14), topic="餐饮油烟与占道经营联合治理",
             participants=(HEXI, MARKET, ECOLOGY),
             minutes=doc("会议纪要", "meeting/HY-2026-03.pdf")),
        make(jnt.LiaisonPersonNamed, MARKET, at(2, 9), "LL-dept-market", liaison_name="陈晓燕",
             role="执法稽查科科长"),
        make(jnt.SupervisionRecorded, HEXI, at(30, 10), "DB-2026-0004", kind="recommendation",
             about=MARKET_HEXI, recommendation="reward",
             text="该所在联合整治中配合积极，建议予以表扬", supervision_id="DB-2026-0004"),
        make(jnt.ConsultationMeetingScheduled, HEXI, at(20, 9), "HY-2026-03",
             meeting_id="HY-2026-03", scheduled_at=at(27, 14), topic="餐饮油烟与占道经营联合治理",
             participants=(HEXI, MARKET, ECOLOGY)),
        make(jnt.SupervisionAnswered, MARKET, at(31, 16), "DB-2026-0005",
             supervision_id="DB-2026-0005", text="已对辖区集贸市场开展专项检查，整改完毕",
             documents=(doc("整改报告", "supervision/DB-2026-0005/report.pdf"),)),
    ]


def escalation() -> list[Event]:
    deadline = {"deadline_id": "DL-AJ-2026-0311-REF-4", "rule": "REF-4",
                "duty": "将案件移送有管辖权的部门", "responsible": HEXI,
                "started_at": at(9, 9, 30), "due_at": at(12, 23, 59),
                "recorded_at": at(9, 10, 2)}
    dispute = {"dispute_id": "ZY-2026-0003", "matter_code": EXPIRED_FOOD, "parties": (MARKET, HEXI),
               "subject_id": CASE, "subject_kind": "case"}
    late = datetime(2026, 3, 13, 2, 0, tzinfo=UTC)
    return [
        make(esc.DeadlineWarning, DISTRICT, at(12, 9), CASE, **deadline),
        make(esc.DeadlineBreached, DISTRICT, late, CASE, **deadline, late_by_seconds=7260),
        make(esc.DistrictGovernmentNotified, DISTRICT, late, CASE, **deadline,
             late_by_seconds=7260,
             message="河西镇未在3个工作日内移送案件AJ-2026-0311，已超期2小时1分钟"),
        make(esc.DisputeRaised, DISTRICT, at(11, 9, 5), CASE, **dispute,
             causation_id=event_id_of(ref.CaseTransferRefused),
             origin="transfer_refused",
             reason="示例区市场监督管理局以管辖为由拒收移送"),
        make(esc.DisputeSettled, DISTRICT, at(13, 17), CASE, **dispute, owner=MARKET),
        make(esc.DisputeEscalated, DISTRICT, at(19, 0, 1), CASE, **dispute,
             reason="negotiation_limit_passed"),
        make(esc.DisputeDecided, DISTRICT, at(24, 11), CASE, **dispute, owner=MARKET,
             decision_ref="区政府管辖争议决定〔2026〕3号"),
    ]


def samples() -> tuple[Event, ...]:
    """One sample of every event model, in registry order."""
    return (*referral(), *complaint(), *sharing(), *assistance(), *joint(), *escalation())


def sample_of(model: type[E]) -> E:
    """The sample of `model`."""
    return next(event for event in samples() if isinstance(event, model))
