"""Subscriptions: each complaint-handling step becomes one shared item (SHR-2 (7))."""

from faststream.nats import NatsBroker

from liandong_contracts import complaint_v1 as cmp
from liandong_contracts.envelope import snake
from liandong_runtime.consuming import subscriber
from liandong_runtime.settings import NatsSettings
from sharing.adapters.complaint_facts import FED, facts_of
from sharing.service.commands import ShareComplaintStep
from sharing.service.handlers import SharingService


def subscribe(broker: NatsBroker, service: SharingService, settings: NatsSettings) -> None:
    for model in FED:
        consumer = f"sharing-{model.producer}-{snake(model.event_name())}".replace("_", "-")
        _register(broker, service, settings, model, consumer)


def _register(broker: NatsBroker, service: SharingService, settings: NatsSettings,
              model: type[cmp.ComplaintEvent], consumer: str) -> None:
    async def on_event(event: model) -> None:  # type: ignore[valid-type]
        await service.share_complaint_step(ShareComplaintStep(
            str(event.event_id), consumer, event.actor, facts_of(event)))

    on_event.__name__ = f"on_{snake(model.event_name())}"
    subscriber(broker, model, consumer=consumer, settings=settings)(on_event)
