"""Subscriptions: a dispute's outcome names who handles the contested complaint (DSP-1/2);
the cases the referral service records are the ones a complaint can name (CMP-4, JUR-3)."""

from faststream.nats import NatsBroker

from complaint.domain.cases import Case
from complaint.service.commands import RecordCase, ResolveDispute
from complaint.service.handlers import ComplaintService
from liandong_contracts import escalation_v1 as esc
from liandong_contracts import referral_v1 as ref
from liandong_contracts.envelope import Event, snake
from liandong_runtime.consuming import subscriber
from liandong_runtime.settings import NatsSettings

OUTCOMES: tuple[type[esc.DisputeSettled | esc.DisputeDecided], ...] = (
    esc.DisputeSettled, esc.DisputeDecided)
CASES: tuple[type[ref.CaseRegistered | ref.CaseTransferAccepted], ...] = (
    ref.CaseRegistered, ref.CaseTransferAccepted)


def consumer_of(model: type[Event]) -> str:
    return f"complaint-{model.producer}-{snake(model.event_name())}".replace("_", "-")


def subscribe(broker: NatsBroker, service: ComplaintService, settings: NatsSettings) -> None:
    for model in OUTCOMES:
        _register(broker, service, settings, model, consumer_of(model))
    for case_model in CASES:
        _register_case(broker, service, settings, case_model, consumer_of(case_model))


def _register(broker: NatsBroker, service: ComplaintService, settings: NatsSettings,
              model: type[esc.DisputeSettled | esc.DisputeDecided], consumer: str) -> None:
    async def on_outcome(event: model) -> None:  # type: ignore[valid-type]
        await service.resolve_dispute(ResolveDispute(
            event.dispute_id, event.type, event.owner, event.actor.id,  # type: ignore[attr-defined]
            consumed=(consumer, str(event.event_id)),  # type: ignore[attr-defined]
            subject_id=event.subject_id, subject_kind=event.subject_kind))  # type: ignore[attr-defined]

    on_outcome.__name__ = f"on_{snake(model.event_name())}"
    subscriber(broker, model, consumer=consumer, settings=settings)(on_outcome)


def case_of(event: ref.CaseRegistered | ref.CaseTransferAccepted) -> Case:
    """JUR-3: a registered case is its registering owner's; an accepted one the receiver's."""
    if isinstance(event, ref.CaseRegistered):
        return Case(event.case_id, event.owner.id, event.matter_code, event.complaint_id)
    return Case(event.case_id, event.actor.id)


def _register_case(broker: NatsBroker, service: ComplaintService, settings: NatsSettings,
                   model: type[ref.CaseRegistered | ref.CaseTransferAccepted],
                   consumer: str) -> None:
    async def on_case(event: model) -> None:  # type: ignore[valid-type]
        await service.record_case(RecordCase(case_of(event), event.actor.id,  # type: ignore[attr-defined]
                                             (consumer, str(event.event_id))))  # type: ignore[attr-defined]

    on_case.__name__ = f"on_{snake(model.event_name())}"
    subscriber(broker, model, consumer=consumer, settings=settings)(on_case)
