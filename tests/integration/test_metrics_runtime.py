"""The messaging series every service adds to FastStream's: redeliveries, dead letters and
consumer lag, on the real NATS server and database."""

import json
import uuid

from prometheus_client import CollectorRegistry

from liandong_contracts import referral_v1 as ref
from liandong_contracts.cloudevents import encode
from liandong_runtime.metrics import RuntimeGauges, durables, sample_once
from liandong_runtime.runtime import Runtime
from tests.integration.test_messaging import counting_consumer, crime, eventually

SUBJECT = ref.CrimeSuspected.subject()


def value(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


async def test_a_retried_message_counts_as_redelivered(runtime: Runtime) -> None:
    calls = counting_consumer(runtime, fail_first=1)
    await runtime.start()
    case_id = f"case-{uuid.uuid4().hex[:8]}"
    body, headers = encode(crime(case_id))
    await runtime.broker.publish(body, SUBJECT, headers=headers, stream="LIANDONG_REFERRAL")

    async def redelivered() -> bool:
        return calls[case_id] == 2 and value(
            runtime.registry, "liandong_messages_redelivered_total", subject=SUBJECT) >= 1

    await eventually(redelivered)


async def test_a_parked_message_shows_in_the_dead_letter_gauge_at_once(runtime: Runtime) -> None:
    counting_consumer(runtime)
    await runtime.start()
    poison = json.dumps({"type": "CrimeSuspected", "schema_version": 99}).encode()
    await runtime.broker.publish(poison, SUBJECT, stream="LIANDONG_REFERRAL")

    # the session's stream also holds earlier tests' poison, which this new consumer parks
    # too: wait until the gauge has caught up with the store, then compare them
    async def parked() -> bool:
        return value(runtime.registry, "liandong_dead_letters") >= 1 and value(
            runtime.registry, "liandong_dead_letters") == await runtime.dead_letters.count()

    await eventually(parked)
    assert value(runtime.registry, "liandong_dead_letters") == await runtime.dead_letters.count()


async def test_each_durable_consumer_reports_its_lag(runtime: Runtime) -> None:
    counting_consumer(runtime)
    await runtime.start()
    [consumer] = durables(runtime.broker)
    registry = CollectorRegistry()
    gauges = RuntimeGauges(registry)

    async def caught_up() -> bool:
        await sample_once(gauges, runtime)
        lag = [registry.get_sample_value(name, {"consumer": consumer})
               for name in ("liandong_consumer_pending", "liandong_consumer_ack_pending")]
        return lag == [0, 0]

    # a new durable consumer reads the whole stream: its lag is sampled down to nothing
    await eventually(caught_up)
