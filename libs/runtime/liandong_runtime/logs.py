"""Log lines on stderr: JSON (python-json-logger) for machines, or text for people.

Every line carries the service, the correlation id of the work under way and, inside a
span, its trace and span ids. The correlation id comes from the consumed event
(`consuming.Correlation`) or, for HTTP, from `X-Correlation-Id` or else the trace id.
Request and message bodies are never logged (CMP-8), nor are query strings.
"""

import logging
import string
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from opentelemetry import trace
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

CORRELATION_ID: ContextVar[str | None] = ContextVar("correlation_id", default=None)
HEADER = b"x-correlation-id"
_ALLOWED = set(string.ascii_letters + string.digits + "-_.:/@")


@contextmanager
def correlated(correlation_id: str | None) -> Iterator[None]:
    token = CORRELATION_ID.set(correlation_id)
    try:
        yield
    finally:
        CORRELATION_ID.reset(token)


def current_trace_id() -> str | None:
    span = trace.get_current_span().get_span_context()
    return format(span.trace_id, "032x") if span.is_valid else None


class WorkContext(logging.Filter):
    """Stamps each record with the service, the correlation id and the current span."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = CORRELATION_ID.get()
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            record.trace_id = format(span.trace_id, "032x")
            record.span_id = format(span.span_id, "016x")
        return True


class PathOnly(logging.Filter):
    """uvicorn's access line without the query string, where search terms could be."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], *args[3:])
        return True


class JsonLines(JsonFormatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, then the rest."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            reserved_attrs=[*RESERVED_ATTRS, "color_message"], json_ensure_ascii=False)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class IdlePullTimeout(logging.Filter):
    """FastStream's supervisor logs an ERROR with a traceback when a pull consumer's fetch
    finds no message and nats-py (2.16) says so with the builtin TimeoutError instead of
    `nats.errors.TimeoutError`: its batch fetch does when the server's "no messages" answer
    is read after the fetch's deadline, i.e. whenever the event loop was busy past the pull
    timeout (1 s), as it is while a service starts. FastStream's pull loop suppresses only
    nats' own TimeoutError, so the loop task ends and the supervisor restarts it ("Task-…
    raised an exception, retrying"). Nothing is wrong: the fetch simply found no message
    in time, and the next one runs at once. This filter turns exactly
    that record (a plain TimeoutError raised inside nats' `fetch` called by FastStream's
    `_consume_pull`) into one DEBUG line without traceback; every other record, any other
    exception from the pull loop included, passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and self.idle_fetch(record):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.msg, record.args = "pull fetch found no message in time; loop restarted", ()
            record.exc_info, record.exc_text = None, None
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True

    @staticmethod
    def idle_fetch(record: logging.LogRecord) -> bool:
        if not record.exc_info or type(record.exc_info[1]) is not TimeoutError:
            return False
        frames = traceback.extract_tb(record.exc_info[2])
        return (len(frames) >= 2 and frames[0].name == "_consume_pull"
                and frames[0].filename.endswith("stream_pull_subscriber.py")
                and any(frame.name == "fetch" and "/nats/js/" in Path(frame.filename).as_posix()
                        for frame in frames[1:]))


def json_formatter() -> logging.Formatter:
    return JsonLines()


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message [service correlation trace]` for a person at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        where = [getattr(record, "service", None), getattr(record, "correlation_id", None),
                 getattr(record, "trace_id", None)]
        tags = " ".join(str(part) for part in where if part)
        first, newline, rest = line.partition("\n")
        return f"{first} [{tags}]{newline}{rest}" if tags else line


def configure(service: str, level: str, fmt: Literal["json", "text"]) -> None:
    """The process's one stderr handler; uvicorn's loggers propagate to it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(WorkContext(service))
    handler.setFormatter(json_formatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)  # CalendarDataMissing and friends, as lines like the rest
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").addFilter(PathOnly())
    quiet_idle_pulls(logging.getLogger(BROKER_LOGGER))


BROKER_LOGGER = "liandong.broker"  # the logger FastStream's broker is given (runtime.py)


def quiet_idle_pulls(logger: logging.Logger) -> None:
    if not any(isinstance(f, IdlePullTimeout) for f in logger.filters):
        logger.addFilter(IdlePullTimeout())


def _given(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == HEADER:
            text = value.decode("latin-1")[:128]
            return text if text and set(text) <= _ALLOWED else None
    return None


class CorrelateRequests:
    """ASGI middleware: the request's correlation id is its X-Correlation-Id or trace id."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with correlated(_given(scope.get("headers", [])) or current_trace_id()):
            await self.app(scope, receive, send)
