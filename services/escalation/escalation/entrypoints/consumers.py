"""Subscriptions: every event that starts, stops or moves a duty reaches the engine."""

from faststream.nats import NatsBroker

from escalation.service.engine import DeadlineEngine
from liandong_contracts import assistance_v1 as ast
from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import joint_v1 as jnt
from liandong_contracts import referral_v1 as ref
from liandong_contracts import sharing_v1 as shr
from liandong_contracts.envelope import Event, snake
from liandong_runtime.consuming import subscriber
from liandong_runtime.settings import NatsSettings

WATCHED: tuple[type[Event], ...] = (
    ref.FindingRecorded,
    ref.CaseTransferred,
    ref.CaseTransferRefused,
    ref.CrimeSuspected,
    ref.CaseTransferredToJudiciary,
    ref.OngoingViolationReported,
    ref.OngoingViolationAcknowledged,
    ref.CaseTransferAccepted,
    ref.HistoricalDisputeRaised,
    cmp.ComplaintReceived,
    cmp.ComplaintVerified,
    cmp.ComplaintForwarded,
    cmp.ComplaintForwardContested,
    cmp.ComplainantAnswered,
    cmp.ComplaintFeedbackSent,
    cmp.ComplaintCaseNamed,
    shr.InfoSharingDelayed,
    shr.InfoPublished,
    shr.InfoRequested,
    ast.AssistanceRequested,
    ast.AssistanceExtended,
    ast.AssistanceAnswered,
    ast.OnSiteDispatched,
    jnt.JointEnforcementCalled,
    jnt.JointEnforcementAnswered,
    jnt.ConsultationMeetingScheduled,
    jnt.ConsultationMeetingHeld,
    jnt.SupervisionRecorded,
    jnt.SupervisionAnswered,
)


def subscribe(broker: NatsBroker, engine: DeadlineEngine, settings: NatsSettings) -> None:
    for model in WATCHED:
        consumer = f"escalation-{model.producer}-{snake(model.event_name())}".replace("_", "-")
        _register(broker, engine, settings, model, consumer)


def _register(broker: NatsBroker, engine: DeadlineEngine, settings: NatsSettings,
              model: type[Event], consumer: str) -> None:
    async def on_event(event: model) -> None:  # type: ignore[valid-type]
        await engine.handle(event, consumer)

    on_event.__name__ = f"on_{snake(model.event_name())}"
    subscriber(broker, model, consumer=consumer, settings=settings)(on_event)
