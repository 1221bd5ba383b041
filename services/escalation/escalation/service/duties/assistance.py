"""Assistance and joint-enforcement duties: the written answer (AST-1, moved by AST-3),
staff on site at once (AST-2), and answering a whistle (JNT-6) or a hazard notice (JNT-4)."""

from escalation.service.duties.actions import Action, Close, Extend, Open, org
from liandong_contracts import assistance_v1 as ast
from liandong_contracts import joint_v1 as jnt
from liandong_contracts.envelope import Event

NOT_ON_SITE = (ast.AssistanceKind.ARCHIVE_ACCESS, ast.AssistanceKind.TRAINING)
CALL_RULES = {"whistle": ("JNT-6", "吹哨报到"), "hazard_notice": ("JNT-4", "派员处置")}


def duties(event: Event) -> list[Action]:
    match event:
        case ast.AssistanceRequested():
            rid, receiver = event.request_id, org(event.receiver)
            actions: list[Action] = [Open(f"assistance:{rid}", "AST-1",
                                          f"书面答复执法协助请求 {rid}", receiver,
                                          event.occurred_at)]
            if (event.urgent or event.evidence_at_risk) and event.kind not in NOT_ON_SITE:
                actions.append(Open(f"dispatch:{rid}", "AST-2", f"就协助请求 {rid} 派员到场",
                                    receiver, event.occurred_at))
            return actions
        case ast.AssistanceExtended():
            return [Extend(f"assistance:{event.request_id}", event.new_due_at)]
        case ast.AssistanceAnswered(answer=answer):
            done = [Close(f"assistance:{event.request_id}", event.occurred_at)]
            if answer == "refused":
                done.append(Close(f"dispatch:{event.request_id}", event.occurred_at))
            return list(done)
        case ast.OnSiteDispatched(request_id=str() as rid):
            return [Close(f"dispatch:{rid}", event.dispatched_at)]
        case ast.OnSiteDispatched(call_id=str() as call_id):
            return [Close(f"call:{call_id}:{event.actor.id}", event.dispatched_at)]
        case jnt.JointEnforcementCalled(kind=kind) if kind in CALL_RULES:
            rule, what = CALL_RULES[kind]
            return [Open(f"call:{event.call_id}:{called.id}", rule,
                         f"响应 {event.actor.name} 的{what}（{event.call_id}）", org(called),
                         event.occurred_at) for called in event.called]
        case jnt.JointEnforcementAnswered():
            return [Close(f"call:{event.call_id}:{event.actor.id}", event.occurred_at)]
    return []
