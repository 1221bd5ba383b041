"""The trace context an event is emitted in survives the outbox; OTLP only when configured."""

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from liandong_runtime import telemetry
from liandong_runtime.settings import ServiceSettings


def test_the_stored_carrier_makes_a_later_span_a_child_of_the_emitting_one() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("POST /cases") as request:
        stored = telemetry.carrier()
    assert set(stored) == {"traceparent"}
    with telemetry.continued(stored), tracer.start_as_current_span("publish") as publish:
        pass
    assert publish.get_span_context().trace_id == request.get_span_context().trace_id
    assert publish.parent.span_id == request.get_span_context().span_id
    assert not trace.get_current_span().get_span_context().is_valid  # detached again


def test_without_a_current_span_nothing_is_stored_and_the_relay_starts_a_new_trace() -> None:
    assert telemetry.carrier() == {}
    with telemetry.continued(None):
        assert not trace.get_current_span().get_span_context().is_valid


def test_spans_are_exported_only_when_an_otlp_endpoint_is_set(monkeypatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318/")
    settings = ServiceSettings(service="escalation")
    provider = telemetry.tracer_provider(settings.service, settings.otel_exporter_otlp_endpoint)
    [processor] = provider._active_span_processor._span_processors
    assert processor.span_exporter._endpoint == "http://127.0.0.1:4318/v1/traces"
    assert provider.resource.attributes["service.name"] == "escalation"
    provider.shutdown()
    quiet = telemetry.tracer_provider("referral", "")
    assert quiet._active_span_processor._span_processors == ()

