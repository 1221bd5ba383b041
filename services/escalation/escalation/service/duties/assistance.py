"""Assistance and joint-enforcement duties: the written answer (AST-1, moved by AST-3),
staff on site at once (AST-2), answering a whistle (JNT-6) or a hazard notice (JNT-4),
the minutes of a scheduled meeting (JNT-1) and each department's answer to a township's
supervision (JNT-5). Refusals the rules say are reported (AST-1, AST-4, JNT-4) are."""

from escalation.service.duties.actions import Action, Close, Extend, Open, Report, org
from liandong_contracts import assistance_v1 as ast
from liandong_contracts import joint_v1 as jnt
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgRef

K = ast.AssistanceKind
NOT_ON_SITE = (K.ARCHIVE_ACCESS, K.TRAINING)
REPORTED_REFUSALS = {K.IDENTIFICATION: "AST-1", K.TECHNICAL_SUPPORT: "AST-1",
                     K.ARCHIVE_ACCESS: "AST-4"}
"""Refusals that end the duty but are reported to the district government."""
CALL_RULES = {"whistle": ("JNT-6", "吹哨报到"), "hazard_notice": ("JNT-4", "派员处置")}


def duties(event: Event) -> list[Action]:
    match event:
        case ast.AssistanceRequested() | ast.AssistanceExtended() | ast.AssistanceAnswered():
            return _request(event)
        case ast.OnSiteDispatched(request_id=str() as rid):
            return [Close(f"dispatch:{rid}", event.dispatched_at)]
        case ast.OnSiteDispatched(call_id=str() as call_id):
            return [Close(f"call:{call_id}:{event.actor.id}", event.dispatched_at)]
        case jnt.JointEnforcementCalled() | jnt.JointEnforcementAnswered():
            return _call(event)
        case jnt.ConsultationMeetingScheduled() | jnt.ConsultationMeetingHeld():
            return _meeting(event)
        case jnt.SupervisionRecorded() | jnt.SupervisionAnswered():
            return _supervision(event)
    return []


def _request(event: Event) -> list[Action]:
    match event:
        case ast.AssistanceRequested(request_id=rid):
            receiver = org(event.receiver)
            actions: list[Action] = [Open(f"assistance:{rid}", "AST-1",
                                          f"书面答复执法协助请求 {rid}", receiver,
                                          event.occurred_at)]
            if (event.urgent or event.evidence_at_risk) and event.kind not in NOT_ON_SITE:
                actions.append(Open(f"dispatch:{rid}", "AST-2", f"就协助请求 {rid} 派员到场",
                                    receiver, event.occurred_at))
            return actions
        case ast.AssistanceExtended():
            return [Extend(f"assistance:{event.request_id}", event.new_due_at)]
        case ast.AssistanceAnswered(request_id=rid, answer="refused", kind=kind):
            # AST-2: a refusal does not end the on-site duty; only staff on site do
            done: list[Action] = [Close(f"assistance:{rid}", event.occurred_at)]
            if kind in REPORTED_REFUSALS:
                done.append(Report(f"refusal:assistance:{rid}", REPORTED_REFUSALS[kind],
                                   f"拒绝执法协助请求 {rid}（{kind}）", org(event.actor),
                                   event.reason, event.occurred_at))
            return done
        case ast.AssistanceAnswered(request_id=rid):
            return [Close(f"assistance:{rid}", event.occurred_at)]
    return []


def _call(event: Event) -> list[Action]:
    match event:
        case jnt.JointEnforcementCalled(kind=kind) if kind in CALL_RULES:
            rule, what = CALL_RULES[kind]
            return [Open(f"call:{event.call_id}:{called.id}", rule,
                         f"响应 {event.actor.name} 的{what}（{event.call_id}）", org(called),
                         event.occurred_at) for called in event.called]
        case jnt.JointEnforcementAnswered(call_kind="hazard_notice", answer="refused"):
            # JNT-4: a reason without action ends the duty, and is reported
            deadline = f"call:{event.call_id}:{event.actor.id}"
            return [Close(deadline, event.occurred_at),
                    Report(f"refusal:{deadline}", "JNT-4",
                           f"收到重大隐患通报（{event.call_id}）后未派员处置", org(event.actor),
                           event.reason, event.occurred_at)]
        case jnt.JointEnforcementAnswered(call_kind="whistle"):
            return [Close(f"call:{event.call_id}:{event.actor.id}", event.occurred_at)]
    # JNT-4: "reported" on a hazard notice is not action; an answer of unknown kind
    # (recorded before call_kind existed) never silently ends a duty either
    return []


def _meeting(event: Event) -> list[Action]:
    match event:
        case jnt.ConsultationMeetingScheduled(meeting_id=mid):
            return [Open(f"minutes:{mid}", "JNT-1", f"记录例会“{event.topic}”（{mid}）的会议纪要",
                         org(event.actor), event.scheduled_at)]
        case jnt.ConsultationMeetingHeld(schedule="scheduled", meeting_id=mid):
            return [Close(f"minutes:{mid}", event.occurred_at)]
    return []


def _supervision(event: Event) -> list[Action]:
    match event:
        case jnt.SupervisionRecorded(kind="supervision", supervision_id=str() as sid):
            return [action for dept in event.addressed for action in _supervised(event, sid, dept)]
        case jnt.SupervisionAnswered(supervision_id=sid):
            return [Close(f"supervision:{sid}:{event.actor.id}", event.occurred_at)]
    return []


def _supervised(event: jnt.SupervisionRecorded, sid: str, dept: OrgRef) -> list[Action]:
    """JNT-5: the department addressed answers by the default limit, or by the later
    date the township named."""
    deadline = f"supervision:{sid}:{dept.id}"
    opened: list[Action] = [Open(deadline, "JNT-5", f"答复 {event.actor.name} 的督办（{sid}）",
                                 org(dept), event.occurred_at)]
    return opened + ([Extend(deadline, event.due_at)] if event.due_at else [])
