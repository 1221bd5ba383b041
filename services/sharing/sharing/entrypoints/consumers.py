"""Subscriptions: each complaint-handling step becomes one shared item (SHR-2 (7)); a
township's case closed with a penalty becomes one penalty-decision item (SHR-3, (3))."""

from faststream.nats import NatsBroker

from liandong_contracts import complaint_v1 as cmp
from liandong_contracts import referral_v1 as ref
from liandong_contracts.envelope import snake
from liandong_runtime.consuming import subscriber
from liandong_runtime.settings import NatsSettings
from sharing.adapters.complaint_facts import FED, facts_of
from sharing.service.commands import ShareComplaintStep, SharePenaltyDecision
from sharing.service.handlers import SharingService


def subscribe(broker: NatsBroker, service: SharingService, settings: NatsSettings) -> None:
    for model in FED:
        consumer = f"sharing-{model.producer}-{snake(model.event_name())}".replace("_", "-")
        _register(broker, service, settings, model, consumer)
    _register_case_closed(broker, service, settings)


def _register(broker: NatsBroker, service: SharingService, settings: NatsSettings,
              model: type[cmp.ComplaintEvent], consumer: str) -> None:
    async def on_event(event: model) -> None:  # type: ignore[valid-type]
        await service.share_complaint_step(ShareComplaintStep(
            str(event.event_id), consumer, event.actor, facts_of(event)))

    on_event.__name__ = f"on_{snake(model.event_name())}"
    subscriber(broker, model, consumer=consumer, settings=settings)(on_event)


def _register_case_closed(broker: NatsBroker, service: SharingService,
                          settings: NatsSettings) -> None:
    consumer = "sharing-referral-case-closed"

    async def on_case_closed(event: ref.CaseClosed) -> None:
        if event.outcome != "administrative_penalty":
            return
        await service.share_penalty_decision(SharePenaltyDecision(
            str(event.event_id), consumer, event.actor, event.case_id, event.closed_on,
            event.occurred_at))

    subscriber(broker, ref.CaseClosed, consumer=consumer, settings=settings)(on_case_closed)
