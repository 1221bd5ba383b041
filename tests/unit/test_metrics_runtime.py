"""The sampled runtime gauges: calendar years and consumer lag, against fakes."""

from dataclasses import dataclass
from datetime import date

from faststream.nats import NatsBroker
from nats.js.errors import NotFoundError
from prometheus_client import CollectorRegistry

from liandong_runtime.metrics import RuntimeGauges, durables, register_durable
from liandong_runtime.workdays import WorkingCalendar


@dataclass
class Info:
    num_pending: int
    num_ack_pending: int


class FakeJetStream:
    def __init__(self, consumers: dict[str, Info]) -> None:
        self.consumers = consumers

    async def consumer_info(self, stream: str, durable: str, timeout: float) -> Info:
        if durable not in self.consumers:
            raise NotFoundError
        return self.consumers[durable]


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def test_the_calendar_gauge_follows_the_year_round() -> None:
    registry = CollectorRegistry()
    gauges = RuntimeGauges(registry)
    gauges.show_calendar(WorkingCalendar([], [], official_years=[2026]), date(2026, 12, 31))
    assert value(registry, "liandong_calendar_official_data_missing", year="2026") == 0
    assert value(registry, "liandong_calendar_official_data_missing", year="2027") == 1
    gauges.show_calendar(WorkingCalendar([], [], official_years=[2026]), date(2027, 1, 1))
    assert value(registry, "liandong_calendar_official_data_missing", year="2026") is None
    assert value(registry, "liandong_calendar_official_data_missing", year="2028") == 1


async def test_consumer_lag_is_sampled_per_durable_and_a_vanished_one_is_dropped() -> None:
    registry = CollectorRegistry()
    gauges = RuntimeGauges(registry)
    js = FakeJetStream({"esc-a": Info(5, 2), "esc-b": Info(0, 0)})
    await gauges.sample_consumers(js, {"esc-a": "LIANDONG_REFERRAL", "esc-b": "LIANDONG_REFERRAL"})
    assert value(registry, "liandong_consumer_pending", consumer="esc-a") == 5
    assert value(registry, "liandong_consumer_ack_pending", consumer="esc-a") == 2
    del js.consumers["esc-a"]
    await gauges.sample_consumers(js, {"esc-a": "LIANDONG_REFERRAL", "esc-b": "LIANDONG_REFERRAL"})
    assert value(registry, "liandong_consumer_pending", consumer="esc-a") is None
    assert value(registry, "liandong_consumer_pending", consumer="esc-b") == 0


def test_durables_are_known_per_broker() -> None:
    one, other = NatsBroker(), NatsBroker()
    register_durable(one, "LIANDONG_REFERRAL", "escalation-referral-case-found")
    assert durables(one) == {"escalation-referral-case-found": "LIANDONG_REFERRAL"}
    assert durables(other) == {}
