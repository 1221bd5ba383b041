"""Tracing: one OpenTelemetry tracer provider per service, and the W3C trace context carried
over HTTP, NATS headers and the transactional outbox, so one transfer is one trace.

HTTP requests are traced by the FastAPI instrumentation, messages by FastStream's
`NatsTelemetryMiddleware`. An event leaves later than the request that emitted it (the
relay publishes the outbox), so the context current at commit time is stored with the
outbox entry (`carrier`) and the relay publishes inside it (`continued`): the publish span
is the request's child and its `traceparent` header lets the consumer continue the trace.

Spans are exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; the
exporter reads the other standard OTEL_EXPORTER_OTLP_* variables (headers, timeout, ...).
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from fastapi import FastAPI
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from opentelemetry import context, propagate
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

NOT_TRACED = "/healthz,/readyz,/metrics"  # probes and scrapes would drown the traces


def tracer_provider(service: str, otlp_endpoint: str = "") -> TracerProvider:
    """The service's provider; `otlp_endpoint` is OTEL_EXPORTER_OTLP_ENDPOINT's base URL."""
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces")
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def broker_middleware(provider: TracerProvider) -> NatsTelemetryMiddleware:
    return NatsTelemetryMiddleware(tracer_provider=provider)


def instrument(app: FastAPI, provider: TracerProvider) -> None:
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls=NOT_TRACED,
        exclude_spans=["receive", "send"])


def carrier() -> dict[str, str]:
    """The current trace context as W3C headers (`traceparent`, `tracestate`); {} if none."""
    found: dict[str, str] = {}
    propagate.inject(found)
    return found


@contextmanager
def continued(stored: Mapping[str, str] | None) -> Iterator[None]:
    """Run the block in the trace context `carrier()` stored (or in none: a new trace)."""
    token = context.attach(propagate.extract(dict(stored or {})))
    try:
        yield
    finally:
        context.detach(token)
