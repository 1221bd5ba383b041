"""The dispute commands over NATS (`liandong.cmd.<org>.escalation.<command>`): each maps
the message onto the same desk call, checked by the same request model, as its HTTP route
(`liandong_runtime.bus_commands`); the desk itself says who may agree, escalate, decide."""

from typing import Any

from escalation.entrypoints import schemas as s
from escalation.service.desk import DisputeDesk
from liandong_runtime.acting import Acting
from liandong_runtime.bus_commands import CommandBus, CommandMessage
from liandong_runtime.runtime import Runtime

DISPUTE = "dispute"


def serve(rt: Runtime, desk: DisputeDesk) -> CommandBus:
    bus = CommandBus.of(rt)

    @bus.route("raise_dispute", status=201, input=s.DisputeIn)
    async def raise_dispute(acting: Acting, m: CommandMessage, body: s.DisputeIn) -> dict[str, Any]:
        return {"dispute_id": await desk.raise_direct(
            acting, body.other_party, body.matter_code, body.subject_id, body.reason,
            body.subject_kind)}

    @bus.route("agree", status=200, needs_id=DISPUTE, input=s.AgreementIn)
    async def agree(acting: Acting, m: CommandMessage, body: s.AgreementIn) -> dict[str, Any]:
        return {"state": await desk.agree(str(m.id), acting, body.owner)}

    @bus.route("escalate", status=200, needs_id=DISPUTE)
    async def escalate(acting: Acting, m: CommandMessage, _: None) -> dict[str, Any]:
        return {"state": await desk.escalate(str(m.id), acting)}

    @bus.route("decide", status=200, needs_id=DISPUTE, input=s.DecisionIn)
    async def decide(acting: Acting, m: CommandMessage, body: s.DecisionIn) -> dict[str, Any]:
        return {"state": await desk.decide(str(m.id), acting, body.owner, body.decision_ref,
                                           body.catalogue_correction, body.correction_places,
                                           body.correction_effective_from)}

    return bus
