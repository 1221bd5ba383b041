"""Subscriptions: a dispute's outcome names who handles the contested complaint (DSP-1/2)."""

from faststream.nats import NatsBroker

from complaint.service.commands import ResolveDispute
from complaint.service.handlers import ComplaintService
from liandong_contracts import escalation_v1 as esc
from liandong_contracts.envelope import snake
from liandong_runtime.consuming import subscriber
from liandong_runtime.settings import NatsSettings

OUTCOMES: tuple[type[esc.DisputeSettled | esc.DisputeDecided], ...] = (
    esc.DisputeSettled, esc.DisputeDecided)


def subscribe(broker: NatsBroker, service: ComplaintService, settings: NatsSettings) -> None:
    for model in OUTCOMES:
        consumer = f"complaint-{model.producer}-{snake(model.event_name())}".replace("_", "-")
        _register(broker, service, settings, model, consumer)


def _register(broker: NatsBroker, service: ComplaintService, settings: NatsSettings,
              model: type[esc.DisputeSettled | esc.DisputeDecided], consumer: str) -> None:
    async def on_outcome(event: model) -> None:  # type: ignore[valid-type]
        await service.resolve_dispute(ResolveDispute(
            event.dispute_id, event.type, event.owner, event.actor.id,  # type: ignore[attr-defined]
            consumed=(consumer, str(event.event_id))))  # type: ignore[attr-defined]

    on_outcome.__name__ = f"on_{snake(model.event_name())}"
    subscriber(broker, model, consumer=consumer, settings=settings)(on_outcome)
