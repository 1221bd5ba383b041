"""Log lines: JSON with service, correlation and trace; text for people; ids from events
and requests."""

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from faststream.nats import NatsBroker, TestNatsBroker
from opentelemetry.sdk.trace import TracerProvider

from liandong_runtime import logs, telemetry
from liandong_runtime.consuming import Correlation


@pytest.fixture
def lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of its own writing JSON lines into a buffer, as `logs.configure` sets up."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(logs.WorkContext("referral"))
    handler.setFormatter(logs.json_formatter())
    logger = logging.getLogger("liandong.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)


def parsed(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_json_line_carries_time_level_logger_service_correlation_and_trace(lines) -> None:
    logger, buffer = lines
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span, logs.correlated("case-20261127-1"):
        logger.info("case %s transferred", "case-1")
    [line] = parsed(buffer)
    assert line["message"] == "case case-1 transferred"
    assert line["level"] == "INFO" and line["logger"] == "liandong.test"
    assert line["service"] == "referral" and line["correlation_id"] == "case-20261127-1"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert line["span_id"] == format(span.get_span_context().span_id, "016x")
    assert line["time"].endswith("+00:00")


def test_outside_a_span_a_line_has_no_trace_and_chinese_stays_readable(lines) -> None:
    logger, buffer = lines
    logger.warning("河西镇")
    [line] = parsed(buffer)
    assert "trace_id" not in line and line["correlation_id"] is None
    assert "河西镇" in buffer.getvalue()  # not \\u-escaped: a search for a name finds it


def test_the_text_format_reads_as_one_line_with_its_ids() -> None:
    record = logging.LogRecord("liandong.relay", logging.ERROR, __file__, 1, "relay failed",
                               None, None)
    with logs.correlated("case-7"):
        logs.WorkContext("escalation").filter(record)
    line = logs.TextFormatter().format(record)
    assert " ERROR liandong.relay relay failed [escalation case-7]" in line
    assert "\n" not in line and not line.startswith("{")


def test_configure_switches_the_root_handler_between_json_and_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        logs.configure("sharing", "INFO", "text")
        logging.getLogger("liandong.x").info("hello")
        logs.configure("sharing", "INFO", "json")
        logging.getLogger("liandong.x").info("hello")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    text, line = capsys.readouterr().err.splitlines()
    assert text.endswith("INFO liandong.x hello [sharing]")
    assert json.loads(line)["service"] == "sharing"


def test_the_access_line_drops_the_query_string() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/info?q=张三", "1.1", 200), None)
    logs.PathOnly().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /info HTTP/1.1" 200'


async def test_a_consumed_events_correlation_id_is_on_the_handlers_log_lines(lines) -> None:
    logger, buffer = lines
    broker = NatsBroker(middlewares=[Correlation])

    @broker.subscriber("liandong.referral.finding_recorded.v1")
    async def handle(body: dict) -> None:
        logger.info("handled")

    async with TestNatsBroker(broker) as test_broker:
        await test_broker.publish({}, "liandong.referral.finding_recorded.v1",
                                  headers={"ce-correlationid": "case%2D42"})
    [line] = parsed(buffer)
    assert line["correlation_id"] == "case-42"
    assert logs.CORRELATION_ID.get() is None  # reset after the message


def request_app(logger: logging.Logger) -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict:
        logger.info("pinged")
        return {}

    app.add_middleware(logs.CorrelateRequests)
    telemetry.instrument(app, TracerProvider())
    return app


async def test_a_request_is_correlated_by_its_header_or_else_by_its_trace(lines) -> None:
    logger, buffer = lines
    transport = httpx.ASGITransport(app=request_app(logger))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/ping", headers={"X-Correlation-Id": "cmp-2026-0001"})
        await client.get("/ping")
        await client.get("/ping", headers={"X-Correlation-Id": "bad\tvalue"})
    given, by_trace, refused = parsed(buffer)
    assert given["correlation_id"] == "cmp-2026-0001"
    assert by_trace["correlation_id"] == by_trace["trace_id"]
    assert refused["correlation_id"] == refused["trace_id"]
