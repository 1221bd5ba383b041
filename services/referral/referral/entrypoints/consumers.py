"""Subscriptions: the end of a dispute over a refused transfer sets the case's owner."""

from faststream.nats import NatsBroker

from liandong_contracts import escalation_v1 as esc
from liandong_runtime.consuming import subscriber
from liandong_runtime.settings import NatsSettings
from referral.service import commands as c
from referral.service.handlers import ReferralService

SETTLED, DECIDED = "referral-dispute-settled", "referral-dispute-decided"


def subscribe(broker: NatsBroker, service: ReferralService, settings: NatsSettings) -> None:
    @subscriber(broker, esc.DisputeSettled, consumer=SETTLED, settings=settings)
    async def on_dispute_settled(event: esc.DisputeSettled) -> None:
        await service.settle_ownership(c.SettleOwnership(
            c.Acting(event.actor.id), event.dispute_id, event.owner.id, "agreement",
            (SETTLED, str(event.event_id))))

    @subscriber(broker, esc.DisputeDecided, consumer=DECIDED, settings=settings)
    async def on_dispute_decided(event: esc.DisputeDecided) -> None:
        await service.settle_ownership(c.SettleOwnership(
            c.Acting(event.actor.id), event.dispute_id, event.owner.id, "district_government",
            (DECIDED, str(event.event_id))))
