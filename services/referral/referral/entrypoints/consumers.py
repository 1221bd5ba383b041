"""Subscriptions: the end of a dispute over a case sets the case's owner.

A dispute names what it is about (`subject_kind`, `subject_id`); disputes over anything but a
case are none of ours.
"""

from faststream.nats import NatsBroker

from liandong_contracts import escalation_v1 as esc
from liandong_runtime.consuming import subscriber
from liandong_runtime.settings import NatsSettings
from referral.service import commands as c
from referral.service.handlers import ReferralService

SETTLED, DECIDED = "referral-dispute-settled", "referral-dispute-decided"


def settlement(event: esc.DisputeSettled | esc.DisputeDecided,
               consumer: str) -> c.SettleOwnership | None:
    """The command a dispute's end means for the referral service, if it is about a case."""
    if event.subject_kind != "case" or not event.subject_id:
        return None
    by = "agreement" if isinstance(event, esc.DisputeSettled) else "district_government"
    return c.SettleOwnership(c.Acting(event.actor.id), event.dispute_id, event.subject_id,
                             event.owner.id, by, (consumer, str(event.event_id)))


def subscribe(broker: NatsBroker, service: ReferralService, settings: NatsSettings) -> None:
    @subscriber(broker, esc.DisputeSettled, consumer=SETTLED, settings=settings)
    async def on_dispute_settled(event: esc.DisputeSettled) -> None:
        if cmd := settlement(event, SETTLED):
            await service.settle_ownership(cmd)

    @subscriber(broker, esc.DisputeDecided, consumer=DECIDED, settings=settings)
    async def on_dispute_decided(event: esc.DisputeDecided) -> None:
        if cmd := settlement(event, DECIDED):
            await service.settle_ownership(cmd)
